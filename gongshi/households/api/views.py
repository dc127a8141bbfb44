"""The household archive API: the public read, the owner's inspection, the developer's side.

Who is asking is decided before the body is read: the developer's routes need a token
(401 without one), answer 404 to people not linked to the project and 403 to its units; the
owner's routes need ``Authorization: Owner <token>`` (401 without one, 403 for another
flat's token). Errors answer in the one shape ``{"error": {"code", "message", "fields"}}``.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import BaseAuthentication
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    parser_classes,
    permission_classes,
)
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from gongshi.core.refusals import Refused
from gongshi.households import archive as archive_rules
from gongshi.households import flats as flat_rules
from gongshi.households import owners, samples
from gongshi.households.access import archive_of, developer_project, public_archive
from gongshi.households.api import serializers as s
from gongshi.households.disclosed import (
    AcceptanceIndex,
    fitout_products,
    products_for_room,
    warranty_contacts,
)
from gongshi.households.forms import (
    AnswerForm,
    ContractForm,
    GenerateForm,
    MeasurementForm,
    PhoneForm,
    ProblemForm,
    RoomForm,
    SampleForm,
)
from gongshi.households.models import FlatArchive, InspectionProblem, SampleFlat, SampleRoom
from gongshi.participation.tokens import client_ip

ERRORS = {
    400: OpenApiResponse(s.ErrorSerializer, description="输入有误：fields 列出各字段问题"),
    401: OpenApiResponse(s.ErrorSerializer, description="未提供凭证（Token 或 Owner 令牌）"),
    403: OpenApiResponse(s.ErrorSerializer, description="无权操作：code 说明原因"),
    404: OpenApiResponse(s.ErrorSerializer, description="项目或房屋不存在，或您未关联该项目"),
}
PARSERS = [JSONParser, MultiPartParser, FormParser]


def _data(request: Request) -> dict:
    if hasattr(request.data, "dict"):
        return request.data.dict()
    return dict(request.data)


def _form_error(form) -> ValidationError:
    return ValidationError(
        {
            name: [ValidationError(str(m), code="invalid") for m in messages]
            for name, messages in form.errors.items()
        }
    )


class OwnerTokenAuthentication(BaseAuthentication):
    """``Authorization: Owner <token>``: the owner's proof for one flat (24 hours)."""

    keyword = "Owner"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        keyword, _space, token = header.partition(" ")
        if keyword != self.keyword:
            return None
        session = owners.owner_session(token.strip())
        if session is None:
            raise AuthenticationFailed(
                _("业主验证已失效或不正确，请重新验证（有效期 24 小时）。"), code="owner_expired"
            )
        return AnonymousUser(), session

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class OwnerTokenScheme(OpenApiAuthenticationExtension):
    """The owner's token in the schema: ``Authorization: Owner <token>``."""

    target_class = OwnerTokenAuthentication
    name = "ownerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Owner <token>（业主验证后获得，24 小时内有效）",
        }


def _owner_archive(request: Request, code: str, flat: str) -> FlatArchive:
    """The flat whose owner holds the request's token; 401 without one, 403 for another flat."""
    archive = public_archive(code, flat)
    if request.auth is None:
        raise NotAuthenticated(_("请先验证您是本户业主，并在 Authorization 中提供 Owner 令牌。"))
    if request.auth.archive_id != archive.pk:
        raise Refused(_("此令牌属于另一户，不能查看或登记本户的查验问题。"), code="other_flat")
    return archive


# --- everyone -------------------------------------------------------------------------------


@extend_schema(
    tags=["households"],
    summary="房屋档案（一户一档，公开部分）",
    responses={200: s.PublicArchiveSerializer, 404: ERRORS[404]},
)
@api_view(["GET"])
@permission_classes([AllowAny])
def public_flat(request: Request, code: str, flat: str) -> Response:
    archive = public_archive(code, flat)
    measurements = list(archive.measurements.all()) if archive.is_published else []
    summary = archive_rules.summary_of(measurements)
    _version, contacts = warranty_contacts(archive.project)
    payload = {
        "archive": archive,
        "acceptance": AcceptanceIndex(archive.project).for_flat(archive.flat),
        "summary": (
            {"total": summary.total, "passed": summary.passed, "failed": summary.failed}
            if archive.is_published
            else None
        ),
        "measurements": measurements,
        "photos": list(archive.photos.select_related("file")) if archive.is_published else [],
        "warranty_contacts": contacts,
    }
    return Response(s.PublicArchiveSerializer(payload).data)


