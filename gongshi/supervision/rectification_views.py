"""The rectification page of a penalty or credit record: public track, report and review forms."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gongshi.organisations.models import Organisation
from gongshi.supervision.access import regulator_for
from gongshi.supervision.forms import RectificationForm, ReviewForm
from gongshi.supervision.models import PENALTY_KINDS, RecordEvent, RegulatorRecord
from gongshi.supervision.rectification import (
    attach_tracks,
    report_rectification,
    reporters,
    review_rectification,
)


def _chain(origin: RegulatorRecord) -> list[RegulatorRecord]:
    """The origin and every record correcting or revoking it, loaded for the track (3 queries)."""
    records = list(
        RegulatorRecord.objects.filter(project=origin.project_id, kind=origin.kind)
        .select_related("project__region__parent", "project__developer", "subject", "regulator")
        .select_related("supersedes")
        .prefetch_related("rectification_steps__organisation")
        .annotate_current()
        .order_by("created_at", "pk")
    )
    by_supersedes = {r.supersedes_id: r for r in records if r.supersedes_id}
    chain = [next(r for r in records if r.pk == origin.pk)]
    while chain[-1].pk in by_supersedes:
        chain.append(by_supersedes[chain[-1].pk])
    return attach_tracks(chain)


def _reporting_organisation(user, origin: RegulatorRecord) -> Organisation | None:
    if not user.is_authenticated:
        return None
    return Organisation.objects.filter(pk__in=reporters(origin), memberships__user=user).first()


def _reviewing_regulator(user, origin: RegulatorRecord) -> Organisation | None:
    regulator = regulator_for(user)
    if regulator is None or not user.is_verified():
        return None
    return regulator if regulator.region.contains(origin.project.region) else None


def rectification(request: HttpRequest, record_id: int) -> HttpResponse:
    """Public: a penalty's rectification track; the forms for whom may report or review."""
    origin = get_object_or_404(
        RegulatorRecord.objects.select_related("project__region", "project__developer"),
        pk=record_id,
        event=RecordEvent.MADE,
        kind__in=PENALTY_KINDS,
    )
    reporter = _reporting_organisation(request.user, origin)
    regulator = _reviewing_regulator(request.user, origin)
    report_form = RectificationForm(prefix="report")
    review_form = ReviewForm(prefix="review")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "report" and reporter is not None:
            report_form = RectificationForm(request.POST, prefix="report")
            form, done = report_form, _("整改情况已报告并公开，等待主管部门验收。")
        elif action == "review" and regulator is not None:
            review_form = ReviewForm(request.POST, prefix="review")
            form, done = review_form, _("验收意见已记录并公开。")
        else:
            raise Http404  # nobody else may write here; the page does not say who may
        if form.is_valid():
            try:
                if action == "report":
                    report_rectification(
                        origin,
                        organisation=reporter,
                        user=request.user,
                        text=form.cleaned_data["text"],
                    )
                else:
                    review_rectification(
                        origin,
                        regulator=regulator,
                        user=request.user,
                        accepted=form.cleaned_data["accepted"],
                        text=form.cleaned_data["text"],
                    )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, done)
                return redirect("supervision:rectification", record_id=origin.pk)
    chain = _chain(origin)
    track = chain[0].track
    state = track["state"].code if track else None
    return render(
        request,
        "supervision/rectification.html",
        {
            "origin": chain[0],
            "chain": chain,
            "track": track,
            "project": origin.project,
            "report_form": report_form
            if reporter and state in ("due", "overdue", "rejected")
            else None,
            "review_form": review_form if regulator and state == "reported" else None,
            "reporter": reporter,
        },
    )
