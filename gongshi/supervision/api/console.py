"""The regulator's console in the API: dashboard, drill-down, worklists, inspections, decisions.

Everything is scoped to the caller's region exactly as the HTML console is (a project, record
or inspection elsewhere answers 404), and every write goes through the same service functions
as the console's forms (:mod:`gongshi.supervision.services`, :mod:`.rectification`), with the
forms' own validation, so the log leaf, the page stamps and the followers' events are the same.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gongshi.core.choices import DeliveryStandard, HousingType, Stage
from gongshi.organisations.models import Organisation
from gongshi.regions.models import Region, RegionLevel
from gongshi.registrations.models import Registration
from gongshi.supervision import services
from gongshi.supervision.access import enterprise_in_area, get_project_in_area
from gongshi.supervision.api.auth import api_regulator, form_errors_response
from gongshi.supervision.api.serializers import (
    ActionInputSerializer,
    ChangeInputSerializer,
    ConsoleProjectDetailSerializer,
    ConsoleProjectSerializer,
    DashboardSerializer,
    InspectionResultInputSerializer,
    InspectionResultSerializer,
    InspectionSerializer,
    LateItemSerializer,
    OverdueQuestionSerializer,
    RectificationStepSerializer,
    RegulatorRecordSerializer,
    ReviewInputSerializer,
    SubjectSerializer,
)
from gongshi.supervision.console import WORKLISTS, _attach_next_inspection, _drilled_projects
from gongshi.supervision.dashboard import (
    COMPLETENESS_FILTERS,
    area_projects,
    build_dashboard,
    late_first_publications,
    monthly_trends,
    stale_boards,
)
from gongshi.supervision.forms import (
    ActionForm,
    ChangeForm,
    EnterpriseActionForm,
    InspectionForm,
    ReviewForm,
)
from gongshi.supervision.metrics import overdue_questions_q
from gongshi.supervision.models import PENALTY_KINDS, ActionKind, Inspection, RegulatorRecord
from gongshi.supervision.rectification import review_rectification

TAGS = ["supervision"]


def _records(queryset):
    return (
        queryset.select_related("project", "subject", "regulator")
        .prefetch_related("rectification_steps__organisation")
        .annotate_current()
        .order_by("-decided_on", "-created_at")
    )


def _inspection_context(inspections) -> dict:
    ids = {i.record_id for i in inspections}
    in_force = set(
        RegulatorRecord.objects.in_force().filter(pk__in=ids).values_list("pk", flat=True)
    )
    return {"in_force": in_force, "today": timezone.localdate()}


def _area_region(regulator: Organisation, code: str | None) -> Region:
    """The regulator's region, or a region within it (drill-down); 404 for one elsewhere."""
    if not code:
        return regulator.region
    region = Region.objects.filter(code=code).select_related("parent").first()
    if region is None or not regulator.region.contains(region):
        raise NotFound
    return region


