"""Pages of a company's self-registration: the form, and the state of its application."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gongshi.organisations.models import RegistrationStatus
from gongshi.registrations import invitations, services
from gongshi.registrations.forms import ApplicationForm, RegistrationForm
from gongshi.registrations.models import Registration

ORGANISATION_GROUP = (
    "kind",
    "credit_code",
    "name",
    "region",
    "address",
    "legal_representative",
    "licence",
)
CONTACT_GROUP = ("contact_name", "contact_phone", "contact_email")
ACCOUNT_GROUP = ("username", "password", "password_again")


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def register(request: HttpRequest) -> HttpResponse:
    """Anyone: register a company (an invitation link fills in what the developer knew)."""
    if request.user.is_authenticated:
        return redirect("registrations:status")
    invitation = invitations.from_token(request.GET.get("invitation", ""))
    initial = {}
    if invitation is not None:
        initial = {
            "kind": invitation.role,
            "credit_code": invitation.credit_code,
            "name": invitation.name,
            "contact_email": invitation.email,
        }
    form = RegistrationForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register_organisation(
                form.cleaned_data, form.cleaned_data["licence"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            login(
                request, registration.applicant, backend="django.contrib.auth.backends.ModelBackend"
            )
            messages.success(
                request,
                _(
                    "注册已提交，等待所在城市主管部门审核。审核通过前可以登记项目、准备公示内容，"
                    "但不能公示。"
                ),
            )
            return redirect("registrations:status")
    groups = [
        (_("单位信息"), ORGANISATION_GROUP),
        (_("联系人"), CONTACT_GROUP),
        (_("登录账号"), ACCOUNT_GROUP),
    ]
    return render(
        request,
        "registrations/register.html",
        {
            "form": form,
            "invitation": invitation,
            "groups": [(legend, [form[n] for n in names]) for legend, names in groups],
        },
    )


@login_required
def status(request: HttpRequest) -> HttpResponse:
    """The signed-in user's organisations' applications; a rejected one may be sent again."""
    registrations = list(
        Registration.objects.filter(organisation__memberships__user=request.user)
        .select_related("organisation__region__parent")
        .order_by("-submitted_at", "-pk")
    )
    rejected = services.managed_rejected(request.user)
    form = None
    if rejected is not None:
        latest = next(r for r in registrations if r.organisation_id == rejected.pk)
        initial = {
            "kind": rejected.kind,
            "credit_code": rejected.credit_code,
            "name": rejected.name,
            "region": rejected.region.code,
            "address": rejected.address,
            **{f: getattr(latest, f) for f in services.APPLICATION_FIELDS},
        }
        form = ApplicationForm(
            request.POST or None, request.FILES or None, initial=initial, licence_required=False
        )
        # The kind and the code identify the company: they stay as registered.
        for name in ("kind", "credit_code"):
            form.fields[name].disabled = True
        if request.method == "POST" and form.is_valid():
            try:
                services.resubmit(
                    request.user, rejected, form.cleaned_data, form.cleaned_data.get("licence")
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("注册已重新提交，等待主管部门审核。"))
                return redirect("registrations:status")
    return render(
        request,
        "registrations/status.html",
        {
            "registrations": registrations,
            "form": form,
            "rejected": rejected,
            "statuses": RegistrationStatus,
        },
    )
