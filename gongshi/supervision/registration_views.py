"""The regulator's worklist of companies' self-registrations, and the decision on one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gongshi.registrations import services
from gongshi.registrations.forms import DecisionForm
from gongshi.registrations.models import Registration
from gongshi.supervision.access import require_regulator

#: Decided applications the worklist shows under the pending ones.
RECENTLY_DECIDED = 20


@login_required
def registrations(request: HttpRequest) -> HttpResponse:
    """Pending applications of the regulator's area, oldest first; then the latest decided."""
    regulator = require_regulator(request.user)
    area = Registration.objects.within(regulator.region).select_related(
        "organisation__region__parent"
    )
    pending = list(area.pending().order_by("submitted_at", "pk"))
    decided = list(area.exclude(decided_at=None).order_by("-decided_at", "-pk")[:RECENTLY_DECIDED])
    return render(
        request,
        "supervision/registrations.html",
        {"regulator": regulator, "pending": pending, "decided": decided},
    )


@login_required
def registration(request: HttpRequest, pk: int) -> HttpResponse:
    """One application with its licence scan; the decision form while it is pending."""
    regulator = require_regulator(request.user)
    application = get_object_or_404(
        Registration.objects.within(regulator.region).select_related(
            "organisation__region__parent", "licence", "decided_by"
        ),
        pk=pk,
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide(
                application,
                regulator=regulator,
                user=request.user,
                approved=form.approved,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            done = (
                _("已审核通过：%(org)s 现在可以公示。")
                if form.approved
                else _("已不予通过：%(org)s 将收到理由，可修改后重新提交。")
            )
            messages.success(request, done % {"org": application.organisation.name})
            return redirect("supervision:registrations")
    return render(
        request,
        "supervision/registration.html",
        {"regulator": regulator, "application": application, "form": form},
    )
