"""Social supervisors (社会监督员): accept an invitation, record findings, close discrepancies."""

from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongshi.participation import opendays
from gongshi.participation.forms import AcceptInvitationForm, CloseForm, FindingForm, apply_errors
from gongshi.participation.models import Finding, OpenDay


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    invite = opendays.invitation_for(token)
    if invite is None:
        return render(
            request,
            "participation/message.html",
            {"message": _("此邀请链接无效、已使用或已过期，请联系建设单位重新邀请。")},
            status=404,
        )
    form = AcceptInvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = opendays.accept_invitation(
                invite,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                user=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if not request.user.is_authenticated:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("participation:supervise", pk=invite.open_day_id)
    return render(
        request,
        "participation/invitation.html",
        {"invite": invite, "project": invite.open_day.project, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def supervise(request: HttpRequest, pk: int) -> HttpResponse:
    day = get_object_or_404(OpenDay.objects.select_related("project"), pk=pk)
    if not opendays.is_supervisor(request.user, day):
        raise Http404
    form = FindingForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            opendays.record_finding(
                day,
                request.user,
                version_id=form.cleaned_data["version"],
                result=form.cleaned_data["result"],
                note=form.cleaned_data["note"],
                photos=form.cleaned_data["photos"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("participation:supervise", pk=day.pk)
    mine = {
        f.version_id: f
        for f in day.findings.filter(supervisor=request.user).prefetch_related("photos")
    }
    return render(
        request,
        "participation/supervise.html",
        {
            "project": day.project,
            "day": day,
            "form": form,
            "items": [(v, mine.get(v.pk)) for v in opendays.disclosed_versions(day.project)],
            "findings": day.findings.select_related("version__disclosure__item").order_by("pk"),
            "close_form": CloseForm(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def close_finding(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_object_or_404(Finding.objects.select_related("open_day__project__region"), pk=pk)
    if not opendays.can_close(request.user, finding):
        raise Http404
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            opendays.close(finding, request.user, form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect(
                "participation:open_day", code=finding.open_day.project.code, pk=finding.open_day_id
            )
    return render(
        request,
        "participation/form_error.html",
        {"project": finding.open_day.project, "form": form},
        status=400,
    )
