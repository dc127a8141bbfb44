import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gongshi.registrations import services as registration_rules
from gongshi.registrations.api.serializers import DecisionInputSerializer, RegistrationSerializer
from gongshi.registrations.forms import DecisionForm
from gongshi.registrations.models import Registration
from gongshi.supervision import ranking
from gongshi.supervision.access import get_project_in_area
from gongshi.supervision.api.auth import api_regulator, form_errors_response
from gongshi.supervision.api.serializers import (
    EnterpriseRankingRowSerializer,
    EnterpriseSerializer,
    RegulatorRecordSerializer,
    StageCorrectionInputSerializer,
    StageCorrectionSerializer,
)
from gongshi.supervision.models import ActionKind, RegulatorRecord
from gongshi.supervision.stage_dates import correct_stage_dates


class RecordFilterSet(django_filters.FilterSet):
    city = django_filters.CharFilter(
        method="filter_city", label="city (GB/T 2260 code of a prefecture)"
    )
    kind = django_filters.ChoiceFilter(choices=ActionKind.choices)
    developer = django_filters.CharFilter(
        field_name="project__developer__credit_code", label="developer credit code"
    )
    subject = django_filters.CharFilter(
        field_name="subject__credit_code",
        label="credit code of the organisation the record is about (developer or unit)",
    )
    project = django_filters.CharFilter(field_name="project__code")

    class Meta:
        model = RegulatorRecord
        fields = ["kind", "event"]

    def filter_city(self, queryset, name, value):
        return queryset.filter(project__region__code__startswith=value[:4])


class RegulatorRecordViewSet(viewsets.ReadOnlyModelViewSet):
    """Public regulator records (append-only): commendations, key supervision, bad-conduct
    records, and penalties and credit records (行政处罚、信用惩戒、通报批评、约谈、责令整改) with
    their rectification track."""

    queryset = (
        RegulatorRecord.objects.select_related("project", "subject", "regulator")
        .prefetch_related("rectification_steps__organisation")
        .annotate_current()
        .order_by("-decided_on", "-created_at")
    )
    serializer_class = RegulatorRecordSerializer
    filterset_class = RecordFilterSet

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return page if page is None else _with_tracks_and_answers(page)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        record = _with_tracks_and_answers([self.get_object()])[0]
        return Response(self.get_serializer(record).data)


def _with_tracks_and_answers(records: list) -> list:
    """Each record's rectification state and what the developer disclosed (three queries).

    A track's deadline lives on its chain's current record, which may be on another page:
    the chains of the page's penalty records are loaded whole.
    """
    from gongshi.supervision.models import PENALTY_KINDS
    from gongshi.supervision.penalty_disclosure import attach_developer_answers
    from gongshi.supervision.rectification import attach_tracks

    projects = {r.project_id for r in records if r.kind in PENALTY_KINDS and r.project_id}
    tracks = {}
    if projects:
        chains = RegulatorRecord.objects.filter(project__in=projects, kind__in=PENALTY_KINDS)
        for record in attach_tracks(list(chains.prefetch_related("rectification_steps"))):
            tracks[record.pk] = record.track
    for record in records:
        record.track = tracks.get(record.pk)
    return attach_developer_answers(records)


class EnterpriseViewSet(viewsets.ViewSet):
    """Public: an enterprise by unified social credit code, with its projects and records."""

    lookup_field = "credit_code"
    lookup_value_regex = "[0-9A-Za-z]{18}"

    @extend_schema(responses=EnterpriseSerializer)
    def retrieve(self, request: Request, credit_code: str) -> Response:
        from gongshi.supervision.enterprise import load_enterprise

        return Response(EnterpriseSerializer(load_enterprise(credit_code)).data)


class EnterpriseRankingView(APIView):
    """Regulators only: the developers of the regulator's area ranked by average project score.

    Authenticate with a token (``gongshi issue_token``) or a session signed in with its second
    factor; anyone else gets 404. ``?sort=`` is one of score, -score, projects, penalties, name.
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=EnterpriseRankingRowSerializer(many=True),
        parameters=[OpenApiParameter("sort", str, enum=list(ranking.SORTS))],
    )
    def get(self, request: Request) -> Response:
        regulator = api_regulator(request)
        sort = request.query_params.get("sort", "score")
        rows = ranking.enterprise_ranking(
            regulator.region, sort if sort in ranking.SORTS else "score"
        )
        return Response(EnterpriseRankingRowSerializer(rows, many=True).data)


@extend_schema(
    tags=["supervision"],
    summary="更正项目阶段日期（须说明原因；公开并记入公示日志）",
    request=StageCorrectionInputSerializer,
    responses={201: StageCorrectionSerializer},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def stage_correction(request: Request, code: str) -> Response:
    regulator = api_regulator(request)
    project = get_project_in_area(regulator, code.strip().upper())
    data = StageCorrectionInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    fields = dict(data.validated_data)
    correction = correct_stage_dates(
        regulator, request.user, project, reason=fields.pop("reason"), **fields
    )
    return Response(StageCorrectionSerializer(correction).data, status=201)


class RegistrationListView(APIView):
    """Regulators only: companies' self-registrations in the regulator's area.

    ``?status=pending`` (the default, oldest first), ``approved``, ``rejected`` or ``all``.
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["supervision"],
        responses=RegistrationSerializer(many=True),
        parameters=[
            OpenApiParameter("status", str, enum=["pending", "approved", "rejected", "all"])
        ],
    )
    def get(self, request: Request) -> Response:
        regulator = api_regulator(request)
        area = Registration.objects.within(regulator.region).select_related(
            "organisation__region", "licence"
        )
        wanted = request.query_params.get("status", "pending")
        if wanted != "all":
            area = area.filter(status=wanted)
        rows = area.order_by("submitted_at", "pk")[:500]
        return Response(RegistrationSerializer(rows, many=True).data)


class RegistrationDecisionView(APIView):
    """Regulators only: approve or reject a pending registration of the area (reason required
    to reject). Who is asking is checked before the body is read."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["supervision"], request=DecisionInputSerializer, responses=RegistrationSerializer
    )
    def post(self, request: Request, pk: int) -> Response:
        regulator = api_regulator(request)
        registration = (
            Registration.objects.within(regulator.region)
            .select_related("organisation__region")
            .filter(pk=pk)
            .first()
        )
        if registration is None:
            raise NotFound
        data = request.data
        form = DecisionForm(
            {"decision": data.get("decision", ""), "reason": data.get("reason", "")}
        )
        if not form.is_valid():
            return form_errors_response(form)
        registration = registration_rules.decide(
            registration,
            regulator=regulator,
            user=request.user,
            approved=form.approved,
            reason=form.cleaned_data["reason"],
        )
        registration = Registration.objects.select_related("organisation__region", "licence").get(
            pk=registration.pk
        )
        return Response(RegistrationSerializer(registration).data)
