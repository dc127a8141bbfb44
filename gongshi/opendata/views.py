"""``/open-data/``: what the bulk package holds, and the package itself (ETag = its SHA-256).

Neither reads the database: the metadata comes from ``open-data/current.json`` in storage.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from gongshi.opendata.package import RESOURCES, created_at, read_current

#: Clients may reuse the zip for an hour, then revalidate (a 304 when nothing changed).
MAX_AGE = 3600


def download_name(meta: dict) -> str:
    return f"gongshi-open-data-{created_at(meta):%Y%m%d}.zip"


def _missing(request: HttpRequest) -> HttpResponse:
    return render(request, "opendata/missing.html", status=404)


def _resources(meta: dict) -> list[dict]:
    rows = {r["name"]: r["rows"] for r in meta["resources"]}
    return [
        {
            "name": r.name,
            "title": r.title,
            "description": r.description,
            "path": r.path,
            "rows": rows.get(r.name),
            "columns": r.columns,
        }
        for r in RESOURCES
        if r.name in rows
    ]


@require_safe
def page(request: HttpRequest) -> HttpResponse:
    meta = read_current()
    if meta is None:
        return _missing(request)
    return render(
        request,
        "opendata/page.html",
        {
            "meta": meta,
            "created": created_at(meta),
            "resources": _resources(meta),
            "package": meta["datapackage"],
            "filename": download_name(meta),
        },
    )


def _headers(response: HttpResponse, meta: dict) -> HttpResponse:
    response["ETag"] = f'"{meta["sha256"]}"'
    response["Last-Modified"] = http_date(created_at(meta).timestamp())
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


@require_safe
def download(request: HttpRequest) -> HttpResponse:
    meta = read_current()
    if meta is None:
        return _missing(request)
    etag = f'"{meta["sha256"]}"'
    last_modified = int(created_at(meta).timestamp())
    conditional = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if conditional is not None:
        return _headers(conditional, meta)
    try:
        handle = default_storage.open(meta["name"], "rb")
    except FileNotFoundError:
        # A newer package replaced it since this process cached the metadata.
        meta = read_current(fresh=True)
        if meta is None or not default_storage.exists(meta["name"]):
            return _missing(request)
        handle = default_storage.open(meta["name"], "rb")
    response = FileResponse(
        handle,
        content_type="application/zip",
        as_attachment=True,
        filename=download_name(meta),
    )
    response["Content-Length"] = str(meta["size"])
    return _headers(response, meta)
