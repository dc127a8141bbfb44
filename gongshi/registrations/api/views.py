"""A company's self-registration through the API, and the applicant's view of its applications.

The input is checked with the /register/ page's own forms and saved by the same services, so
both doors accept and refuse the same things with the same sentences.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.models import Token
from rest_framework.decorators import api_view, parser_classes, permission_classes
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from gongshi.core.api import error_response
from gongshi.registrations import services
from gongshi.registrations.api.serializers import (
    RegisteredSerializer,
    RegistrationInputSerializer,
    RegistrationSerializer,
    ResubmissionInputSerializer,
)
from gongshi.registrations.forms import ApplicationForm, RegistrationForm
from gongshi.registrations.models import Registration


def _form_errors(form) -> Response:
    fields = {k: [str(m) for m in v] for k, v in form.errors.items()}
    message = "；".join(m for v in fields.values() for m in v)
    return error_response("invalid", message, 400, fields)


def _loaded(registration: Registration) -> Registration:
    return Registration.objects.select_related("organisation__region", "licence").get(
        pk=registration.pk
    )


@extend_schema(
    tags=["registrations"],
    summary="单位自行注册（营业执照扫描件以 multipart 上传；审核通过前可准备但不能公示）",
    request={"multipart/form-data": RegistrationInputSerializer},
    responses={201: RegisteredSerializer},
)
@api_view(["POST"])
@permission_classes([AllowAny])
@parser_classes([MultiPartParser, FormParser])
def register(request: Request) -> Response:
    if request.user.is_authenticated:
        return error_response(
            "signed_in",
            _("已登录的账号不能再注册新单位：请退出后注册，或请本单位管理员在单位中添加您。"),
            403,
        )
    form = RegistrationForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_errors(form)
    try:
        registration = services.register_organisation(
            form.cleaned_data, form.cleaned_data["licence"]
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
            return _form_errors(form)
        raise
    token, _created = Token.objects.get_or_create(user=registration.applicant)
    body = {"registration": _loaded(registration), "token": token.key}
    return Response(RegisteredSerializer(body).data, status=201)


@extend_schema(
    tags=["registrations"],
    summary="我的单位注册申请及审核结果",
    responses=RegistrationSerializer(many=True),
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def mine(request: Request) -> Response:
    rows = (
        Registration.objects.filter(organisation__memberships__user=request.user)
        .select_related("organisation__region", "licence")
        .order_by("-submitted_at", "-pk")
    )
    return Response(RegistrationSerializer(rows, many=True).data)


@extend_schema(
    tags=["registrations"],
    summary="未通过审核的单位修改后重新提交注册（单位类型和信用代码不变）",
    request={"multipart/form-data": ResubmissionInputSerializer},
    responses={201: RegistrationSerializer},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
@parser_classes([MultiPartParser, FormParser])
def resubmit(request: Request) -> Response:
    rejected = services.managed_rejected(request.user)
    if rejected is None:
        return error_response(
            "not_resubmittable", _("只有未通过审核的单位的管理员可以重新提交注册。"), 403
        )
    form = ApplicationForm(
        request.POST,
        request.FILES,
        initial={"kind": rejected.kind, "credit_code": rejected.credit_code},
        licence_required=False,
    )
    for name in ("kind", "credit_code"):
        form.fields[name].disabled = True
    if not form.is_valid():
        return _form_errors(form)
    registration = services.resubmit(
        request.user, rejected, form.cleaned_data, form.cleaned_data.get("licence")
    )
    return Response(RegistrationSerializer(_loaded(registration)).data, status=201)
