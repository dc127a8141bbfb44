"""Views of the regulator's console: dashboard, drill-down, worklists, exports, settings."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongshi.core.choices import DeliveryStandard, HousingType, Stage
from gongshi.registrations.models import Registration
from gongshi.supervision.access import require_regulator
from gongshi.supervision.dashboard import (
    COMPLETENESS_FILTERS,
    area_projects,
    build_dashboard,
    flagged_projects,
    late_first_publications,
    online_disclosure_required,
    stale_boards,
    without_open_day,
)
from gongshi.supervision.forms import (
    LocalItemForm,
    RaiseRequirementForm,
    ScoreWeightsForm,
    TimelinessForm,
)
from gongshi.supervision.local_checklist import add_local_item, raise_requirement
from gongshi.supervision.metrics import overdue_questions_q
from gongshi.supervision.models import Inspection, ScoreWeights, TimelinessSetting
from gongshi.supervision.score import annotate_score
from gongshi.supervision.timeliness import threshold_for

WORKLISTS = {
    "missing": _("缺少必须公示事项的项目"),
    "late": _("逾期公示的事项"),
    "overdue_questions": _("逾期未答复的咨询投诉"),
    "overdue_inspections": _("逾期未检查的重点监管项目"),
    "complaints_above_threshold": _("咨询投诉频次超过阈值的项目（每万平方米），建议重点监管"),
    "inspections_due": _("检查计划：按下次检查日期排列（重点监管项目检查更频繁）"),
    "online_required": _("仍须在线公示的项目（竣工验收后 6 个月内）"),
    "discrepancies": _("有未关闭核查不符问题的项目"),
    "without_open_day": _("开工半年以上仍未举办工地开放日的项目"),
    "scan_mismatches": _("扫描件与填写内容不一致的项目"),
    "stale_board": _("公示牌打印后又有公示、超过期限未更新的项目"),
    "undisclosed_penalties": _(
        "处罚未如实公示：主管部门记录的行政处罚或信用惩戒未见于建设单位公示的项目"
    ),
}


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    regulator = require_regulator(request.user)
    board = build_dashboard(regulator.region)
    return render(
        request,
        "supervision/dashboard.html",
        {
            "regulator": regulator,
            "board": board,
            "worklists": WORKLISTS,
            "chart_data": _chart_data(board),
            "stale_boards": stale_boards(area_projects(regulator.region)).count(),
            "pending_registrations": Registration.objects.pending()
            .within(regulator.region)
            .count(),
        },
    )


def _chart_data(board) -> dict:
    return {
        "stage": [[f.label, f.value] for f in board.by_stage],
        "type": [[f.label, f.value] for f in board.by_type],
        "completeness": [[f.label, f.value] for f in board.completeness],
        "timeliness": [[f.label, f.value] for f in board.timeliness],
        "trends": board.trends,
    }


@login_required
def dashboard_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The dashboard's numbers as CSV or Excel: one row per figure."""
    regulator = require_regulator(request.user)
    board = build_dashboard(regulator.region)
    rows = [(_("分组"), _("指标"), _("数值"))]
    rows += [(_("概况"), f.label, f.value) for f in board.summary()]
    for row in board.by_city:
        name = row["city"].name
        rows += [
            (_("各市（地）比较"), f"{name} {_('项目')}", row["projects"]),
            (_("各市（地）比较"), f"{name} {_('缺少必须公示事项的项目')}", row["missing"]),
            (_("各市（地）比较"), f"{name} {_('逾期公示的事项')}", row["late"]),
            (_("各市（地）比较"), f"{name} {_('投诉')}", row["complaints"]),
        ]
    for title, figures in board.tables():
        rows += [(title, f.label, f.value) for f in figures]
    rows += [(_("趋势"), f"{t['month']} {_('公示')}", t["publications"]) for t in board.trends]
    rows += [(_("趋势"), f"{t['month']} {_('咨询投诉')}", t["questions"]) for t in board.trends]
    stem = f"gongshi-dashboard-{regulator.region.code}-{timezone.localdate():%Y%m%d}"
    return _export(rows, stem, fmt)


