"""The project's buildings (楼栋) through the API: list, add, change, remove, and the Excel
import — the same rules as the workspace's buildings page (``workspace.buildings``): a name
in a published instance stays, a building with flats stays, an import writes nothing unless
every row is sound."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, parser_classes, permission_classes
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from gongshi.projects.models import Building
from gongshi.workspace import buildings as rules
from gongshi.workspace.access import _get_project_for_user
from gongshi.workspace.api import serializers as s
from gongshi.workspace.api.views import ERRORS, PARSERS, _data


def _read(project, buildings) -> list:
    published = rules.published_building_ids(project)
    return s.WorkspaceBuildingSerializer(
        buildings, many=True, context={"published": published}
    ).data


def _one(project, building: Building) -> dict:
    published = rules.published_building_ids(project)
    return s.WorkspaceBuildingSerializer(building, context={"published": published}).data


def _values(request: Request, building: Building | None = None) -> dict:
    """The fields sent; for a change (PATCH), the building's current values for the others."""
    data = _data(request)
    keys = list(rules.COLUMNS)
    current = {}
    if building is not None:
        current = {k: getattr(building, k) for k in keys}
        current = {k: ("" if v is None else str(v)) for k, v in current.items()}
    return {k: data[k] if k in data else current.get(k, "") for k in keys}


@extend_schema(
    tags=["workspace"],
    methods=["GET"],
    summary="项目的楼栋",
    responses={200: s.WorkspaceBuildingSerializer(many=True), **ERRORS},
)
@extend_schema(
    tags=["workspace"],
    methods=["POST"],
    summary="登记一栋楼（建设单位）",
    request=s.WorkspaceBuildingInputSerializer,
    responses={201: s.WorkspaceBuildingSerializer, **ERRORS},
)
@api_view(["GET", "POST"])
@permission_classes([IsAuthenticated])
@parser_classes(PARSERS)
def buildings(request: Request, code: str) -> Response:
    project, access = _get_project_for_user(request, code)
    if request.method == "GET":
        return Response(_read(project, project.buildings.all()))
    access.require_developer()
    building = rules.save_building(access, _values(request))
    return Response(_one(project, building), status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["workspace"],
    methods=["GET"],
    summary="读取一栋楼",
    responses={200: s.WorkspaceBuildingSerializer, **ERRORS},
)
@extend_schema(
    tags=["workspace"],
    methods=["PATCH"],
    summary="修改一栋楼（建设单位；已公示引用的楼栋号不能改）",
    request=s.WorkspaceBuildingInputSerializer(partial=True),
    responses={200: s.WorkspaceBuildingSerializer, **ERRORS},
)
@extend_schema(
    tags=["workspace"],
    methods=["DELETE"],
    summary="删除一栋楼（建设单位；已公示引用或已登记房屋的不能删除）",
    responses={204: OpenApiResponse(description="已删除"), **ERRORS},
)
@api_view(["GET", "PATCH", "DELETE"])
@permission_classes([IsAuthenticated])
@parser_classes(PARSERS)
def building(request: Request, code: str, pk: int) -> Response:
    project, access = _get_project_for_user(request, code)
    found = get_object_or_404(Building, project=project, pk=pk)
    if request.method == "GET":
        return Response(_one(project, found))
    access.require_developer()
    if request.method == "DELETE":
        rules.remove_building(access, found)
        return Response(status=status.HTTP_204_NO_CONTENT)
    saved = rules.save_building(access, _values(request, found), found)
    return Response(_one(project, saved))


@extend_schema(
    tags=["workspace"],
    summary="从 Excel 导入楼栋（建设单位；新楼栋号新增、已有的更新；任一行有误则全部不保存）",
    request={"multipart/form-data": s.WorkspaceBuildingImportInputSerializer},
    responses={200: s.WorkspaceBuildingImportSerializer, **ERRORS},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
@parser_classes([MultiPartParser, FormParser])
def buildings_import(request: Request, code: str) -> Response:
    project, access = _get_project_for_user(request, code)
    access.require_developer()
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError(_("请选择要导入的 Excel 文件。"), code="no_file")
    added, updated = rules.import_buildings(access, upload)
    return Response(
        {"added": added, "updated": updated, "buildings": _read(project, project.buildings.all())}
    )
