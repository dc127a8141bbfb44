"""A project's public page, one item's full record and history, and the household lookup.

Each answers conditional requests from the project's fingerprint (one query) before
loading anything, and loads the rest in a constant number of queries (see ``page.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from gongshi.disclosures.models import DisclosureVersion, VersionKind, VersionStatus
from gongshi.participation.panel import panel_context
from gongshi.public.board import BOARD_PARAMETER, board_age
from gongshi.public.conditional import not_modified, project_fingerprint, stamp
from gongshi.public.diff import diff_values
from gongshi.public.display import TABLE_PAGE_SIZE, version_content
from gongshi.public.household import household_sources, look_up, normalise
from gongshi.public.page import cached_project_page, instance_view, item_view
from gongshi.public.sections import PageSections


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def project_url(code: str) -> str:
    return absolute(reverse("public:project", args=[code]))


def share_context(page) -> dict:
    """Open Graph metadata, so a link pasted into WeChat or a chat app shows a card."""
    project = page.project
    city = project.region.city
    description = _(
        "%(city)s%(district)s · %(stage)s · 信息公示完整度 %(percent)d%%（%(status)s） · 建设单位：%(developer)s"
    ) % {
        "city": city.name if city != project.region else "",
        "district": project.region.name,
        "stage": project.get_stage_display(),
        "percent": page.percent,
        "status": page.status.word,
        "developer": project.developer.name,
    }
    return {
        "og_title": _("%(name)s · 住宅工程质量信息公示") % {"name": project.name},
        "og_description": description,
        "og_image": absolute(reverse("public:qr_png", args=[project.code])),
        "og_url": project_url(project.code),
        "site_url": settings.SITE_URL,
    }


def project_page(request: HttpRequest, code: str) -> HttpResponse:
    fingerprint = project_fingerprint(code, request)
    if (cached := not_modified(request, fingerprint)) is not None:
        return cached
    return stamp(_render_project_page(request, code, fingerprint), fingerprint)


def _render_project_page(request: HttpRequest, code: str, fingerprint) -> HttpResponse:
    page = cached_project_page(code, fingerprint.content_key)
    households = household_sources(page.checklist)
    context = {
        "page": page,
        "project": page.project,
        "households": households,
        "verify_url": f"/p/{page.project.code}/verify/",
        # The disclosures, score, participation and records sections hold nothing
        # reader-specific: they are rendered once per change of the data (and language) and
        # then served from the cache; the participation panel's data is loaded (the template
        # calls it) only when its fragment is not cached.
        "fragment_key": fingerprint.content_key,
        "participation": lambda: panel_context(page.project),
        # Each item's and instance's section, from the section cache (built when the
        # categories' fragment is not cached: see ``gongshi.public.sections``).
        "sections": PageSections(page),
        # Opened from a printed board's QR code (?board=N): what changed since it was printed.
        "board_age": board_age(page.project, request.GET.get(BOARD_PARAMETER)),
        **share_context(page),
    }
    return render(request, "public/project.html", context)


def _item_entry(page, item_code: str):
    entry = page.checklist.entry(item_code)
    if entry is None or entry.disclosure is None:
        raise Http404
    return entry


def item_page(request: HttpRequest, code: str, item_code: str) -> HttpResponse:
    """One item: its current fields, its tables page by page, every version and what changed.

    A repeatable item's page lists its instances, each linking to its own page.
    """
    fingerprint = project_fingerprint(code, request)
    if (cached := not_modified(request, fingerprint)) is not None:
        return cached
    return stamp(_render_item_page(request, code, item_code, fingerprint), fingerprint)


def instance_page(request: HttpRequest, code: str, item_code: str, instance: int) -> HttpResponse:
    """One instance of a repeatable item (第 n 份): its content, versions and changes."""
    fingerprint = project_fingerprint(code, request)
    if (cached := not_modified(request, fingerprint)) is not None:
        return cached
    return stamp(
        _render_item_page(request, code, item_code, fingerprint, instance=instance), fingerprint
    )


def _table_page(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page") or 1))
    except ValueError:
        return 1


def _render_item_page(
    request: HttpRequest, code: str, item_code: str, fingerprint, *, instance: int | None = None
) -> HttpResponse:
    page = cached_project_page(code, fingerprint.content_key)
    project = page.project
    entry = _item_entry(page, item_code)
    table_page = _table_page(request)
    if instance is None:
        view = item_view(entry, table_rows=TABLE_PAGE_SIZE, page=table_page)
        disclosure = entry.disclosure
    else:
        found = next((i for i in entry.published_instances if i.number == instance), None)
        if found is None or not entry.item.repeatable:
            raise Http404
        view = instance_view(entry.item, found, table_rows=TABLE_PAGE_SIZE, page=table_page)
        disclosure = found.disclosure
    history = []
    if instance is not None or not entry.item.repeatable:
        history = _history(entry.item, disclosure)
    context = {
        "page": page,
        "project": project,
        "view": view,
        "history": history,
        **share_context(page),
    }
    return render(request, "public/item.html", context)


def _history(item, disclosure) -> list:
    """Every published version with its changes, newest first: one query, whatever the number."""
    versions = list(
        DisclosureVersion.objects.filter(disclosure=disclosure, status=VersionStatus.PUBLISHED)
        .select_related("supplied_by", "approved_by")
        .order_by("number")
    )
    history = []
    previous_values: dict | None = None
    for version in versions:
        if version.kind in (VersionKind.WITHDRAWAL, VersionKind.INAPPLICABLE):
            history.append((version, None, None))  # a reason, no content
            continue
        if previous_values is None:
            # The first version is shown whole: every later one is shown as its changes, so
            # the full history stays readable even after the item is withdrawn.
            history.append((version, None, version_content(item.fields, version.values)))
        else:
            changes = diff_values(item.fields, previous_values, version.values)
            history.append((version, changes, None))
        previous_values = version.values
    history.reverse()
    return history


def building_page(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """One building (楼栋) of the project: its facts and every instance that covers it."""
    fingerprint = project_fingerprint(code, request)
    if (cached := not_modified(request, fingerprint)) is not None:
        return cached
    page = cached_project_page(code, fingerprint.content_key)
    building = page.building(pk)
    if building is None:
        raise Http404
    context = {
        "page": page,
        "project": page.project,
        "building": building,
        **share_context(page),
    }
    return stamp(render(request, "public/building.html", context), fingerprint)


def household_page(request: HttpRequest, code: str) -> HttpResponse:
    """一户一档: building / unit / room → the household's acceptance row and its file."""
    fingerprint = project_fingerprint(code, request)
    if (cached := not_modified(request, fingerprint)) is not None:
        return cached
    page = cached_project_page(code, fingerprint.content_key)
    project = page.project
    sources = household_sources(page.checklist)
    building = request.GET.get("building", "").strip()[:20]
    unit = request.GET.get("unit", "").strip()[:20]
    room = request.GET.get("room", "").strip()[:20]
    asked = bool(building or room)
    error = ""
    results = []
    if asked:
        if not (building and room):
            error = _("请同时填写楼栋号和房号（单元号没有可不填）。")
        else:
            results = look_up(sources, building, unit, room)
    options = {"building": [], "unit": [], "room": []}
    for source in sources:
        for key, values in source.options().items():
            options[key] += [v for v in values if v not in options[key]]
    context = {
        "page": page,
        "project": project,
        "sources": sources,
        "options": options,
        "building": building,
        "unit": unit,
        "room": room,
        # As headings say them: "1号楼" typed is "1 栋", not "1号楼 栋".
        "shown": {
            "building": normalise(building),
            "unit": normalise(unit),
            "room": normalise(room),
        },
        "asked": asked,
        "error": error,
        "results": results,
        **share_context(page),
    }
    return stamp(render(request, "public/household.html", context), fingerprint)
