"""The regulator's console (area-scoped) and the public lists of regulators' records."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongshi.organisations.models import Organisation
from gongshi.projects.models import Project
from gongshi.regions.models import Region
from gongshi.supervision import services
from gongshi.supervision.access import (
    enterprise_in_area as _enterprise_in_area,
)
from gongshi.supervision.access import (
    enterprise_projects_within,
    get_project_in_area,
    require_regulator,
)
from gongshi.supervision.forms import (
    ActionForm,
    ChangeForm,
    EnterpriseActionForm,
    InspectionForm,
    StageDatesForm,
)
from gongshi.supervision.models import (
    PENALTY_KINDS,
    ActionKind,
    Inspection,
    RecordEvent,
    RegulatorRecord,
    ScoreWeights,
)
from gongshi.supervision.penalty_disclosure import attach_developer_answers
from gongshi.supervision.rectification import attach_tracks
from gongshi.supervision.score import annotate_score
from gongshi.supervision.stage_dates import correct_stage_dates

RECORD_RELATED = [
    "project__region__parent",
    "project__developer",
    "subject",
    "regulator",
    "supersedes",
]


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _penalty_data(data: dict) -> dict:
    """The penalty particulars of the action form, for the penalty kinds only."""
    if data["kind"] not in PENALTY_KINDS:
        return {}
    return {name: data.get(name) for name in services.PENALTY_FIELDS}


def records(request: HttpRequest) -> HttpResponse:
    """Public list of every regulator record (表扬、重点监管、不良行为记录), with filters."""
    queryset = (
        RegulatorRecord.objects.select_related(*RECORD_RELATED)
        .prefetch_related("rectification_steps__organisation")
        .annotate_current()
    )
    city = request.GET.get("city", "")
    kind = request.GET.get("kind", "")
    developer = request.GET.get("developer", "").strip()
    unit = request.GET.get("unit", "").strip()
    if city:
        queryset = queryset.filter(
            Q(project__region__code__startswith=city[:4])
            | Q(project__isnull=True, regulator__region__code__startswith=city[:4])
        )
    if kind in ActionKind.values:
        queryset = queryset.filter(kind=kind)
    if developer:
        queryset = queryset.filter(
            Q(project__developer__name__icontains=developer)
            | Q(project__developer__credit_code=developer.upper())
            | Q(project__isnull=True, subject__name__icontains=developer)
            | Q(project__isnull=True, subject__credit_code=developer.upper())
        )
    if unit:  # the organisation a record is about: the developer or a participating unit
        queryset = queryset.filter(
            Q(subject__name__icontains=unit) | Q(subject__credit_code=unit.upper())
        )
    filters = {"city": city, "kind": kind, "developer": developer, "unit": unit}
    page = Paginator(queryset.order_by("-decided_on", "-created_at"), 30).get_page(
        request.GET.get("page")
    )
    page.object_list = attach_tracks(list(page.object_list))
    return render(
        request,
        "supervision/records.html",
        {
            "page": page,
            "cities": Region.objects.prefectures(),
            "kinds": ActionKind.choices,
            "filters": filters,
            "query": urlencode({k: v for k, v in filters.items() if v}),
        },
    )


@login_required
def project_console(request: HttpRequest, code: str, stage_form=None) -> HttpResponse:
    """A project seen by the regulator of its area: its records, inspections and the action forms."""
    regulator = require_regulator(request.user)
    project = get_project_in_area(regulator, code)
    subjects = [(project.developer.pk, f"{_('建设单位')}：{project.developer.name}")]
    subjects += [
        (p.organisation.pk, f"{p.get_role_display()}：{p.organisation.name}")
        for p in project.participations.select_related("organisation")
        if p.organisation_id != project.developer_id
    ]
    form = ActionForm(
        request.POST or None,
        subjects=subjects,
        initial={
            "decided_on": timezone.localdate(),
            "inspection_interval_days": settings.GONGSHI_KEY_SUPERVISION_INSPECTION_DAYS,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.make_action(
                kind=data["kind"],
                project=project,
                subject=Organisation.objects.get(pk=data["subject"]),
                regulator=regulator,
                user=request.user,
                decided_on=data["decided_on"],
                reason=data["reason"],
                credit_incentive=data["credit_incentive"] or "",
                inspection_interval_days=data["inspection_interval_days"],
                **_penalty_data(data),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已记录并公开。"))
            return redirect("supervision:project", code=project.code)
    project_records = attach_tracks(
        list(
            RegulatorRecord.objects.filter(project=project)
            .select_related(*RECORD_RELATED)
            .prefetch_related("rectification_steps__organisation")
            .annotate_current()
        )
    )
    # Whether the developer's §4.6 disclosure lists each penalty in force (one query).
    attach_developer_answers([r for r in project_records if r.is_current])
    inspections = Inspection.objects.filter(project=project).select_related("record", "inspector")
    in_force_ids = set(
        RegulatorRecord.objects.in_force().filter(project=project).values_list("pk", flat=True)
    )
    return render(
        request,
        "supervision/project.html",
        {
            "regulator": regulator,
            "project": project,
            "form": form,
            "records": project_records,
            "inspections": inspections,
            "in_force_ids": in_force_ids,
            "change_form": ChangeForm(initial={"decided_on": timezone.localdate()}),
            "inspection_form": InspectionForm(initial={"performed_on": timezone.localdate()}),
            "today": timezone.localdate(),
            "scan_flags": published_scan_flags(project),
            "stage_form": stage_form
            or StageDatesForm(
                prefix="stage",
                initial={
                    "stage": project.stage,
                    "started_on": project.started_on,
                    "completion_accepted_on": project.completion_accepted_on,
                    "handed_over_on": project.handed_over_on,
                },
            ),
            "stage_corrections": project.stage_corrections.select_related("regulator"),
        },
    )


@require_POST
def stage_dates(request: HttpRequest, code: str) -> HttpResponse:
    """The regulator corrects the project's stage dates (public, logged; supervision.stage_dates)."""
    regulator = require_regulator(request.user)
    project = get_project_in_area(regulator, code)
    form = StageDatesForm(request.POST, prefix="stage")
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            correct_stage_dates(regulator, request.user, project, reason=data.pop("reason"), **data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("阶段日期已更正并公开。"))
            return redirect("supervision:project", code=project.code)
    request.method = "GET"  # show the console with the form's errors, not a new action
    return project_console(request, code, stage_form=form)


