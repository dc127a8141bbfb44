"""From the website to paper and screens: QR codes, the paper board, the display screen, the widget."""

from __future__ import annotations

from csp.decorators import csp_replace
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt

from gongshi.public.board import (
    BOARD_PDF_REQUEST_WAIT_SECONDS,
    BOARD_PDF_RETRY_SECONDS,
    BOARD_SIZES,
    board_cache_key,
    record_print,
    render_board,
    shared_rendering,
)
from gongshi.public.conditional import not_modified, project_fingerprint, stamp
from gongshi.public.page import cached_project_page, get_project
from gongshi.public.qr import project_url, qr_png, qr_svg

SCREEN_REFRESH_SECONDS = 300
SCREEN_SLIDE_SECONDS = 12


def _qr_response(
    request: HttpRequest, code: str, content: bytes, content_type: str
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    # The address a code encodes never changes; a day of caching is safe and saves CPU.
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def qr_png_view(request: HttpRequest, code: str) -> HttpResponse:
    project = get_project(code)
    return _qr_response(request, code, qr_png(project_url(project.code)), "image/png")


def qr_svg_view(request: HttpRequest, code: str) -> HttpResponse:
    project = get_project(code)
    return _qr_response(request, code, qr_svg(project_url(project.code)), "image/svg+xml")


def board_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The paper board (公示牌) for a sales office or site, A4 or A1.

    Rendering takes seconds, so a board is rendered once per content (the project's data, the
    language, the day) and shared: by a sales office printing it again, by a crowd opening it,
    and ahead of the first request after a publication on a board that was printed recently
    (``gongshi.public.tasks.prerender_boards``). Each request still records its print.
    """
    size = (request.GET.get("size") or "A4").upper()
    if size not in BOARD_SIZES:
        return HttpResponse(
            _("纸张尺寸只能是 A4 或 A1，例如 ?size=A4。"),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    fingerprint = project_fingerprint(code)
    project = get_project(code)
    board = shared_rendering(
        board_cache_key(project.code, size, fingerprint.board_key),
        # The page is built (or read from the cache) only when the board must be rendered.
        lambda: render_board(cached_project_page(project.code, fingerprint.content_key), size),
        wait=BOARD_PDF_REQUEST_WAIT_SECONDS,
        render_after_wait=False,
    )
    if board is None:  # another request or the worker is rendering it: come back shortly
        response = render(
            request,
            "public/board_rendering.html",
            {"project": project, "retry": BOARD_PDF_RETRY_SECONDS},
            status=202,  # accepted, under way (not a 5xx: nginx would retry it elsewhere)
        )
        response.headers["Retry-After"] = str(BOARD_PDF_RETRY_SECONDS)
        response.headers["Cache-Control"] = "no-store"
        return response
    record_print(project, size, request.user, tree_size=board.tree_size)
    response = HttpResponse(board.pdf, content_type="application/pdf")
    filename = f"gongshi-{project.code}-{size}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"  # each print is recorded
    return response


def screen(request: HttpRequest, code: str) -> HttpResponse:
    """Display screen mode: full screen, large type, rotating, refreshing itself."""
    fingerprint = project_fingerprint(code, request)
    if (cached := not_modified(request, fingerprint)) is not None:
        return cached
    page = cached_project_page(code, fingerprint.content_key)
    context = {
        "page": page,
        "project": page.project,
        "updates": page.latest_updates(8),
        "refresh_seconds": SCREEN_REFRESH_SECONDS,
        "slide_seconds": SCREEN_SLIDE_SECONDS,
        "project_url": project_url(page.project.code),
        "now": timezone.localtime(),
    }
    return stamp(render(request, "public/screen.html", context), fingerprint)


# The one page other sites may frame (a developer's website, a WeChat article): every other
# response says frame-ancestors 'none' and X-Frame-Options: DENY (settings "Security").
_FRAMEABLE = {"frame-ancestors": ["*"]}


@xframe_options_exempt
@csp_replace(_FRAMEABLE)
@csp_replace(_FRAMEABLE, REPORT_ONLY=True)
def widget(request: HttpRequest, code: str) -> HttpResponse:
    """A small live status card for a developer's website or WeChat article (in an iframe)."""
    fingerprint = project_fingerprint(code, request)
    if (cached := not_modified(request, fingerprint)) is not None:
        return cached
    page = cached_project_page(code, fingerprint.content_key)
    context = {"page": page, "project": page.project, "project_url": project_url(page.project.code)}
    response = render(request, "public/widget.html", context)
    return stamp(response, fingerprint)


def widget_js(request: HttpRequest, code: str) -> HttpResponse:
    """One line for a web page: ``<script src=".../widget.js"></script>`` inserts the iframe."""
    project = get_project(code)
    src = settings.SITE_URL + reverse("public:widget", args=[project.code])
    title = _("%(name)s 质量信息公示") % {"name": project.name}
    script = render_to_string(
        "public/widget.js", {"src": src, "title": title, "code": project.code}, request=request
    )
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
