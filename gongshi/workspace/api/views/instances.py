"""Instances of a repeatable item through the API (第 n 份): list, add, rename or change the
buildings covered, withdraw, declare how many the project needs, and draft a version of one.

The same domain functions as the workspace pages (``disclosures.instances``,
``disclosures.workflow``), so the audit records, the log leaves and the public page stamps
are the same whichever way the developer works.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, parser_classes, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from gongshi.disclosures import workflow
from gongshi.disclosures.instances import get_instance, required_of
from gongshi.disclosures.models import Disclosure, DisclosureVersion
from gongshi.workspace.access import _get_item_for_user, _get_project_for_user
from gongshi.workspace.api import serializers as s
from gongshi.workspace.api.views import (
    ERRORS,
    PARSERS,
    _data,
    _meta,
    _values,
    _version_response,
)


def _instances(project, item, number: int | None = None) -> list[Disclosure]:
    """The item's instances with their buildings and versions (three queries)."""
    rows = Disclosure.objects.filter(project=project, item=item)
    if number is not None:
        rows = rows.filter(instance=number)
    return list(
        rows.prefetch_related(
            "buildings",
            Prefetch("versions", queryset=DisclosureVersion.objects.order_by("number", "pk")),
        ).order_by("instance")
    )


def _instance_or_404(project, item, number: int) -> Disclosure:
    """Instance 1 always exists (it is the item); later ones once the developer added them."""
    found = _instances(project, item, number)
    if found:
        return found[0]
    if number == 1:  # not yet written to: an empty first instance, without a row to read
        return Disclosure(project=project, item=item, instance=1)
    raise Http404


def _buildings(request: Request) -> list | None:
    """The ``buildings`` sent (a JSON list, or repeated form fields); None when not sent."""
    data = request.data
    if "buildings" not in data:
        return None
    if hasattr(data, "getlist"):
        return data.getlist("buildings")
    value = data.get("buildings")
    return value if isinstance(value, list) else [value]


def _instance_data(disclosure: Disclosure) -> dict:
    return s.WorkspaceInstanceSerializer(disclosure).data


def _listing(project, item) -> Response:
    rows = _instances(project, item)
    first = next((d for d in rows if d.instance == 1), None)
    required, reason = required_of(project, item, first)
    return Response(
        s.WorkspaceInstanceListSerializer(
            {
                "item": item.code,
                "repeatable": item.repeatable,
                "covers_buildings": item.covers_buildings,
                "required_instances": required,
                "required_reason": reason,
                "required_declared": bool(first and first.required_declared),
                "instances": rows,
            }
        ).data
    )


@extend_schema(
    tags=["workspace"],
    methods=["GET"],
    operation_id="workspace_item_instances_list",
    summary="事项的各份（可多份公示的事项：每份的名称、涵盖楼栋、当前版本和待审版本）",
    responses={200: s.WorkspaceInstanceListSerializer, **ERRORS},
)
@extend_schema(
    tags=["workspace"],
    methods=["POST"],
    operation_id="workspace_item_instances_create",
    summary="新增一份（建设单位；如第二批预售许可证），填写名称和涵盖楼栋",
    request=s.WorkspaceInstanceInputSerializer,
    responses={201: s.WorkspaceInstanceSerializer, **ERRORS},
)
@api_view(["GET", "POST"])
@permission_classes([IsAuthenticated])
def instances(request: Request, code: str, item_code: str) -> Response:
    project, access = _get_project_for_user(request, code)
    item = _get_item_for_user(access, item_code)
    if request.method == "GET":
        return _listing(project, item)
    access.require_developer()
    disclosure = workflow.add_instance(
        access,
        item,
        label=_data(request).get("label") or "",
        buildings=_buildings(request) or [],
    )
    [added] = _instances(project, item, disclosure.instance)
    return Response(_instance_data(added), status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["workspace"],
    methods=["GET"],
    summary="读取一份",
    responses={200: s.WorkspaceInstanceSerializer, **ERRORS},
)
@extend_schema(
    tags=["workspace"],
    methods=["PATCH"],
    summary="修改一份的名称或涵盖楼栋（建设单位；公示后不能再改，须撤回后新增）",
    request=s.WorkspaceInstanceInputSerializer,
    responses={200: s.WorkspaceInstanceSerializer, **ERRORS},
)
@api_view(["GET", "PATCH"])
@permission_classes([IsAuthenticated])
def instance(request: Request, code: str, item_code: str, number: int) -> Response:
    project, access = _get_project_for_user(request, code)
    item = _get_item_for_user(access, item_code)
    disclosure = _instance_or_404(project, item, number)
    if request.method == "PATCH":
        access.require_developer()
        data = _data(request)
        if disclosure.pk is None:
            disclosure = get_instance(project, item, 1)
        workflow.update_instance(
            access,
            disclosure,
            label=data.get("label"),
            buildings=_buildings(request),
        )
        disclosure = _instance_or_404(project, item, number)
    return Response(_instance_data(disclosure))


