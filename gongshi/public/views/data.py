"""Open data for people with a spreadsheet: CSV and Excel exports, and Atom feeds."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongshi.projects.models import Project
from gongshi.public.exports import (
    csv_stream,
    disclosure_header,
    disclosure_rows,
    project_header,
    project_rows,
    xlsx_bytes,
)
from gongshi.public.page import get_project
from gongshi.public.search import ProjectFilterSet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filtered_projects(request: HttpRequest):
    filterset = ProjectFilterSet(request.GET or None, queryset=Project.objects.all())
    if filterset.is_bound and not filterset.is_valid():
        return None, filterset
    return filterset.qs, filterset


def _bad_filters(filterset) -> HttpResponse:
    messages = [str(e) for errors in filterset.errors.values() for e in errors]
    return HttpResponse(
        _("筛选条件有误：") + "；".join(messages),
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def projects_csv(request: HttpRequest) -> HttpResponse:
    queryset, filterset = _filtered_projects(request)
    if queryset is None:
        return _bad_filters(filterset)
    response = StreamingHttpResponse(
        csv_stream(project_header(), project_rows(queryset)), content_type="text/csv; charset=utf-8"
    )
    return _attachment(response, f"gongshi-projects-{timezone.localdate():%Y%m%d}.csv")


def projects_xlsx(request: HttpRequest) -> HttpResponse:
    queryset, filterset = _filtered_projects(request)
    if queryset is None:
        return _bad_filters(filterset)
    content = xlsx_bytes(_("项目"), project_header(), project_rows(queryset))
    return _attachment(
        HttpResponse(content, content_type=XLSX),
        f"gongshi-projects-{timezone.localdate():%Y%m%d}.xlsx",
    )


def disclosures_csv(request: HttpRequest, code: str) -> HttpResponse:
    project = get_project(code)
    response = StreamingHttpResponse(
        csv_stream(disclosure_header(), disclosure_rows(project)),
        content_type="text/csv; charset=utf-8",
    )
    return _attachment(response, f"gongshi-{project.code}-disclosures.csv")


def disclosures_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    project = get_project(code)
    content = xlsx_bytes(_("公示信息"), disclosure_header(), disclosure_rows(project))
    return _attachment(
        HttpResponse(content, content_type=XLSX), f"gongshi-{project.code}-disclosures.xlsx"
    )