@extend_schema(
    tags=["households"],
    summary="样板间房间：本房间所用材料和设备（公示的全装修材料清单）",
    responses={200: s.SampleRoomSerializer, 404: ERRORS[404]},
)
@api_view(["GET"])
@permission_classes([AllowAny])
def sample_room(request: Request, code: str, room: str) -> Response:
    sample = get_object_or_404(
        SampleRoom.objects.select_related("sample", "project"),
        project__code=code,
        code=room.upper(),
    )
    version, columns, products = fitout_products(sample.project)
    return Response(
        s.SampleRoomSerializer(
            {
                "name": sample.name,
                "sample": sample.sample.name,
                "columns": [label for _key, label in columns],
                "products": products_for_room(products, sample.terms()),
                "item": version.disclosure.item.code if version else None,
                "version": version.number if version else None,
            }
        ).data
    )


# --- the owner ------------------------------------------------------------------------------


@extend_schema(
    tags=["households"],
    summary="向业主登记的手机号发送验证码",
    request=s.PhoneInputSerializer,
    responses={202: s.MessageSerializer, **ERRORS},
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@parser_classes(PARSERS)
def owner_codes(request: Request, code: str, flat: str) -> Response:
    archive = public_archive(code, flat)
    form = PhoneForm(_data(request))
    if not form.is_valid():
        raise _form_error(form)
    owners.send_code(archive, form.cleaned_data["phone"], client_ip(request))
    return Response(
        {"message": _("如果该手机号是购房时登记的号码，验证码已发送，10 分钟内有效。")},
        status=status.HTTP_202_ACCEPTED,
    )


@extend_schema(
    tags=["households"],
    summary="业主验证：合同编号 + 手机号，或手机号 + 验证码",
    request=s.OwnerSessionInputSerializer,
    responses={201: s.OwnerSessionSerializer, **ERRORS},
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@parser_classes(PARSERS)
def owner_sessions(request: Request, code: str, flat: str) -> Response:
    archive = public_archive(code, flat)
    data = _data(request)
    if data.get("code"):
        form = PhoneForm(data)
        if not form.is_valid():
            raise _form_error(form)
        token = owners.verify_by_code(archive, form.cleaned_data["phone"], str(data["code"]))
    else:
        form = ContractForm(data)
        if not form.is_valid():
            raise _form_error(form)
        token = owners.verify_by_contract(
            archive, form.cleaned_data["contract_number"], form.cleaned_data["phone"]
        )
    session = owners.owner_session(token)
    return Response(
        {"token": token, "expires_at": session.created_at + owners.SESSION_LIFETIME},
        status=status.HTTP_201_CREATED,
    )


@extend_schema(
    tags=["households"],
    methods=["GET"],
    summary="业主：本户交付前查验问题",
    responses={200: s.ProblemSerializer(many=True), **ERRORS},
)
@extend_schema(
    tags=["households"],
    methods=["POST"],
    summary="业主：登记查验问题（可附照片）",
    request={
        "multipart/form-data": s.ProblemInputSerializer,
        "application/json": s.ProblemInputSerializer,
    },
    responses={201: s.ProblemSerializer, **ERRORS},
)
@api_view(["GET", "POST"])
@authentication_classes([OwnerTokenAuthentication])
@permission_classes([AllowAny])
@parser_classes(PARSERS)
def owner_problems(request: Request, code: str, flat: str) -> Response:
    archive = _owner_archive(request, code, flat)  # before the body is read
    if request.method == "GET":
        problems = archive.problems.select_related("photo", "archive").prefetch_related("events")
        return Response(s.ProblemSerializer(problems, many=True).data)
    form = ProblemForm(_data(request), request.FILES)
    if not form.is_valid():
        raise _form_error(form)
    problem = owners.record_problem(archive, **form.cleaned_data)
    return Response(s.ProblemSerializer(problem).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["households"],
    summary="业主：确认整改或重新提出",
    request=s.OwnerDecisionInputSerializer,
    responses={200: s.ProblemSerializer, **ERRORS},
)
@api_view(["POST"])
@authentication_classes([OwnerTokenAuthentication])
@permission_classes([AllowAny])
@parser_classes(PARSERS)
def owner_decision(request: Request, code: str, flat: str, pk: int) -> Response:
    archive = _owner_archive(request, code, flat)
    problem = get_object_or_404(InspectionProblem, archive=archive, pk=pk)
    data = _data(request)
    accepted = data.get("accepted")
    if not isinstance(accepted, bool):
        accepted = str(accepted).lower() in ("true", "1", "yes")
    problem = owners.owner_decides(problem, accepted, note=str(data.get("note") or ""))
    return Response(s.ProblemSerializer(problem).data)


# --- the developer --------------------------------------------------------------------------


@extend_schema(
    tags=["households"],
    methods=["GET"],
    summary="房屋清单（建设单位）",
    responses={200: s.WorkspaceArchiveSerializer(many=True), **ERRORS},
)
@extend_schema(
    tags=["households"],
    methods=["POST"],
    summary="按单元 × 楼层 × 每层户数生成房屋（建设单位）",
    request=s.GenerateInputSerializer,
    responses={201: s.FlatSerializer(many=True), **ERRORS},
)
@api_view(["GET", "POST"])
@permission_classes([IsAuthenticated])
@parser_classes(PARSERS)
def workspace_flats(request: Request, code: str) -> Response:
    project, _access = developer_project(request.user, code)
    if request.method == "GET":
        archives = (
            FlatArchive.objects.filter(project=project)
            .select_related("flat__building", "project")
            .prefetch_related("measurements")
        )
        return Response(s.WorkspaceArchiveSerializer(archives, many=True).data)
    form = GenerateForm(_data(request), project=project)
    if not form.is_valid():
        raise _form_error(form)
    created = flat_rules.generate_flats(
        form.cleaned_data["building"],
        floors_from=form.cleaned_data["floors_from"],
        floors_to=form.cleaned_data["floors_to"],
        per_floor=form.cleaned_data["per_floor"],
    )
    archives = FlatArchive.objects.filter(flat__in=created).select_related(
        "flat__building", "project"
    )
    return Response(s.FlatSerializer(archives, many=True).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["households"],
    methods=["GET"],
    summary="房屋档案（建设单位）",
    responses={200: s.WorkspaceArchiveSerializer, **ERRORS},
)
@extend_schema(
    tags=["households"],
    methods=["PATCH"],
    summary="公开或取消公开；登记业主（建设单位）",
    request=s.ArchiveInputSerializer,
    responses={200: s.WorkspaceArchiveSerializer, **ERRORS},
)
@api_view(["GET", "PATCH"])
@permission_classes([IsAuthenticated])
@parser_classes(PARSERS)
def workspace_flat(request: Request, code: str, flat: str) -> Response:
    project, _access = developer_project(request.user, code)
    archive = archive_of(project, flat)
    if request.method == "PATCH":
        data = _data(request)
        if {"owner_name", "owner_phone", "contract_number"} & set(data):
            archive_rules.set_owner(
                archive,
                owner_name=str(data.get("owner_name", archive.owner_name)),
                owner_phone=str(data.get("owner_phone", archive.owner_phone)),
                contract_number=str(data.get("contract_number", archive.contract_number)),
            )
        if "published" in data:
            published = data["published"]
            if not isinstance(published, bool):
                published = str(published).lower() in ("true", "1", "yes")
            archive_rules.publish(archive, published)
    archive = archive_of(project, flat)
    return Response(s.WorkspaceArchiveSerializer(archive).data)


@extend_schema(
    tags=["households"],
    methods=["GET"],
    summary="实测实量数据（建设单位）",
    responses={200: s.MeasurementSerializer(many=True), **ERRORS},
)
@extend_schema(
    tags=["households"],
    methods=["POST"],
    summary="录入一项实测数据（建设单位）",
    request=s.MeasurementSerializer,
    responses={201: s.MeasurementSerializer, **ERRORS},
)
@api_view(["GET", "POST"])
@permission_classes([IsAuthenticated])
@parser_classes(PARSERS)
def workspace_measurements(request: Request, code: str, flat: str) -> Response:
    project, _access = developer_project(request.user, code)
    archive = archive_of(project, flat)
    if request.method == "GET":
        return Response(s.MeasurementSerializer(archive.measurements.all(), many=True).data)
    form = MeasurementForm(_data(request))
    if not form.is_valid():
        raise _form_error(form)
    measurement = archive_rules.add_measurement(archive, **form.cleaned_data)
    return Response(s.MeasurementSerializer(measurement).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["households"],
    summary="本项目业主登记的查验问题（建设单位）",
    responses={200: s.ProblemSerializer(many=True), **ERRORS},
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def workspace_problems(request: Request, code: str) -> Response:
    project, _access = developer_project(request.user, code)
    problems = (
        InspectionProblem.objects.filter(archive__project=project)
        .select_related("archive", "photo")
        .prefetch_related("events")
    )
    return Response(s.ProblemSerializer(problems, many=True).data)


@extend_schema(
    tags=["households"],
    summary="答复查验问题：整改措施和完成日期（建设单位）",
    request=s.AnswerInputSerializer,
    responses={200: s.ProblemSerializer, **ERRORS},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
@parser_classes(PARSERS)
def workspace_answer(request: Request, code: str, pk: int) -> Response:
    project, _access = developer_project(request.user, code)
    problem = get_object_or_404(InspectionProblem, archive__project=project, pk=pk)
    form = AnswerForm(_data(request))
    if not form.is_valid():
        raise _form_error(form)
    problem = owners.answer_problem(problem, request.user, **form.cleaned_data)
    return Response(s.ProblemSerializer(problem).data)


def _samples(project):
    return SampleFlat.objects.filter(project=project).prefetch_related(
        Prefetch("rooms", queryset=SampleRoom.objects.select_related("project"))
    )


@extend_schema(
    tags=["households"],
    methods=["GET"],
    summary="样板间及其房间标签（建设单位）",
    responses={200: s.WorkspaceSampleSerializer(many=True), **ERRORS},
)
@extend_schema(
    tags=["households"],
    methods=["POST"],
    summary="添加样板间及其房间，每个房间一张二维码标签（建设单位）",
    request=s.SampleInputSerializer,
    responses={201: s.WorkspaceSampleSerializer, **ERRORS},
)
@api_view(["GET", "POST"])
@permission_classes([IsAuthenticated])
@parser_classes(PARSERS)
def workspace_samples(request: Request, code: str) -> Response:
    project, _access = developer_project(request.user, code)
    if request.method == "GET":
        return Response(s.WorkspaceSampleSerializer(_samples(project), many=True).data)
    data = _data(request)
    rooms = data.get("rooms", SampleForm.base_fields["rooms"].initial)
    if isinstance(rooms, list):
        rooms = "、".join(str(r) for r in rooms)
    form = SampleForm({**data, "rooms": rooms})
    if not form.is_valid():
        raise _form_error(form)
    sample = samples.create_sample(project, **form.cleaned_data)
    return Response(
        s.WorkspaceSampleSerializer(_samples(project).get(pk=sample.pk)).data,
        status=status.HTTP_201_CREATED,
    )


@extend_schema(
    tags=["households"],
    summary="给样板间添加一个房间（建设单位）",
    request=s.RoomInputSerializer,
    responses={201: s.WorkspaceSampleRoomSerializer, **ERRORS},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
@parser_classes(PARSERS)
def workspace_sample_rooms(request: Request, code: str, pk: int) -> Response:
    project, _access = developer_project(request.user, code)
    sample = get_object_or_404(SampleFlat, project=project, pk=pk)
    form = RoomForm(_data(request))
    if not form.is_valid():
        raise _form_error(form)
    room = samples.add_room(sample, **form.cleaned_data)
    return Response(s.WorkspaceSampleRoomSerializer(room).data, status=status.HTTP_201_CREATED)
