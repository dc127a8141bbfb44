"""PDF rendering with WeasyPrint and the CJK font that ships in the repository.

Chinese text must come out as real, extractable text on any machine, whether or not it has
CJK fonts installed, so :func:`render_pdf` always registers the vendored subset of Noto
Sans CJK SC (``gongshi/core/fonts/``, SIL OFL 1.1; see the README there) and makes it the
document's default font. WeasyPrint embeds only the glyphs a document uses, so a one-page
PDF stays small although the font file holds every GB 2312 character.

Templates need not name the font: ``html`` inherits it, and the generic families
(``sans-serif``, ``serif``, ``monospace``) are bound to it too. Since fontconfig falls back
to ``sans-serif`` for a family the host lacks, a template that names "Microsoft YaHei" still
gets embedded, extractable hanzi rather than whatever CJK font the server happens to have.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from collections.abc import Iterable
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

FONT_DIR = Path(__file__).resolve().parent / "fonts"
CJK_FONT_FILE = FONT_DIR / "NotoSansSC-Subset.ttf"
CJK_FONT_BOLD_FILE = FONT_DIR / "NotoSansSC-Bold-Subset.ttf"
CJK_FONT_FAMILY = "Gongshi Sans SC"
# The PostScript names inside the two font programs; WeasyPrint embeds the program, so these
# names can be found in the PDF's FontFile2 streams (tests use them to tell our font apart).
CJK_FONT_POSTSCRIPT_NAMES = ("GongshiSansSC-Regular", "GongshiSansSC-Bold")

# Quoted generic names are ordinary family names to CSS, but WeasyPrint hands Pango the bare
# string, so binding "sans-serif" here makes `font-family: sans-serif` find our font first.
_FAMILIES = (CJK_FONT_FAMILY, "sans-serif", "serif", "monospace")


def _font_face(family: str, path: Path, weight: str) -> str:
    return (
        f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}") format("truetype");'
        f" font-weight: {weight}; font-style: normal; }}\n"
    )


CJK_FONT_CSS = (
    "".join(
        _font_face(family, CJK_FONT_FILE, "normal") + _font_face(family, CJK_FONT_BOLD_FILE, "bold")
        for family in _FAMILIES
    )
    + f':root {{ --gongshi-cjk: "{CJK_FONT_FAMILY}"; }}\n'
    # :where() has no specificity, so a document's own `html { font-family }` still wins.
    + f':where(html) {{ font-family: "{CJK_FONT_FAMILY}", sans-serif; }}\n'
)


# One font configuration per process, used by one rendering at a time. A FontConfiguration
# is not safe to share between threads, and one per thread cost each gunicorn thread ~11 MB
# (fontconfig's copies of the font program, one per @font-face rule): 4 threads rendering
# boards took a worker from ~150 to ~217 MB. Layout holds the GIL almost throughout, so
# renderings in one process gain next to nothing from running at once; they take turns.
_render_lock = threading.Lock()


def _find_malloc_trim():
    # glibc's malloc_trim hands the heap's free pages back to the system. Laying out a long
    # document allocates hundreds of MB that Python frees but glibc keeps, so without it a
    # worker stays at its largest rendering's size (measured: 565 → 401 MB after a 6,000-row
    # document, in ~30 ms). Absent on other C libraries, where this is a no-op.
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


_malloc_trim = _find_malloc_trim()
_setup: tuple[FontConfiguration, CSS] | None = None


def _font_setup() -> tuple[FontConfiguration, CSS]:
    """The process's font configuration with the vendored font registered, made once.

    Registering the font writes a copy per @font-face rule and has fontconfig scan it — about
    half the cost of rendering a one-page document — so it is done once and reused for every
    document. Call it with ``_render_lock`` held.
    """
    global _setup  # noqa: PLW0603 - one per process, made on first use
    if _setup is None:
        font_config = FontConfiguration()
        _setup = (font_config, CSS(string=CJK_FONT_CSS, font_config=font_config))
    return _setup


def render_pdf(
    html: str,
    *,
    base_url: str | None = None,
    stylesheets: Iterable[str | CSS] | None = None,
) -> bytes:
    """Render ``html`` to PDF bytes with the vendored CJK font embedded.

    ``base_url`` resolves relative links and images in ``html`` (an absolute URL or a
    directory path). ``stylesheets`` are extra CSS, as strings or WeasyPrint ``CSS``
    objects, applied after the document's own styles. Pass strings when they hold
    ``@font-face`` rules: a prebuilt ``CSS`` object carries its own font configuration.
    """
    with _render_lock:
        font_config, font_css = _font_setup()
        sheets = [font_css]
        for sheet in stylesheets or ():
            if isinstance(sheet, CSS):
                sheets.append(sheet)
            else:
                sheets.append(CSS(string=sheet, base_url=base_url, font_config=font_config))
        document = HTML(string=html, base_url=base_url)
        try:
            return document.write_pdf(stylesheets=sheets, font_config=font_config)
        finally:
            del document
            if _malloc_trim is not None:
                _malloc_trim(0)
