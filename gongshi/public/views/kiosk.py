"""Kiosk mode (查询终端, guidance §5.2): touch-sized search and project view for a terminal.

Pages carry a data attribute with the idle time after which ``kiosk.js`` returns to the
start, so the next person finds a clean screen.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongshi.public.conditional import project_fingerprint
from gongshi.public.page import cached_project_page
from gongshi.public.qr import project_url
from gongshi.public.views.home import search_page

IDLE_SECONDS = 90
KIOSK_RESULTS = 8


def kiosk_home(request: HttpRequest) -> HttpResponse:
    filterset, page, results = search_page(request, per_page=KIOSK_RESULTS)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "public/kiosk_home.html",
        {
            "form": filterset.form,
            "page": page,
            "results": results,
            "searching": bool(request.GET.get("q")),
            "query_string": query.urlencode(),
            "idle_seconds": IDLE_SECONDS,
        },
    )


def kiosk_project(request: HttpRequest, code: str) -> HttpResponse:
    page = cached_project_page(code, project_fingerprint(code).content_key)
    return render(
        request,
        "public/kiosk_project.html",
        {
            "page": page,
            "project": page.project,
            "project_url": project_url(page.project.code),
            "idle_seconds": IDLE_SECONDS,
        },
    )