class DashboardView(APIView):
    """Regulators only: the dashboard of the area (or of a city or district within it).

    The same figures as the console's dashboard; each figure's ``drill`` is the query string
    of /api/v1/supervision/projects/ listing the projects behind it. ``?region=`` drills into
    a city or district of the area (``subregions`` lists them); ``?months=`` sets the period of
    the monthly trends (1–36, default 12).
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        responses=DashboardSerializer,
        parameters=[
            OpenApiParameter("region", str, description="GB/T 2260 code within the area"),
            OpenApiParameter("months", int, description="trend period in months, 1–36"),
        ],
    )
    def get(self, request: Request) -> Response:
        regulator = api_regulator(request)
        region = _area_region(regulator, request.query_params.get("region"))
        try:
            months = min(max(int(request.query_params.get("months", 12)), 1), 36)
        except ValueError:
            months = 12
        board = build_dashboard(region)
        if months != 12:
            board.trends = monthly_trends(region, board.today, months, asked=board.asked_by_month)
        totals = dict(board.totals)
        totals["stale_boards"] = stale_boards(area_projects(region)).count()
        totals["pending_registrations"] = Registration.objects.pending().within(region).count()
        if region.level == RegionLevel.COUNTY:
            subregions = Region.objects.none()
        else:
            below = (
                RegionLevel.PREFECTURE
                if region.level == RegionLevel.PROVINCE
                else RegionLevel.COUNTY
            )
            subregions = Region.objects.within(region).filter(level=below).order_by("code")
        data = {
            "region": region,
            "today": board.today,
            "months": months,
            "totals": totals,
            "by_stage": board.by_stage,
            "by_type": board.by_type,
            "completeness": board.completeness,
            "timeliness": board.timeliness,
            "questions": board.questions,
            "trends": board.trends,
            "by_city": board.by_city,
            "subregions": subregions,
        }
        return Response(DashboardSerializer(data).data)


class ConsoleProjectListView(generics.ListAPIView):
    """Regulators only: the area's projects behind a dashboard figure, or a worklist.

    Filters as the console's drill-down: ``city`` (4 digits), ``stage``, ``housing_type``,
    ``delivery_standard``, ``completeness`` band, ``questions`` (any / complaints) and
    ``worklist``; ``sort`` is score, -score, completeness or name.
    """

    permission_classes = [IsAuthenticated]
    serializer_class = ConsoleProjectSerializer
    filter_backends: list = []

    @extend_schema(
        tags=TAGS,
        parameters=[
            OpenApiParameter("city", str),
            OpenApiParameter("stage", str, enum=Stage.values),
            OpenApiParameter("housing_type", str, enum=HousingType.values),
            OpenApiParameter("delivery_standard", str, enum=DeliveryStandard.values),
            OpenApiParameter("completeness", str, enum=list(COMPLETENESS_FILTERS)),
            OpenApiParameter("questions", str, enum=["any", "complaints"]),
            OpenApiParameter("worklist", str, enum=list(WORKLISTS)),
            OpenApiParameter("sort", str, enum=["score", "-score", "completeness", "name"]),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return _drilled_projects(self.request, api_regulator(self.request))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self.request.query_params.get("worklist") == "inspections_due":
            _attach_next_inspection(page)
        if (
            page is not None
            and self.request.query_params.get("worklist") == "undisclosed_penalties"
        ):
            from gongshi.supervision.penalty_disclosure import attach_findings

            attach_findings(page, api_regulator(self.request).region)
        return page


class LateItemListView(generics.ListAPIView):
    """Regulators only: the area's items first published after the timeliness threshold."""

    permission_classes = [IsAuthenticated]
    serializer_class = LateItemSerializer
    filter_backends: list = []

    @extend_schema(tags=TAGS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        regulator = api_regulator(self.request)
        return (
            late_first_publications(regulator.region)
            .select_related("project", "item")
            .order_by("-first_timeliness_days", "pk")
        )


class OverdueQuestionListView(generics.ListAPIView):
    """Regulators only: the area's visible questions and complaints past their answer deadline."""

    permission_classes = [IsAuthenticated]
    serializer_class = OverdueQuestionSerializer
    filter_backends: list = []

    @extend_schema(tags=TAGS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        from gongshi.participation.models import Question

        regulator = api_regulator(self.request)
        questions = Question.objects.visible().within(regulator.region)
        deadlines = list(
            questions.order_by().values_list("deadline_working_days", flat=True).distinct()
        )
        if not deadlines:
            return questions.none()
        return (
            questions.filter(overdue_questions_q(deadlines, timezone.localdate()))
            .select_related("project")
            .order_by("asked_at", "pk")
        )


INSPECTION_STATUSES = ["open", "overdue", "performed", "all"]


class InspectionListView(generics.ListAPIView):
    """Regulators only: inspections of the area's projects under key supervision.

    ``?status=open`` (default: planned under a decision in force, earliest first),
    ``overdue``, ``performed`` or ``all``; ``?project=`` a project's code. Inspections are
    scheduled by the key-supervision decision (its frequency) and after each recorded one.
    """

    permission_classes = [IsAuthenticated]
    serializer_class = InspectionSerializer
    filter_backends: list = []

    @extend_schema(
        tags=TAGS,
        parameters=[
            OpenApiParameter("status", str, enum=INSPECTION_STATUSES),
            OpenApiParameter("project", str),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        regulator = api_regulator(self.request)
        inspections = Inspection.objects.within(regulator.region).select_related(
            "project", "inspector"
        )
        status = self.request.query_params.get("status", "open")
        if status == "overdue":
            inspections = inspections.overdue(timezone.localdate())
        elif status == "performed":
            inspections = inspections.filter(performed_on__isnull=False)
        elif status != "all":
            inspections = inspections.open()
        project = self.request.query_params.get("project")
        if project:
            inspections = inspections.filter(project__code=project.strip().upper())
        if status == "performed":
            return inspections.order_by("-performed_on", "-pk")
        return inspections.order_by("scheduled_on", "pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["today"] = timezone.localdate()
        context["in_force"] = set(
            RegulatorRecord.objects.in_force()
            .within(api_regulator(self.request).region)
            .values_list("pk", flat=True)
        )
        return context


class InspectionResultView(APIView):
    """Regulators only: record a performed inspection (findings are published); the next one
    is scheduled while key supervision is in force."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        request=InspectionResultInputSerializer,
        responses={201: InspectionResultSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        regulator = api_regulator(request)
        inspection = get_object_or_404(Inspection.objects.within(regulator.region), pk=pk)
        form = InspectionForm(_form_data(request, ["performed_on", "findings"]))
        if not form.is_valid():
            return form_errors_response(form)
        following = services.record_inspection(
            inspection,
            user=request.user,
            performed_on=form.cleaned_data["performed_on"],
            findings=form.cleaned_data["findings"],
        )
        rows = Inspection.objects.select_related("project", "inspector").in_bulk(
            [inspection.pk] + ([following.pk] if following else [])
        )
        context = _inspection_context(rows.values())
        performed = rows[inspection.pk]
        body = {
            "performed": InspectionSerializer(performed, context=context).data,
            "next": InspectionSerializer(rows[following.pk], context=context).data
            if following
            else None,
        }
        return Response(body, status=201)


def _form_data(request: Request, names: list[str]) -> dict:
    """The named fields of a JSON or form body, as an HTML form would receive them.

    A JSON list or object where the form expects one value is a 400 naming the field (the
    form's fields would fail on it with a server error).
    """
    data = request.data
    fields = {name: data.get(name) for name in names if data.get(name) is not None}
    wrong = [name for name, value in fields.items() if isinstance(value, (list, dict))]
    if wrong:
        raise ValidationError(
            {name: [_("应为单个值（文本、数字或是/否），而不是列表或对象。")] for name in wrong}
        )
    return fields


def _subjects(project) -> list[dict]:
    subjects = [
        {
            "credit_code": project.developer.credit_code,
            "name": project.developer.name,
            "role": "developer",
            "pk": project.developer_id,
        }
    ]
    for p in project.participations.select_related("organisation").order_by("pk"):
        if p.organisation_id != project.developer_id:
            subjects.append(
                {
                    "credit_code": p.organisation.credit_code,
                    "name": p.organisation.name,
                    "role": p.role,
                    "pk": p.organisation_id,
                }
            )
    return subjects


class ConsoleProjectView(APIView):
    """Regulators only: a project of the area as the console shows it — who a record can be
    about, its records (with rectification tracks) and its inspections."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, responses=ConsoleProjectDetailSerializer)
    def get(self, request: Request, code: str) -> Response:
        regulator = api_regulator(request)
        project = get_project_in_area(regulator, code.strip().upper())
        annotated = _scored(regulator, project)
        inspections = list(
            Inspection.objects.filter(project=project).select_related("project", "inspector")
        )
        body = {
            "project": ConsoleProjectSerializer(annotated).data,
            "subjects": SubjectSerializer(_subjects(project), many=True).data,
            "records": RegulatorRecordSerializer(
                _records(RegulatorRecord.objects.filter(project=project)), many=True
            ).data,
            "inspections": InspectionSerializer(
                inspections, many=True, context=_inspection_context(inspections)
            ).data,
        }
        return Response(body)


def _scored(regulator, project):
    from gongshi.supervision.score import annotate_score

    return (
        annotate_score(
            area_projects(regulator.region).select_related("region__parent", "developer"),
            today=timezone.localdate(),
        )
        .filter(pk=project.pk)
        .get()
    )


def _penalty_data(data: dict) -> dict:
    """The decision's particulars, for the penalty kinds only (as the console's form)."""
    if data["kind"] not in PENALTY_KINDS:
        return {}
    return {name: data.get(name) for name in services.PENALTY_FIELDS}


ACTION_FIELDS = [
    "kind",
    "subject",
    "decided_on",
    "reason",
    "credit_incentive",
    "inspection_interval_days",
    *services.PENALTY_FIELDS,
]


class ActionCreateView(APIView):
    """Regulators only: make a record on a project of the area — a commendation, key
    supervision, bad-conduct record, or a penalty or credit record (行政处罚、信用惩戒、通报批评、
    约谈、责令整改) with the decision's particulars. Published at once and appended to the log.
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS, request=ActionInputSerializer, responses={201: RegulatorRecordSerializer}
    )
    def post(self, request: Request, code: str) -> Response:
        regulator = api_regulator(request)
        project = get_project_in_area(regulator, code.strip().upper())
        subjects = _subjects(project)
        data = _form_data(request, ACTION_FIELDS)
        if isinstance(data.get("subject"), str):
            data["subject"] = data["subject"].strip().upper()
        form = ActionForm(data, subjects=[(s["credit_code"], s["name"]) for s in subjects])
        if not form.is_valid():
            return form_errors_response(form)
        cleaned = form.cleaned_data
        subject_pk = next(s["pk"] for s in subjects if s["credit_code"] == cleaned["subject"])
        record = services.make_action(
            kind=cleaned["kind"],
            project=project,
            subject=Organisation.objects.get(pk=subject_pk),
            regulator=regulator,
            user=request.user,
            decided_on=cleaned["decided_on"],
            reason=cleaned["reason"],
            credit_incentive=cleaned["credit_incentive"] or "",
            inspection_interval_days=cleaned["inspection_interval_days"],
            **_penalty_data(cleaned),
        )
        record = _records(RegulatorRecord.objects.filter(pk=record.pk)).get()
        return Response(RegulatorRecordSerializer(record).data, status=201)


class EnterpriseActionInputSerializer(serializers.Serializer):
    """A decision on an enterprise as a whole (no project)."""

    kind = serializers.ChoiceField(
        choices=[(ActionKind.COMMENDATION, "通报表扬"), (ActionKind.KEY_SUPERVISION, "重点监管")]
    )
    decided_on = serializers.DateField()
    reason = serializers.CharField(max_length=4000, help_text="事由（公开）")
    credit_incentive = serializers.CharField(
        required=False, max_length=300, help_text="信用激励措施（通报表扬必填）"
    )
    inspection_interval_days = serializers.IntegerField(
        required=False, min_value=1, max_value=365, help_text="检查频次（天，重点监管必填）"
    )


class EnterpriseActionCreateView(APIView):
    """Regulators only: commend an enterprise with a project in the area, or put it under key
    supervision, as a whole. Published at once on the enterprise page and each of its projects'
    pages, appended to the log; key supervision plans an inspection of each of its projects in
    the area. Lift or correct it at ``supervision/records/<id>/changes/``.
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        request=EnterpriseActionInputSerializer,
        responses={201: RegulatorRecordSerializer},
    )
    def post(self, request: Request, credit_code: str) -> Response:
        regulator = api_regulator(request)
        organisation = enterprise_in_area(regulator, credit_code)
        form = EnterpriseActionForm(
            _form_data(
                request,
                ["kind", "decided_on", "reason", "credit_incentive", "inspection_interval_days"],
            )
        )
        if not form.is_valid():
            return form_errors_response(form)
        cleaned = form.cleaned_data
        record = services.make_enterprise_action(
            kind=cleaned["kind"],
            subject=organisation,
            regulator=regulator,
            user=request.user,
            decided_on=cleaned["decided_on"],
            reason=cleaned["reason"],
            credit_incentive=cleaned["credit_incentive"] or "",
            inspection_interval_days=cleaned["inspection_interval_days"],
        )
        record = _records(RegulatorRecord.objects.filter(pk=record.pk)).get()
        return Response(RegulatorRecordSerializer(record).data, status=201)


class ActionChangeView(APIView):
    """Regulators only: correct, lift or revoke a record of the area (on the chain's current
    record). A revocation is published with its reason; penalties can be revoked, not lifted.
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS, request=ChangeInputSerializer, responses={201: RegulatorRecordSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        regulator = api_regulator(request)
        record = get_object_or_404(RegulatorRecord.objects.within(regulator.region), pk=pk)
        form = ChangeForm(
            _form_data(
                request,
                [
                    "event",
                    "decided_on",
                    "reason",
                    "credit_incentive",
                    "inspection_interval_days",
                    "rectify_by",
                ],
            )
        )
        if not form.is_valid():
            return form_errors_response(form)
        data = form.cleaned_data
        new = services.change_action(
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
        new = _records(RegulatorRecord.objects.filter(pk=new.pk)).get()
        return Response(RegulatorRecordSerializer(new).data, status=201)


class RectificationReviewView(APIView):
    """Regulators only: accept the developer's reported rectification of a penalty or credit
    record of the area, or send it back (the opinion is published and logged)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS, request=ReviewInputSerializer, responses={201: RectificationStepSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        regulator = api_regulator(request)
        record = get_object_or_404(
            RegulatorRecord.objects.within(regulator.region).select_related("project__region"),
            pk=pk,
        )
        data = _form_data(request, ["accepted", "text"])
        accepted = data.get("accepted")
        if isinstance(accepted, bool):
            data["accepted"] = "1" if accepted else "0"
        elif isinstance(accepted, str) and accepted.lower() in ("true", "false"):
            data["accepted"] = "1" if accepted.lower() == "true" else "0"
        form = ReviewForm(data)
        if not form.is_valid():
            return form_errors_response(form)
        step = review_rectification(
            record.origin(),
            regulator=regulator,
            user=request.user,
            accepted=form.cleaned_data["accepted"],
            text=form.cleaned_data["text"],
        )
        return Response(RectificationStepSerializer(step).data, status=201)
