"""The workspace API (token auth): the same forms validate, the same domain functions act.

Errors answer in the one shape ``{"error": {"code", "message", "fields"}}``; a save with a
stale ``lock_version`` answers 409 ``stale_version``; a project or item the caller is not
linked to answers 404, whether it exists or not.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, parser_classes, permission_classes
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from gongshi.core.api import error_response
from gongshi.core.refusals import Refused
from gongshi.disclosures import workflow
from gongshi.disclosures.checklist import project_checklist
from gongshi.disclosures.models import DisclosureVersion
from gongshi.registrations import invitations as invitation_rules
from gongshi.registrations.api.serializers import InvitationSerializer
from gongshi.registrations.forms import InvitationForm
from gongshi.workspace import plans
from gongshi.workspace import projects as project_rules
from gongshi.workspace.access import _get_item_for_user, _get_project_for_user
from gongshi.workspace.api import serializers as s
from gongshi.workspace.forms import (
    PlanForm,
    ProjectForm,
    RegisterProjectForm,
    StageForm,
    UnitForm,
    VersionMetaForm,
)
from gongshi.workspace.models import current_plan

ERRORS = {
    400: OpenApiResponse(
        s.WorkspaceErrorSerializer, description="输入有误：code 说明原因，fields 列出各字段问题"
    ),
    401: OpenApiResponse(
        s.WorkspaceErrorSerializer, description="未登录：请在 Authorization 中提供 Token"
    ),
    403: OpenApiResponse(
        s.WorkspaceErrorSerializer, description="无权操作：code 说明原因（如 developer_only）"
    ),
    404: OpenApiResponse(
        s.WorkspaceErrorSerializer, description="项目或事项不存在，或您未关联该项目"
    ),
}
CONFLICT = {
    409: OpenApiResponse(s.WorkspaceErrorSerializer, description="stale_version：已被他人修改")
}
PARSERS = [JSONParser, MultiPartParser, FormParser]


def _form_error(form) -> ValidationError:
    return ValidationError(
        {
            name: [ValidationError(str(m), code="invalid") for m in messages]
            for name, messages in form.errors.items()
        }
    )


def _or_conflict(change) -> Response:
    """Run a change to a version; a stale ``lock_version`` answers 409, not 400."""
    try:
        version = change()
    except ValidationError as exc:
        if getattr(exc, "code", None) == "stale_version":
            return error_response("stale_version", exc.messages[0], status.HTTP_409_CONFLICT)
        raise
    return _version_response(version)


def _data(request: Request) -> dict:
    """Request data as a plain dict of single values (multipart lists flattened)."""
    if hasattr(request.data, "dict"):
        return request.data.dict()
    return dict(request.data)


def _values(raw) -> dict | None:
    if raw is None or isinstance(raw, dict):
        return raw
    try:
        parsed = json.loads(raw)
    except (TypeError, ValueError):
        parsed = None
    if not isinstance(parsed, dict):
        raise ValidationError(
            {"values": [_('values 应为 JSON 对象，例如 {"note": "…"}。')]}, code="invalid_values"
        )
    return parsed


def _meta(request: Request, *, lock_required: bool) -> dict:
    data = _data(request)
    form = VersionMetaForm(
        {
            "information_date": data.get("information_date") or "",
            "reason": data.get("reason") or "",
            "lock_version": data.get("lock_version", "" if lock_required else 0),
        }
    )
    if not form.is_valid():
        raise _form_error(form)
    return form.cleaned_data


def _version_response(version, code: int = status.HTTP_200_OK) -> Response:
    version = DisclosureVersion.objects.select_related("disclosure__item", "supplied_by").get(
        pk=version.pk
    )
    return Response(s.WorkspaceVersionSerializer(version).data, status=code)


@extend_schema(
    tags=["workspace"],
    methods=["GET"],
    summary="我的项目",
    responses={200: s.WorkspaceProjectSerializer(many=True), **ERRORS},
)
@extend_schema(
    tags=["workspace"],
    methods=["POST"],
    summary="登记项目",
    request=s.WorkspaceProjectInputSerializer,
    responses={201: s.WorkspaceProjectSerializer, **ERRORS},
)
@api_view(["GET", "POST"])
@permission_classes([IsAuthenticated])
def projects(request: Request) -> Response:
    if request.method == "GET":
        mine = project_rules.projects_for_user(request.user).prefetch_related(
            "participations__organisation"
        )
        return Response(s.WorkspaceProjectSerializer(mine, many=True).data)
    # Who is asking comes first: a member of no developer is refused before the body is read.
    own = project_rules.developer_organisations(request.user)
    if not own.exists():
        raise Refused(_("只有建设单位的成员可以登记项目。"), code="developer_only")
    data = _data(request)
    if not data.get("developer") and own.count() == 1:
        data["developer"] = own.get().credit_code
    form = RegisterProjectForm(data, user=request.user)
    if not form.is_valid():
        raise _form_error(form)
    project = project_rules.register_project(
        request.user,
        form.cleaned_data["developer"],
        form.project_data(),
        leader_name=form.cleaned_data["leader_name"],
        leader_title=form.cleaned_data["leader_title"],
    )
    return Response(s.WorkspaceProjectSerializer(project).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["workspace"],
    methods=["GET"],
    summary="项目详情",
    responses={200: s.WorkspaceProjectSerializer, **ERRORS},
)
@extend_schema(
    tags=["workspace"],
    methods=["PATCH"],
    summary="修改项目信息（建设单位）",
    request=s.WorkspaceProjectInputSerializer(partial=True),
    responses={200: s.WorkspaceProjectSerializer, **ERRORS},
)
@api_view(["GET", "PATCH"])
@permission_classes([IsAuthenticated])
def project(request: Request, code: str) -> Response:
    project, access = _get_project_for_user(request, code)
    if request.method == "PATCH":
        access.require_developer()
        current = ProjectForm(instance=project).initial
        current["region"] = project.region.code
        form = ProjectForm({**current, **_data(request)}, instance=project)
        if not form.is_valid():
            raise _form_error(form)
        project = project_rules.update_project(
            access, {name: form.cleaned_data[name] for name in project_rules.PROJECT_FIELDS}
        )
    return Response(s.WorkspaceProjectSerializer(project).data)


@extend_schema(
    tags=["workspace"],
    summary="关联参建单位及项目负责人（建设单位）",
    request=s.WorkspaceUnitInputSerializer,
    responses={201: s.WorkspaceParticipationSerializer, **ERRORS},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def units(request: Request, code: str) -> Response:
    _project, access = _get_project_for_user(request, code)
    access.require_developer()
    form = UnitForm(_data(request))
    if not form.is_valid():
        raise _form_error(form)
    participation = project_rules.link_unit(access, **form.cleaned_data)
    return Response(
        s.WorkspaceParticipationSerializer(participation).data, status=status.HTTP_201_CREATED
    )


@extend_schema(
    tags=["workspace"],
    methods=["GET"],
    summary="未注册参建单位的邀请（建设单位）",
    responses={200: InvitationSerializer(many=True), **ERRORS},
)
@extend_schema(
    tags=["workspace"],
    methods=["POST"],
    summary="邀请未注册的参建单位：向其邮箱发送注册链接（建设单位）",
    request=InvitationSerializer,
    responses={201: InvitationSerializer, **ERRORS},
)
@api_view(["GET", "POST"])
@permission_classes([IsAuthenticated])
def invitations(request: Request, code: str) -> Response:
    project, access = _get_project_for_user(request, code)
    access.require_developer()
    if request.method == "GET":
        return Response(InvitationSerializer(project.invitations.all(), many=True).data)
    form = InvitationForm(_data(request))
    if not form.is_valid():
        raise _form_error(form)
    invitation = invitation_rules.invite(project, request.user, **form.cleaned_data)
    return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["workspace"],
    summary="变更项目阶段（建设单位）",
    request=s.WorkspaceStageInputSerializer,
    responses={200: s.WorkspaceProjectSerializer, **ERRORS},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def stage(request: Request, code: str) -> Response:
    _project, access = _get_project_for_user(request, code)
    access.require_developer()
    form = StageForm(_data(request))
    if not form.is_valid():
        raise _form_error(form)
    return Response(
        s.WorkspaceProjectSerializer(project_rules.move_stage(access, **form.cleaned_data)).data
    )


@extend_schema(
    tags=["workspace"],
    methods=["GET"],
    summary="公示方案（草稿优先）",
    responses={200: s.WorkspacePlanSerializer, **ERRORS},
)
@extend_schema(
    tags=["workspace"],
    methods=["PUT"],
    summary="保存公示方案草稿；?publish=1 同时发布",
    request=s.WorkspacePlanSerializer,
    responses={200: s.WorkspacePlanSerializer, **ERRORS},
)
@api_view(["GET", "PUT"])
@permission_classes([IsAuthenticated])
def plan(request: Request, code: str) -> Response:
    project, access = _get_project_for_user(request, code)
    access.require_developer()
    if request.method == "PUT":
        data = request.data
        form = PlanForm(
            {
                **{k: v for k, v in data.items() if k != "channels"},
                "channels": list(data.get("channels") or []),
            }
            if isinstance(data, dict)
            else data
        )
        if not form.is_valid():
            raise _form_error(form)
        plans.save_plan(access, {name: form.cleaned_data[name] for name in plans.PLAN_FIELDS})
        if request.query_params.get("publish") == "1":
            plans.publish_plan(access)
    shown = plans.draft_plan(project) or current_plan(project)
    if shown is None:
        raise Http404
    return Response(s.WorkspacePlanSerializer(shown).data)


@extend_schema(
    tags=["workspace"],
    summary="公示清单",
    responses={200: s.WorkspaceChecklistSerializer, **ERRORS},
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def checklist(request: Request, code: str) -> Response:
    project, access = _get_project_for_user(request, code)
    checklist = project_checklist(project)
    entries = [e for e in checklist.entries if access.can_see(e.item)]
    return Response(
        s.WorkspaceChecklistSerializer(
            {
                "completeness": checklist.completeness,
                "required_due": checklist.required_due,
                "required_published": checklist.required_published,
                "entries": entries,
            }
        ).data
    )


@extend_schema(
    tags=["workspace"],
    summary="新建公示版本（草稿，可同时上传扫描件；已公示事项即为更正，须填原因）",
    request={
        "application/json": s.WorkspaceVersionInputSerializer,
        "multipart/form-data": s.WorkspaceVersionInputSerializer,
    },
    responses={201: s.WorkspaceVersionSerializer, **ERRORS},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
@parser_classes(PARSERS)
def versions(request: Request, code: str, item_code: str) -> Response:
    _project, access = _get_project_for_user(request, code)
    item = _get_item_for_user(access, item_code)
    meta = _meta(request, lock_required=False)
    version = workflow.create_version(
        access,
        item,
        values=_values(request.data.get("values")),
        information_date=meta["information_date"],
        reason=meta["reason"],
        uploads=request.FILES.getlist("files"),
    )
    return _version_response(version, status.HTTP_201_CREATED)


@extend_schema(
    tags=["workspace"],
    methods=["GET"],
    summary="读取版本",
    responses={200: s.WorkspaceVersionSerializer, **ERRORS},
)
@extend_schema(
    tags=["workspace"],
    methods=["PATCH"],
    summary="保存草稿（乐观锁：须带 lock_version）",
    request=s.WorkspaceDraftInputSerializer,
    responses={200: s.WorkspaceVersionSerializer, **ERRORS, **CONFLICT},
)
@api_view(["GET", "PATCH"])
@permission_classes([IsAuthenticated])
def version(request: Request, code: str, pk: int) -> Response:
    _project, access = _get_project_for_user(request, code)
    version = workflow.get_version(access, pk)
    if request.method == "GET":
        return _version_response(version)
    _require_owner(access, version, _("此版本由%(org)s填报，您不能修改。"))
    meta = _meta(request, lock_required=True)
    data = _data(request)
    return _or_conflict(
        lambda: workflow.save_draft(
            access,
            version,
            lock_version=meta["lock_version"],
            values=_values(data.get("values")),
            information_date=meta["information_date"] if "information_date" in data else ...,
            reason=data.get("reason"),
        )
    )


def _lock(request: Request) -> int | None:
    value = _data(request).get("lock_version")
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(
            {"lock_version": [_("lock_version 应为整数。")]}, code="invalid"
        ) from None


@extend_schema(
    tags=["workspace"],
    summary="上传扫描件（multipart，全部成功或全部不保存）",
    request={"multipart/form-data": s.WorkspaceFilesInputSerializer},
    responses={200: s.WorkspaceVersionSerializer, **ERRORS, **CONFLICT},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
@parser_classes([MultiPartParser, FormParser])
def version_files(request: Request, code: str, pk: int) -> Response:
    _project, access = _get_project_for_user(request, code)
    version = workflow.get_version(access, pk)
    _require_owner(access, version, _("此版本不是您的单位填报的，不能上传附件。"))
    uploads = request.FILES.getlist("files")
    return _or_conflict(
        lambda: workflow.add_files(access, version, uploads, lock_version=_lock(request))
    )


def _require_owner(access, version, message: str) -> None:
    """Refuse (403) before the body is read when the caller's unit did not supply the version."""
    if not access.owns(version):
        raise Refused(message % {"org": version.supplied_by.name}, code="not_owner")