def _export(rows: list[tuple], stem: str, fmt: str) -> HttpResponse:
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 CSV with Chinese correctly only with a BOM
        csv.writer(buffer).writerows(rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        for row in rows:
            # Labels may be lazy translations; numbers stay numbers for the spreadsheet.
            sheet.append([v if isinstance(v, int | float) else str(v) for v in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


def _drilled_projects(request: HttpRequest, regulator):
    """The area's projects filtered by the dashboard figure that was clicked."""
    today = timezone.localdate()
    projects = annotate_score(
        area_projects(regulator.region).select_related("region__parent", "developer"), today=today
    )
    params = request.GET
    city = params.get("city", "")
    if len(city) == 4 and city.isdigit():  # a city of the area (the province's comparison)
        projects = projects.filter(region__code__startswith=city)
    if params.get("stage") in Stage.values:
        projects = projects.filter(stage=params["stage"])
    if params.get("housing_type") in HousingType.values:
        projects = projects.filter(housing_type=params["housing_type"])
    if params.get("delivery_standard") in DeliveryStandard.values:
        projects = projects.filter(delivery_standard=params["delivery_standard"])
    if params.get("completeness") in COMPLETENESS_FILTERS:
        projects = projects.filter(COMPLETENESS_FILTERS[params["completeness"]])
    if params.get("questions") == "any":
        projects = projects.filter(questions_asked__gt=0)
    elif params.get("questions") == "complaints":
        projects = projects.filter(complaints_count__gt=0)
    worklist = params.get("worklist")
    if worklist == "missing":
        projects = projects.filter(required_public__lt=F("required_due"))
    elif worklist == "overdue_questions":
        projects = projects.filter(questions_overdue__gt=0)
    elif worklist == "overdue_inspections":
        projects = projects.filter(pk__in=Inspection.objects.overdue(today).values("project"))
    elif worklist == "complaints_above_threshold":
        from gongshi.supervision.models import RegulatorRecord

        supervised = (
            RegulatorRecord.objects.in_force()
            .filter(kind="key_supervision", project__isnull=False)
            .values("project")
        )
        return (
            projects.filter(questions_per_10k__gt=settings.GONGSHI_COMPLAINT_FREQUENCY_THRESHOLD)
            .exclude(pk__in=supervised)
            .order_by("-questions_per_10k", "pk")
        )
    elif worklist == "inspections_due":
        from django.db.models import Exists, Max, Min, OuterRef, Subquery

        open_planned = Inspection.objects.open().filter(project=OuterRef("pk")).order_by()
        performed = Inspection.objects.filter(
            project=OuterRef("pk"), performed_on__isnull=False
        ).order_by()
        projects = (
            projects.annotate(
                next_key_inspection=Subquery(
                    open_planned.values("project").annotate(m=Min("scheduled_on")).values("m")
                ),
                last_inspection=Subquery(
                    performed.values("project").annotate(m=Max("performed_on")).values("m")
                ),
            )
            .filter(Exists(open_planned) | Exists(performed))
            .order_by(F("next_key_inspection").asc(nulls_last=True), "last_inspection", "pk")
        )
        return projects  # in the order inspections fall due
    elif worklist == "online_required":
        projects = online_disclosure_required(projects, today)
    elif worklist == "without_open_day":
        projects = without_open_day(projects, today)
    elif worklist == "stale_board":
        projects = stale_boards(projects)
    elif worklist == "discrepancies":
        projects = projects.filter(open_discrepancies__gt=0)
    elif worklist == "undisclosed_penalties":
        from gongshi.supervision.penalty_disclosure import undisclosed_projects

        projects = projects.filter(pk__in=list(undisclosed_projects(regulator.region)))
    elif worklist == "scan_mismatches":
        projects = projects.filter(pk__in=flagged_projects())
    order = {
        "score": "score",
        "-score": "-score",
        "completeness": "completeness",
        "name": "name",
    }.get(params.get("sort", ""), "score")
    return projects.order_by(order, "pk")


def _attach_next_inspection(projects) -> None:
    """When each project is next due for inspection (annotated by the inspections worklist).

    Under key supervision: the planned inspection (the last one + the decision's interval);
    otherwise the last inspection + GONGSHI_INSPECTION_INTERVAL_DAYS.
    """
    import datetime as dt

    today = timezone.localdate()
    for project in projects:
        if project.next_key_inspection is not None:
            project.next_inspection = project.next_key_inspection
            project.key_supervised = True
        else:
            project.next_inspection = project.last_inspection + dt.timedelta(
                days=settings.GONGSHI_INSPECTION_INTERVAL_DAYS
            )
            project.key_supervised = False
        project.inspection_overdue = project.next_inspection < today


def _attach_worklist_details(worklist: str, projects, regulator) -> None:
    """What a worklist shows beyond the common columns, for the listed projects."""
    if worklist == "inspections_due":
        _attach_next_inspection(projects)
    elif worklist == "undisclosed_penalties":
        from gongshi.supervision.penalty_disclosure import attach_findings

        attach_findings(projects, regulator.region)


def _worklist_column(worklist: str, projects: list, regulator):
    """The export's column for the worklist's own figure, as the page shows it: (heading,
    value of a project), or None for a worklist with none."""
    _attach_worklist_details(worklist, projects, regulator)
    if worklist == "inspections_due":

        def next_inspection(p) -> str:
            due = p.next_inspection.isoformat()
            return f"{due} {_('逾期未检查')}" if p.inspection_overdue else due

        return _("下次检查"), next_inspection
    if worklist == "complaints_above_threshold":
        return _("咨询投诉（件/万平方米）"), lambda p: round(p.questions_per_10k, 2)
    if worklist == "undisclosed_penalties":

        def findings(p) -> str:
            return "；".join(
                " ".join(
                    (
                        str(f.record.get_kind_display()),
                        f.record.decision_number or str(_("（无文号）")),
                        f.record.decided_on.isoformat(),
                        str(f.answer_label),
                    )
                )
                for f in p.undisclosed_penalties
            )

        return _("未如实公示的处罚"), findings
    return None


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    regulator = require_regulator(request.user)
    projects = _drilled_projects(request, regulator)
    fmt = request.GET.get("format")
    worklist = request.GET.get("worklist", "")
    if fmt in ("csv", "xlsx"):
        projects = list(projects)
        extra = _worklist_column(worklist, projects, regulator)
        rows = [
            (
                _("公示编号"),
                _("项目名称"),
                _("地区"),
                _("阶段"),
                _("建设单位"),
                _("完整性"),
                _("评分"),
                _("逾期咨询"),
                _("未关闭问题"),
                *([extra[0]] if extra else []),
            )
        ]
        rows += [
            (
                p.code,
                p.name,
                f"{p.region.parent.name if p.region.parent else ''}{p.region.name}",
                p.get_stage_display(),
                p.developer.name,
                round(p.completeness * 100, 1),
                round(p.score, 1),
                p.questions_overdue,
                p.open_discrepancies,
                *([extra[1](p)] if extra else []),
            )
            for p in projects
        ]
        return _export(rows, f"gongshi-projects-{regulator.region.code}", fmt)
    page = Paginator(projects, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    _attach_worklist_details(worklist, page.object_list, regulator)
    return render(
        request,
        "supervision/project_list.html",
        {
            "regulator": regulator,
            "page": page,
            "query": query.urlencode(),
            "title": WORKLISTS.get(worklist, _("项目")),
            "worklist": worklist,
            "normal_interval": settings.GONGSHI_INSPECTION_INTERVAL_DAYS,
            "complaint_threshold": settings.GONGSHI_COMPLAINT_FREQUENCY_THRESHOLD,
        },
    )


@login_required
def late_items(request: HttpRequest) -> HttpResponse:
    regulator = require_regulator(request.user)
    disclosures = (
        late_first_publications(regulator.region)
        .select_related("project", "item")
        .order_by("-first_timeliness_days", "pk")
    )
    page = Paginator(disclosures, 50).get_page(request.GET.get("page"))
    return render(request, "supervision/late_items.html", {"regulator": regulator, "page": page})


@login_required
def overdue_questions(request: HttpRequest) -> HttpResponse:
    from gongshi.participation.models import Question

    regulator = require_regulator(request.user)
    questions = Question.objects.visible().within(regulator.region)
    deadlines = list(
        questions.order_by().values_list("deadline_working_days", flat=True).distinct()
    )
    overdue = (
        questions.filter(overdue_questions_q(deadlines, timezone.localdate()))
        if deadlines
        else questions.none()
    )
    page = Paginator(overdue.select_related("project").order_by("asked_at", "pk"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request, "supervision/overdue_questions.html", {"regulator": regulator, "page": page}
    )


@login_required
def score_settings(request: HttpRequest) -> HttpResponse:
    """The provincial department sets the score weights; everyone else in the console may read them."""
    regulator = require_regulator(request.user)
    is_provincial = regulator.region.level == "province"
    current = ScoreWeights.current()
    form = ScoreWeightsForm(
        request.POST or None,
        instance=ScoreWeights(**{f: getattr(current, f) for f in ScoreWeightsForm.Meta.fields}),
    )
    if request.method == "POST":
        if not is_provincial:
            raise Http404
        if form.is_valid():
            weights = form.save(commit=False)
            weights.set_by = request.user
            try:
                weights.full_clean()
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                weights.save()
                messages.success(request, _("评分权重已更新，新的评分即时生效。"))
                return redirect("supervision:score_settings")
    return render(
        request,
        "supervision/score_settings.html",
        {
            "regulator": regulator,
            "form": form,
            "is_provincial": is_provincial,
            "history": ScoreWeights.objects.all()[:20],
        },
    )


@login_required
def local_checklist(request: HttpRequest) -> HttpResponse:
    """The regulator's local checklist (§6.1) and its region's timeliness threshold.

    The answer deadline for questions is set on the participation app's regulator page.
    """
    from gongshi.catalogue.models import CatalogueItem, LocalRequirement

    regulator = require_regulator(request.user)
    region = regulator.region
    action = request.POST.get("action") if request.method == "POST" else None
    item_form = LocalItemForm(request.POST if action == "add_item" else None, prefix="item")
    raise_form = RaiseRequirementForm(
        request.POST if action == "raise" else None, prefix="raise", region=regulator.region
    )
    timeliness_form = TimelinessForm(
        request.POST if action == "timeliness" else None,
        prefix="timeliness",
        initial={"threshold_days": threshold_for(region.code)},
    )
    try:
        if action == "timeliness" and timeliness_form.is_valid():
            TimelinessSetting.objects.update_or_create(
                region=region,
                defaults={
                    "threshold_days": timeliness_form.cleaned_data["threshold_days"],
                    "set_by": request.user,
                },
            )
            messages.success(request, _("及时公示期限已更新；逾期统计和评分随之重新计算。"))
            return redirect("supervision:local_checklist")
        if action == "add_item" and item_form.is_valid():
            data = dict(item_form.cleaned_data)
            add_local_item(regulator, **data)
            messages.success(request, _("本地公示事项已添加，辖区项目自生效日期起按此公示。"))
            return redirect("supervision:local_checklist")
        if action == "raise" and raise_form.is_valid():
            raise_requirement(regulator, **raise_form.cleaned_data)
            messages.success(request, _("已提高本地公示要求。"))
            return redirect("supervision:local_checklist")
    except ValidationError as exc:
        form = item_form if action == "add_item" else raise_form
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            form.add_error(None, exc)
    return render(
        request,
        "supervision/local_checklist.html",
        {
            "regulator": regulator,
            "items": CatalogueItem.objects.filter(region=region).order_by("sort_order"),
            "requirements": LocalRequirement.objects.filter(region=region).select_related("item"),
            "item_form": item_form,
            "raise_form": raise_form,
            "timeliness_form": timeliness_form,
        },
    )
