"""Open data API: ``/api/v1/projects/`` (search, filters, pages) and ``/api/v1/projects/<code>/``.

Both run a constant number of queries: the list reads the cards of one page of projects at
once (``gongshi.public.cards``: one query for their keys, checklists only for those not in
the cache); the detail loads the project page's read model plus every published
version's values and files in one query each.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from gongshi.disclosures.checklist import InstanceEntry
from gongshi.disclosures.models import DisclosureVersion, VersionFile, VersionStatus
from gongshi.projects.models import Project
from gongshi.public.api.serializers import (
    ProjectDetailSerializer,
    ProjectSummarySerializer,
    PublicBuildingDetailSerializer,
)
from gongshi.public.cards import card_of, cards_for
from gongshi.public.page import (
    BuildingView,
    ItemView,
    ProjectPage,
    get_project,
    load_project_page,
)
from gongshi.public.search import ProjectFilterSet
from gongshi.public.status import instance_status


def _file(attachment: VersionFile) -> dict:
    stored = attachment.file
    return {
        "name": attachment.name,
        "sha256": stored.sha256,
        "size": stored.size,
        "content_type": stored.content_type,
        "page_count": stored.page_count,
        "url": settings.SITE_URL + reverse("files:download", args=[stored.sha256]),
    }


def _version(version: DisclosureVersion, instance: int = 1) -> dict:
    return {
        "instance": instance,
        "number": version.number,
        "kind": version.kind,
        "published_at": version.published_at,
        "information_date": version.information_date,
        "timeliness_days": version.timeliness_days,
        "reason": version.reason,
        "leaf_index": version.leaf_index,
        "supplied_by": version.supplied_by.name,
        "values": version.values,
        "files": [_file(a) for a in version.attachments.all()],
    }


def _site(url: str) -> str:
    return settings.SITE_URL + url


def _building_ref(code: str, building) -> dict:
    return {
        "id": building.pk,
        "name": building.name,
        "url": _site(reverse("public:building", args=[code, building.pk])),
        "api_url": _site(reverse("api:project-building", args=[code, building.pk])),
    }


def _building(code: str, building) -> dict:
    return {
        **_building_ref(code, building),
        "units": building.units,
        "floors_above": building.floors_above,
        "floors_below": building.floors_below,
        "floor_area": building.floor_area,
        "household_count": building.household_count,
    }


def _instance(code: str, item, instance: InstanceEntry, buildings: dict) -> dict:
    """One published instance of an item (第 n 份), as listed under its item."""
    current = instance.current
    if item.repeatable:
        page = reverse("public:instance", args=[code, item.code, instance.number])
    else:
        page = reverse("public:item", args=[code, item.code])
    status = instance_status(instance)
    covered = instance.building_ids()
    return {
        "number": instance.number,
        "label": instance.disclosure.label,
        "title": instance.title,
        "state": instance.state.value,
        "status": {"word": status.word, "tone": status.tone},
        # ``buildings`` is in the project's order
        "buildings": [_building_ref(code, b) for pk, b in buildings.items() if pk in covered],
        "current_version": current.number if current is not None else None,
        "url": _site(page),
        "history_url": _site(page + "#history"),
    }


def project_detail_data(project: Project) -> Project:
    """Attach units, categories (with every instance and published version), buildings and
    retention to ``project``."""
    page = load_project_page(project)
    code = project.code
    buildings = {b.building.pk: b.building for b in page.buildings}
    versions_by_disclosure: dict[int, list[DisclosureVersion]] = defaultdict(list)
    for version in (
        DisclosureVersion.objects.filter(
            disclosure__project=project, status=VersionStatus.PUBLISHED
        )
        .select_related("supplied_by")
        .prefetch_related(
            Prefetch("attachments", queryset=VersionFile.objects.select_related("file"))
        )
        .order_by("number")
    ):
        versions_by_disclosure[version.disclosure_id].append(version)
    project._units = [
        {
            "role": p.role,
            "role_label": p.get_role_display(),
            "organisation": p.organisation.name,
            "credit_code": p.organisation.credit_code,
            "leader_name": p.leader_name,
            "leader_title": p.leader_title,
        }
        for p in page.participations
    ]
    project._categories = [
        {
            "code": cat.category.value,
            "title": str(cat.category.label),
            "completeness": cat.percent,
            "status": {"word": cat.status.word, "tone": cat.status.tone},
            "last_published_at": cat.last_published_at,
            "items": [
                {
                    "code": view.item.code,
                    "title": view.item.display_title,
                    "category": view.item.category,
                    "requirement": view.entry.requirement.value,
                    "required": view.entry.is_required,
                    "not_required_reason": view.entry.not_required_reason,
                    "due": view.entry.due,
                    "state": view.entry.state.value,
                    "status": {"word": view.status.word, "tone": view.status.tone},
                    "retained_until": view.retained_until,
                    "fields": view.item.fields,
                    "repeatable": view.item.repeatable,
                    "required_instances": view.entry.required_instances,
                    "required_reason": view.entry.required_reason,
                    "instances": [
                        _instance(code, view.item, i, buildings)
                        for i in view.entry.published_instances
                    ],
                    "versions": _item_versions(view, versions_by_disclosure),
                }
                for view in cat.items
            ],
        }
        for cat in page.categories
    ]
    project._buildings = [_building(code, b.building) for b in page.buildings]
    project._retention = page.retention
    plan = page.plan
    project._plan = (
        {
            "responsible_person": plan.responsible_person,
            "channels": plan.channels,
            "content": plan.content,
            "method": plan.method,
            "regime": plan.regime,
            "procedure": plan.procedure,
            "time_limits": plan.time_limits,
            "management_measures": plan.management_measures,
            "published_at": plan.published_at.isoformat(),
        }
        if plan
        else None
    )
    project._checklist = page.checklist
    return project


def _item_versions(view: ItemView, versions_by_disclosure: dict) -> list[dict]:
    """Every published version of every instance of the item, in order of publication."""
    pairs = [
        (instance.number, version)
        for instance in view.entry.instances
        for version in versions_by_disclosure.get(instance.disclosure.pk, [])
    ]
    pairs.sort(key=lambda p: (p[1].published_at, p[1].pk))
    return [_version(version, number) for number, version in pairs]


def building_detail_data(page: ProjectPage, building: BuildingView) -> dict:
    """One building with every published instance that covers it and its public content."""
    code = page.project.code
    buildings = {b.building.pk: b.building for b in page.buildings}
    wanted = [(item_view, i) for item_view, i in building.instances]
    versions = {
        v.pk: v
        for v in DisclosureVersion.objects.filter(
            pk__in=[i.version.pk for _view, i in wanted if i.version is not None]
        )
        .select_related("supplied_by")
        .prefetch_related(
            Prefetch("attachments", queryset=VersionFile.objects.select_related("file"))
        )
    }
    return {
        **_building(code, building.building),
        "project": code,
        "instances": [
            {
                "item": item_view.item.code,
                "item_title": item_view.item.display_title,
                **_instance(code, item_view.item, i.instance, buildings),
                "version": (
                    _version(versions[i.version.pk], i.number) if i.version is not None else None
                ),
            }
            for item_view, i in wanted
        ],
    }


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """Residential projects and everything disclosed about them (open data, no login)."""

    queryset = Project.objects.all()
    serializer_class = ProjectSummarySerializer
    filterset_class = ProjectFilterSet
    lookup_field = "code"
    lookup_value_regex = "[0-9A-Za-z]{4,12}"

    @extend_schema(summary="搜索项目（名称、地址、建设单位、城市区县、拼音、首字母）")
    def list(self, request: Request, *args, **kwargs) -> Response:
        self.filter_queryset(self.get_queryset())  # validates the filters (400 otherwise)
        filterset = self.filterset_class(
            request.query_params, queryset=self.get_queryset(), request=request
        )
        filterset.is_valid()
        page = self.paginate_queryset(filterset.results())
        serializer = ProjectSummarySerializer(
            page, many=True, context={**self.get_serializer_context(), "cards": cards_for(page)}
        )
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        summary="一个项目的全部公示信息：每个事项、每个版本、每个文件的 SHA-256 和下载地址",
        responses=ProjectDetailSerializer,
    )
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        project = project_detail_data(get_project(kwargs["code"]))
        serializer = ProjectDetailSerializer(
            project,
            context={
                **self.get_serializer_context(),
                "cards": {project.pk: card_of(project._checklist)},
            },
        )
        return Response(serializer.data)

    @extend_schema(
        summary="项目的一栋楼：楼栋信息及涵盖该楼栋的每一份公示（如预售许可、竣工验收）",
        responses=PublicBuildingDetailSerializer,
    )
    @action(detail=True, methods=["get"], url_path=r"buildings/(?P<building_id>[0-9]+)")
    def building(self, request: Request, code: str, building_id: str) -> Response:
        page = load_project_page(get_project(code))
        building = page.building(int(building_id))
        if building is None:
            raise Http404
        return Response(PublicBuildingDetailSerializer(building_detail_data(page, building)).data)
