"""Open data API: ``/api/v1/projects/`` (search, filters, pages) and ``/api/v1/projects/<code>/``.

Both run a constant number of queries: the list computes the checklists of one page of
projects at once; the detail loads the project page's read model plus every published
version's values and files in one query each.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from gongshi.disclosures.checklist import checklists_for
from gongshi.disclosures.models import DisclosureVersion, VersionFile, VersionStatus
from gongshi.projects.models import Project
from gongshi.public.api.serializers import ProjectDetailSerializer, ProjectSummarySerializer
from gongshi.public.page import get_project, load_project_page
from gongshi.public.search import ProjectFilterSet


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


def _version(version: DisclosureVersion) -> dict:
    return {
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


def project_detail_data(project: Project) -> Project:
    """Attach units, categories (with every published version) and retention to ``project``."""
    page = load_project_page(project)
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
                    "versions": [
                        _version(v)
                        for v in versions_by_disclosure.get(
                            view.entry.disclosure.pk if view.entry.disclosure else None, []
                        )
                    ],
                }
                for view in cat.items
            ],
        }
        for cat in page.categories
    ]
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
        checklists = checklists_for(page)
        serializer = ProjectSummarySerializer(
            page, many=True, context={**self.get_serializer_context(), "checklists": checklists}
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
                "checklists": {project.pk: project._checklist},
            },
        )
        return Response(serializer.data)
