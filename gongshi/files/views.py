"""Serving stored files and their previews.

Both views answer 404 to anyone who may not see the file (see :mod:`gongshi.files.access`).
A file's bytes never change (its address is their SHA-256), so responses carry the hash as
ETag and may be cached for a year: publicly once the file is public, privately before.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from gongshi.files.access import get_visible_file, visible_attachments
from gongshi.files.models import EXTENSIONS, StoredFile
from gongshi.files.previews import (
    PreviewFailed,
    PreviewRequestError,
    get_or_render_preview,
    parse_preview_request,
)

ONE_YEAR = 365 * 24 * 3600


def _cache_headers(response: HttpResponse, etag: str, public: bool) -> HttpResponse:
    response["ETag"] = f'"{etag}"'
    # Unpublished scans must never sit in a shared cache; published ones are frozen forever.
    visibility = "public" if public else "private"
    response["Cache-Control"] = f"{visibility}, max-age={ONE_YEAR}, immutable"
    if not public:
        response["Vary"] = "Cookie, Authorization"
    return response


def _not_modified(request: HttpRequest, etag: str) -> bool:
    wanted = parse_etags(request.headers.get("If-None-Match", ""))
    return "*" in wanted or f'"{etag}"' in wanted or etag in wanted


def _download_name(request: HttpRequest, stored: StoredFile) -> str:
    """The name the browser saves the file under.

    ``?name=`` when it is the name of an attachment of this file the user can see (one file
    may be attached under several names); otherwise the first such attachment's name, so a
    plain link still saves "施工许可证.pdf"; a file attached nowhere is named by its hash.
    Only names of attachments the user may see are used, so an unpublished name never leaks.
    """
    asked = request.GET.get("name", "")
    first = None
    for attachments in visible_attachments(request.user, stored):
        if asked and attachments.filter(name=asked).exists():
            return asked
        first = first or attachments.order_by("pk").values_list("name", flat=True).first()
    return first or f"{stored.sha256[:12]}.{EXTENSIONS[stored.content_type]}"


@require_safe
@xframe_options_sameorigin  # the project page may embed a PDF from its own site
def download(request: HttpRequest, sha256: str) -> HttpResponse:
    """The file's bytes, inline (``?download=1`` asks the browser to save it instead)."""
    stored, public = get_visible_file(request.user, sha256)
    if _not_modified(request, stored.sha256):
        return _cache_headers(HttpResponseNotModified(), stored.sha256, public)
    try:
        fh = default_storage.open(stored.storage_name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        fh,
        content_type=stored.content_type,
        as_attachment=request.GET.get("download") == "1",
        filename=_download_name(request, stored),
    )
    response["Content-Length"] = str(stored.size)
    return _cache_headers(response, stored.sha256, public)


@require_safe
def preview(request: HttpRequest, sha256: str) -> HttpResponse:
    """A PNG of one PDF page (``?page=N``) or of the image, ``?width=W`` pixels wide."""
    stored, public = get_visible_file(request.user, sha256)
    try:
        page, width = parse_preview_request(
            stored, request.GET.get("page"), request.GET.get("width")
        )
    except PreviewRequestError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    etag = f"{stored.sha256}-p{page}-w{width}"
    if _not_modified(request, etag):
        return _cache_headers(HttpResponseNotModified(), etag, public)
    try:
        name = get_or_render_preview(stored, page, width)
    except FileNotFoundError as exc:
        raise Http404 from exc
    except PreviewFailed:
        return HttpResponse(
            _("此文件无法生成预览，请下载原文件查看。"),
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    response = FileResponse(default_storage.open(name, "rb"), content_type="image/png")
    return _cache_headers(response, etag, public)
