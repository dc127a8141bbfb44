"""PNG previews of stored files: a PDF page rendered by PDFium, or an image scaled down.

A preview is rendered once and kept in storage under a name derived from the file's SHA-256,
the page and the width, so later requests (and other app servers sharing the storage) serve
the stored PNG. Widths are snapped to a few steps so a crawler asking for every width from
1 to 2000 cannot fill the storage with near-identical renders.
"""

from __future__ import annotations

import io
import logging
import threading

import pypdfium2 as pdfium
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from gongshi.files.ingest import stamp_with_app_clock
from gongshi.files.models import StoredFile

logger = logging.getLogger(__name__)

WIDTH_STEPS = (160, 320, 480, 640, 960, 1280, 1600)
DEFAULT_WIDTH = 960
# A page 1:20 tall would otherwise render to a 30,000-pixel strip at the widest step.
MAX_PREVIEW_HEIGHT = 4000

# PDFium is a C library with global state; pypdfium2 documents it as not thread-safe, and the
# server may run several threads. One render at a time per process.
_pdfium_lock = threading.Lock()


class PreviewRequestError(ValueError):
    """A preview asked for with a page or width that cannot be served; the message says why."""


class PreviewFailed(Exception):
    """The file passed ingest's checks but the renderer could not draw it."""


def snap_width(requested: int) -> int:
    """The smallest width step at least as wide as asked (the widest step beyond that)."""
    for step in WIDTH_STEPS:
        if requested <= step:
            return step
    return WIDTH_STEPS[-1]


def parse_preview_request(
    stored: StoredFile, page: str | None, width: str | None
) -> tuple[int, int]:
    """Validate the ``page`` and ``width`` query parameters; returns (page, snapped width)."""
    try:
        page_number = int(page) if page not in (None, "") else 1
        width_px = int(width) if width not in (None, "") else DEFAULT_WIDTH
    except ValueError as exc:
        raise PreviewRequestError(_("页码和宽度必须是整数，例如 ?page=1&width=960。")) from exc
    pages = stored.page_count if stored.is_pdf else 1
    if not 1 <= page_number <= (pages or 1):
        raise PreviewRequestError(
            _("页码超出范围：此文件共 %(pages)d 页，请使用 1 到 %(pages)d 之间的页码。")
            % {"pages": pages or 1}
        )
    if width_px < 1:
        raise PreviewRequestError(_("宽度必须是正整数（像素），例如 width=960。"))
    return page_number, snap_width(width_px)


def preview_name(stored: StoredFile, page: int, width: int) -> str:
    sha = stored.sha256
    return f"previews/{sha[:2]}/{sha[2:4]}/{sha}-p{page}-w{width}.png"


def _render_pdf_page(stored: StoredFile, page: int, width: int) -> Image.Image:
    with default_storage.open(stored.storage_name, "rb") as fh, _pdfium_lock:
        document = pdfium.PdfDocument(fh)
        try:
            pdf_page = document[page - 1]
            try:
                page_width, page_height = pdf_page.get_size()
                scale = min(width / page_width, MAX_PREVIEW_HEIGHT / page_height)
                bitmap = pdf_page.render(scale=scale)
                return bitmap.to_pil().convert("RGB")
            finally:
                pdf_page.close()
        finally:
            document.close()


def _render_image(stored: StoredFile, width: int) -> Image.Image:
    with default_storage.open(stored.storage_name, "rb") as fh, Image.open(fh) as image:
        # JPEG can decode at 1/2, 1/4, 1/8 scale directly: a 24-megapixel phone photo is
        # never decoded at full size for a 960-pixel preview.
        image.draft("RGB", (width, MAX_PREVIEW_HEIGHT))
        # Phone photos are stored sideways with an EXIF note saying which way is up.
        upright = ImageOps.exif_transpose(image)
        upright.thumbnail((width, MAX_PREVIEW_HEIGHT))
        return upright.convert("RGBA" if upright.mode in ("RGBA", "LA", "P") else "RGB")


def render_preview(stored: StoredFile, page: int, width: int) -> bytes:
    """The preview as PNG bytes, rendered now (no cache)."""
    image = _render_pdf_page(stored, page, width) if stored.is_pdf else _render_image(stored, width)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def get_or_render_preview(stored: StoredFile, page: int, width: int) -> str:
    """The storage name of the preview, rendering and storing it on first request."""
    name = preview_name(stored, page, width)
    if default_storage.exists(name):
        return name
    try:
        data = render_preview(stored, page, width)
    except FileNotFoundError:
        raise
    except (pdfium.PdfiumError, OSError, ValueError) as exc:
        # pypdf and PDFium do not agree on every damaged PDF; a file pypdf accepted may still
        # defeat PDFium. The download still works, so this is no server error.
        logger.warning("preview of %s page %s failed: %r", stored.sha256, page, exc)
        raise PreviewFailed from exc
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:
        # Another request rendered the same preview meanwhile; the storage named ours apart.
        default_storage.delete(saved)
    else:
        stamp_with_app_clock(name)
    return name
