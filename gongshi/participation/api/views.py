"""The participation API (/api/v1/…). Same domain functions as the HTML views."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from gongshi.core.api import paginated
from gongshi.participation import follow, opendays, questions
from gongshi.participation.access import is_developer_member
from gongshi.participation.api import serializers as s
from gongshi.participation.models import OpenDay, Question
from gongshi.participation.tokens import client_ip
from gongshi.projects.models import Project


def _project(code: str) -> Project:
    return get_object_or_404(Project.objects.select_related("region"), code=code)


@extend_schema(
    summary="发送验证码",
    description="向电子邮箱或手机号码发送 6 位验证码（10 分钟有效）。每个联系方式每分钟 1 次、"
    "每小时 5 次，每个 IP 每小时 20 次。",
    request=s.ContactSerializer,
    responses={202: s.VerificationSentSerializer},
    tags=["participation"],
)
@api_view(["POST"])
@permission_classes([AllowAny])
def send_code(request: Request) -> Response:
    data = s.ContactSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    verification = questions.send_verification_code(
        data.validated_data["contact"], client_ip(request)
    )
    return Response(
        {"contact_kind": verification.contact_kind, "expires_at": verification.expires_at},
        status=status.HTTP_202_ACCEPTED,
    )


@extend_schema(
    summary="核对验证码",
    description="验证码正确时返回 verification_token，24 小时内用于提问和报名。错 5 次需重新获取。",
    request=s.ConfirmSerializer,
    responses={200: s.VerificationTokenSerializer},
    tags=["participation"],
)
@api_view(["POST"])
@permission_classes([AllowAny])
def confirm_code(request: Request) -> Response:
    data = s.ConfirmSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    token = questions.confirm_code(data.validated_data["contact"], data.validated_data["code"])
    return Response(
        {
            "verification_token": token,
            "expires_at": timezone.now() + questions.TOKEN_LIFETIME,
        }
    )


@extend_schema(
    methods=["GET"],
    summary="项目的咨询投诉",
    description="全部问题（新的在前），含提问与答复时间、答复期限（工作日，按节假日与调休计算）"
    "和是否逾期。被屏蔽的问题保留时间和屏蔽原因。提问人联系方式从不返回。",
    responses={200: paginated(s.QuestionSerializer)},
    tags=["participation"],
)
@extend_schema(
    methods=["POST"],
    summary="提问或投诉",
    description="需先验证联系方式（verification_token）。每个联系方式每天 5 次，每个 IP 每天 20 次。"
    "返回的 asker_token 只给一次，用于评价答复。",
    request=s.AskSerializer,
    responses={201: s.AskedSerializer},
    tags=["participation"],
)
@api_view(["GET", "POST"])
@permission_classes([AllowAny])
def project_questions(request: Request, code: str) -> Response:
    project = _project(code)
    if request.method == "POST":
        data = s.AskSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question, asker_token = questions.ask_question(
            project,
            data.validated_data["verification_token"],
            body=data.validated_data["body"],
            kind=data.validated_data["kind"],
            ip=client_ip(request),
        )
        state = questions.with_deadlines([question])[0]
        return Response(
            s.AskedSerializer(state, context={"asker_token": asker_token}).data,
            status=status.HTTP_201_CREATED,
        )
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(Question.objects.filter(project=project), request)
    return paginator.get_paginated_response(
        s.QuestionSerializer(questions.with_deadlines(page), many=True).data
    )


@extend_schema(
    summary="建设单位答复",
    description="仅本项目建设单位的成员（Token 认证）。答复发布后不能修改。",
    request=s.AnswerSerializer,
    responses={200: s.QuestionSerializer},
    tags=["participation"],
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def answer(request: Request, pk: int) -> Response:
    question = get_object_or_404(Question.objects.select_related("project"), pk=pk)
    if not is_developer_member(request.user, question.project):
        raise Http404
    data = s.AnswerSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    question = questions.answer_question(question, request.user, data.validated_data["answer"])
    return Response(s.QuestionSerializer(questions.with_deadlines([question])[0]).data)


@extend_schema(
    summary="提问人评价答复",
    description="用提问时得到的 asker_token 说明答复是否解决了问题（“已答复”不等于“已解决”）。",
    request=s.ResolutionSerializer,
    responses={200: s.QuestionSerializer},
    tags=["participation"],
)
@api_view(["POST"])
@permission_classes([AllowAny])
def resolution(request: Request) -> Response:
    data = s.ResolutionSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    question = questions.question_for_asker(data.validated_data["asker_token"])
    if question is None:
        raise Http404
    question = questions.set_resolution(question, data.validated_data["resolved"])
    return Response(s.QuestionSerializer(questions.with_deadlines([question])[0]).data)


@extend_schema(
    summary="项目的工地开放日",
    description="安排、名额、报名人数；报告公布后含实到人数和每条核查结果（照片以 SHA-256 表示）。",
    responses={200: paginated(s.OpenDaySerializer)},
    tags=["participation"],
)
@api_view(["GET"])
@permission_classes([AllowAny])
def project_open_days(request: Request, code: str) -> Response:
    project = _project(code)
    days = opendays.with_counts(OpenDay.objects.filter(project=project)).prefetch_related(
        "findings__version__disclosure__item", "findings__photos__file"
    )
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(days, request)
    return paginator.get_paginated_response(s.OpenDaySerializer(page, many=True).data)


@extend_schema(
    summary="注册 Webhook",
    description="项目有新公示、更正、答复、开放日安排或报告时，向该地址 POST JSON。请求头 "
    "X-Gongshi-Signature: sha256=HMAC_SHA256(secret, X-Gongshi-Timestamp + '.' + body)。"
    '注册后先只发送一次验证请求 {"event": "webhook.challenge", "challenge": …}：'
    '回调地址须以 2xx 应答并在响应体中原样返回 challenge（纯文本或 {"challenge": …}），'
    "验证通过（confirmed）前不推送任何事件。"
    "失败按 30 秒、2 分、8 分……退避重试，6 次后放弃并标记为失败。",
    request=s.WebhookCreateSerializer,
    responses={201: s.WebhookCreatedSerializer},
    tags=["participation"],
)
@api_view(["POST"])
@permission_classes([AllowAny])
def create_webhook(request: Request, code: str) -> Response:
    project = _project(code)
    data = s.WebhookCreateSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    subscription, manage_token = follow.register_webhook(project, data.validated_data["url"])
    return Response(
        s.WebhookCreatedSerializer(subscription, context={"manage_token": manage_token}).data,
        status=status.HTTP_201_CREATED,
    )


@extend_schema(
    methods=["GET"],
    summary="Webhook 状态",
    description="是否已通过验证、是否在失败、最近错误。",
    responses={200: s.WebhookSerializer},
    tags=["participation"],
)
@extend_schema(
    methods=["POST"],
    summary="重新发送 Webhook 验证请求",
    description="生成新的 challenge 并发送到回调地址；已通过验证的不再发送。",
    request=None,
    responses={202: s.WebhookSerializer},
    tags=["participation"],
)
@extend_schema(
    methods=["DELETE"], summary="删除 Webhook", responses={204: None}, tags=["participation"]
)
@api_view(["GET", "POST", "DELETE"])
@permission_classes([AllowAny])
def webhook(request: Request, token: str) -> Response:
    subscription = follow.webhook_for_token(token)
    if subscription is None:
        raise Http404
    if request.method == "POST":
        if not subscription.is_confirmed:
            follow.request_challenge(subscription)
        return Response(s.WebhookSerializer(subscription).data, status=status.HTTP_202_ACCEPTED)
    if request.method == "DELETE":
        subscription.removed_at = timezone.now()
        subscription.save(update_fields=["removed_at"])
        return Response(status=status.HTTP_204_NO_CONTENT)
    return Response(s.WebhookSerializer(subscription).data)


@extend_schema(
    summary="邮件订阅",
    description="发送确认邮件（双重确认）；确认后才会收到更新。每封邮件含一键退订链接。",
    request=s.EmailSubscribeSerializer,
    responses={202: None},
    tags=["participation"],
)
@api_view(["POST"])
@permission_classes([AllowAny])
def subscribe(request: Request, code: str) -> Response:
    project = _project(code)
    data = s.EmailSubscribeSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    follow.subscribe_email(project, data.validated_data["email"])
    return Response(status=status.HTTP_202_ACCEPTED)