def published_scan_flags(project) -> list:
    """Typed fields of published versions that their scans do not show (not public)."""
    from gongshi.scancheck.models import ScanFlag
    from gongshi.scancheck.services import message

    flags = list(
        ScanFlag.objects.filter(
            version__disclosure__project=project, version__status="published"
        ).select_related("version__disclosure__item", "confirmed_by")
    )
    for flag in flags:
        flag.message = f"{flag.version.disclosure.item.title}：{message(flag)}"
    return flags


def _change(request: HttpRequest, record: RegulatorRecord, regulator: Organisation) -> None:
    """Apply the change form to ``record`` and say how it went (messages)."""
    form = ChangeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.change_action(
                record,
                event=data["event"],
                regulator=regulator,
                user=request.user,
                decided_on=data["decided_on"],
                reason=data["reason"],
                credit_incentive=data["credit_incentive"] or None,
                inspection_interval_days=data["inspection_interval_days"],
                rectify_by=data["rectify_by"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            done = {
                RecordEvent.LIFTED: _("已解除。"),
                RecordEvent.REVOKED: _("已撤销，撤销决定已公开。"),
            }.get(data["event"], _("已更正。"))
            messages.success(request, done)
    else:
        messages.error(
            request,
            "；".join(f"{form.fields[f].label}：{'、'.join(e)}" for f, e in form.errors.items()),
        )


@login_required
def enterprise_console(request: HttpRequest, credit_code: str) -> HttpResponse:
    """An enterprise seen by a regulator: its projects in the area, its enterprise-level decisions."""
    regulator = require_regulator(request.user)
    organisation = _enterprise_in_area(regulator, credit_code)
    form = EnterpriseActionForm(
        request.POST or None,
        initial={
            "decided_on": timezone.localdate(),
            "inspection_interval_days": settings.GONGSHI_KEY_SUPERVISION_INSPECTION_DAYS,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.make_enterprise_action(
                kind=data["kind"],
                subject=organisation,
                regulator=regulator,
                user=request.user,
                decided_on=data["decided_on"],
                reason=data["reason"],
                credit_incentive=data["credit_incentive"] or "",
                inspection_interval_days=data["inspection_interval_days"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已记录并公开，并显示在该企业的每个项目页面上。"))
            return redirect("supervision:enterprise_console", credit_code=organisation.credit_code)
    records = list(
        RegulatorRecord.objects.enterprise_level()
        .filter(subject=organisation)
        .select_related("subject", "regulator", "supersedes")
        .annotate_current()
        .order_by("-decided_on", "-created_at")
    )
    for record in records:
        record.track = None
    projects = (
        enterprise_projects_within(organisation, regulator.region)
        .select_related("region__parent")
        .order_by("region__code", "name")
    )
    return render(
        request,
        "supervision/enterprise_console.html",
        {
            "regulator": regulator,
            "organisation": organisation,
            "projects": projects,
            "records": records,
            "form": form,
            "change_form": ChangeForm(initial={"decided_on": timezone.localdate()}),
        },
    )


@login_required
@require_POST
def change_enterprise_record(
    request: HttpRequest, credit_code: str, record_id: int
) -> HttpResponse:
    regulator = require_regulator(request.user)
    organisation = _enterprise_in_area(regulator, credit_code)
    record = get_object_or_404(
        RegulatorRecord.objects.enterprise_level().within(regulator.region),
        pk=record_id,
        subject=organisation,
    )
    _change(request, record, regulator)
    return redirect("supervision:enterprise_console", credit_code=organisation.credit_code)


@login_required
@require_POST
def change_record(request: HttpRequest, code: str, record_id: int) -> HttpResponse:
    regulator = require_regulator(request.user)
    project = get_project_in_area(regulator, code)
    record = get_object_or_404(RegulatorRecord, pk=record_id, project=project)
    _change(request, record, regulator)
    return redirect("supervision:project", code=project.code)


@login_required
@require_POST
def record_inspection(request: HttpRequest, code: str, inspection_id: int) -> HttpResponse:
    regulator = require_regulator(request.user)
    project = get_project_in_area(regulator, code)
    inspection = get_object_or_404(Inspection, pk=inspection_id, project=project)
    form = InspectionForm(request.POST)
    if form.is_valid():
        try:
            services.record_inspection(
                inspection,
                user=request.user,
                performed_on=form.cleaned_data["performed_on"],
                findings=form.cleaned_data["findings"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("检查已记录。"))
    else:
        messages.error(
            request,
            "；".join(f"{form.fields[f].label}：{'、'.join(e)}" for f, e in form.errors.items()),
        )
    return redirect("supervision:project", code=project.code)


def score_formula(request: HttpRequest) -> HttpResponse:
    """Public: how the disclosure score is computed, with the weights in force."""
    return render(
        request, "supervision/score.html", {"weights": ScoreWeights.current(), "project": None}
    )


def project_score(request: HttpRequest, code: str) -> HttpResponse:
    """Public: one project's score, component by component."""
    project = get_object_or_404(
        annotate_score(Project.objects.select_related("region__parent", "developer")), code=code
    )
    return render(
        request, "supervision/score.html", {"weights": ScoreWeights.current(), "project": project}
    )


def enterprise_page(request: HttpRequest, credit_code: str) -> HttpResponse:
    """Public: an enterprise's projects across cities, their scores and its records."""
    from gongshi.supervision.enterprise import load_enterprise

    enterprise = load_enterprise(credit_code)
    return render(
        request,
        "supervision/enterprise.html",
        {"enterprise": enterprise, "organisation": enterprise.organisation},
    )


@login_required
def enterprise_ranking(request: HttpRequest) -> HttpResponse:
    """The area's developers ranked by their projects' average score; sortable, CSV export."""
    from gongshi.supervision import ranking

    regulator = require_regulator(request.user)
    sort = request.GET.get("sort", "score")
    sort = sort if sort in ranking.SORTS else "score"
    rows = ranking.enterprise_ranking(regulator.region, sort)
    if request.GET.get("format") == "csv":
        import csv
        import io

        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 CSV with Chinese correctly only with a BOM
        writer = csv.writer(buffer)
        writer.writerow([str(label) for _key, label in ranking.COLUMNS])
        writer.writerows([row[key] for key, _label in ranking.COLUMNS] for row in rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        stem = f"gongshi-enterprises-{regulator.region.code}-{timezone.localdate():%Y%m%d}"
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
        return response
    return render(
        request,
        "supervision/enterprise_ranking.html",
        {
            "regulator": regulator,
            "rows": rows,
            "sort": sort,
            "sorts": [(key, label) for key, (label, _order) in ranking.SORTS.items()],
            "headers": ranking.headers(sort),
            "weights": ScoreWeights.current(),
        },
    )