@extend_schema(
    tags=["workspace"],
    methods=["POST"],
    operation_id="workspace_item_instances_required_set",
    summary="声明本项目应公示的份数（建设单位，如三批预售即 3 份）",
    request=s.WorkspaceRequiredInputSerializer,
    responses={200: s.WorkspaceInstanceListSerializer, **ERRORS},
)
@extend_schema(
    tags=["workspace"],
    methods=["DELETE"],
    operation_id="workspace_item_instances_required_follow_plan",
    summary="取消填报的份数，恢复按销售批次或楼栋计算（建设单位；预售许可证、单位工程竣工验收）",
    request=None,
    responses={200: s.WorkspaceInstanceListSerializer, **ERRORS},
)
@api_view(["POST", "DELETE"])
@permission_classes([IsAuthenticated])
def required(request: Request, code: str, item_code: str) -> Response:
    project, access = _get_project_for_user(request, code)
    item = _get_item_for_user(access, item_code)
    access.require_developer()
    if request.method == "DELETE":
        workflow.follow_plan(access, item)
    else:
        workflow.set_required(access, item, _data(request).get("required"))
    return _listing(project, item)


@extend_schema(
    tags=["workspace"],
    summary="撤回已公示的一份（建设单位，须填原因，向公众公开）",
    request=s.WorkspaceReasonInputSerializer,
    responses={201: s.WorkspaceVersionSerializer, **ERRORS},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def instance_withdraw(request: Request, code: str, item_code: str, number: int) -> Response:
    project, access = _get_project_for_user(request, code)
    item = _get_item_for_user(access, item_code)
    access.require_developer()
    _instance_or_404(project, item, number)
    version = workflow.withdraw(access, item, _data(request).get("reason", ""), instance=number)
    return _version_response(version, status.HTTP_201_CREATED)


@extend_schema(
    tags=["workspace"],
    summary="为一份新建版本（草稿，可同时上传扫描件；已公示即为更正，须填原因）",
    request={
        "application/json": s.WorkspaceVersionInputSerializer,
        "multipart/form-data": s.WorkspaceVersionInputSerializer,
    },
    responses={201: s.WorkspaceVersionSerializer, **ERRORS},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
@parser_classes(PARSERS)
def instance_versions(request: Request, code: str, item_code: str, number: int) -> Response:
    project, access = _get_project_for_user(request, code)
    item = _get_item_for_user(access, item_code)
    _instance_or_404(project, item, number)
    meta = _meta(request, lock_required=False)
    version = workflow.create_version(
        access,
        item,
        values=_values(request.data.get("values")),
        information_date=meta["information_date"],
        reason=meta["reason"],
        uploads=request.FILES.getlist("files"),
        instance=number,
    )
    return _version_response(version, status.HTTP_201_CREATED)