def _transition(request: Request, code: str, pk: int, action, *, check) -> Response:
    """Find the version the caller may see, check they may act on it, then read the body."""
    _project, access = _get_project_for_user(request, code)
    version = workflow.get_version(access, pk)
    check(access, version)
    return _or_conflict(lambda: action(access, version))


def _developer(access, version) -> None:
    access.require_developer()


@extend_schema(
    tags=["workspace"],
    summary="提交建设单位审核（参建单位）",
    request=s.WorkspaceLockInputSerializer,
    responses={200: s.WorkspaceVersionSerializer, **ERRORS, **CONFLICT},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def version_submit(request: Request, code: str, pk: int) -> Response:
    return _transition(
        request,
        code,
        pk,
        lambda a, v: workflow.submit(a, v, lock_version=_lock(request)),
        check=lambda a, v: _require_owner(a, v, _("此版本不是您的单位填报的，不能提交。")),
    )


@extend_schema(
    tags=["workspace"],
    summary="审核通过并公示（建设单位）",
    request=s.WorkspaceLockInputSerializer,
    responses={200: s.WorkspaceVersionSerializer, **ERRORS, **CONFLICT},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def version_approve(request: Request, code: str, pk: int) -> Response:
    return _transition(
        request,
        code,
        pk,
        lambda a, v: workflow.approve(a, v, lock_version=_lock(request)),
        check=_developer,
    )


@extend_schema(
    tags=["workspace"],
    summary="退回修改（建设单位，须填原因）",
    request=s.WorkspaceReasonInputSerializer,
    responses={200: s.WorkspaceVersionSerializer, **ERRORS, **CONFLICT},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def version_return(request: Request, code: str, pk: int) -> Response:
    return _transition(
        request,
        code,
        pk,
        lambda a, v: workflow.send_back(
            a, v, _data(request).get("reason", ""), lock_version=_lock(request)
        ),
        check=_developer,
    )


@extend_schema(
    tags=["workspace"],
    summary="撤回已公示事项（建设单位，须填原因）",
    request=s.WorkspaceReasonInputSerializer,
    responses={201: s.WorkspaceVersionSerializer, **ERRORS},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def withdraw(request: Request, code: str, item_code: str) -> Response:
    _project, access = _get_project_for_user(request, code)
    item = _get_item_for_user(access, item_code)
    access.require_developer()
    version = workflow.withdraw(access, item, _data(request).get("reason", ""))
    return _version_response(version, status.HTTP_201_CREATED)


@extend_schema(
    tags=["workspace"],
    summary="声明事项不适用于本项目（建设单位，须填原因，向公众公开）",
    request=s.WorkspaceReasonInputSerializer,
    responses={201: s.WorkspaceVersionSerializer, **ERRORS},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def not_applicable(request: Request, code: str, item_code: str) -> Response:
    _project, access = _get_project_for_user(request, code)
    item = _get_item_for_user(access, item_code)
    access.require_developer()
    version = workflow.declare_inapplicable(access, item, _data(request).get("reason", ""))
    return _version_response(version, status.HTTP_201_CREATED)
