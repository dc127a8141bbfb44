"""PDF rendering with WeasyPrint and the CJK font that ships in the repository.

Chinese text must come out as real, extractable text on any machine, whether or not it has
CJK fonts installed, so :func:`render_pdf` always registers the vendored subset of Noto
Sans CJK SC (``gongshi/core/fonts/``, SIL OFL 1.1; see the README there) and makes it the
document's default font. WeasyPrint embeds only the glyphs a document uses, so a one-page
PDF stays small although the font file holds every GB 2312 character.

Templates need not name the font: ``html`` inherits it. A template that sets its own
``font-family`` should end the list with ``var(--gongshi-cjk)`` (or the family name
:data:`CJK_FONT_FAMILY`) so hanzi never fall back to whatever the host happens to have.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

FONT_DIR = Path(__file__).resolve().parent / "fonts"
CJK_FONT_FILE = FONT_DIR / "NotoSansSC-Subset.otf"
CJK_FONT_FAMILY = "Gongshi Sans SC"
# The PostScript name WeasyPrint writes (after a subset tag "ABCDEF+") as the PDF's BaseFont.
CJK_FONT_POSTSCRIPT_NAME = "GongshiSansSC-Regular"

# One file serves normal and bold: bold text is drawn with the regular outlines rather than
# falling back to a system font that may lack the characters.
CJK_FONT_CSS = f"""
@font-face {{
  font-family: "{CJK_FONT_FAMILY}";
  src: url("{CJK_FONT_FILE.as_uri()}") format("opentype");
  font-weight: normal;
  font-style: normal;
}}
@font-face {{
  font-family: "{CJK_FONT_FAMILY}";
  src: url("{CJK_FONT_FILE.as_uri()}") format("opentype");
  font-weight: bold;
  font-style: normal;
}}
:root {{ --gongshi-cjk: "{CJK_FONT_FAMILY}"; }}
html {{ font-family: "{CJK_FONT_FAMILY}"; }}
"""


def render_pdf(
    html: str,
    *,
    base_url: str | None = None,
    stylesheets: Iterable[str | CSS] | None = None,
) -> bytes:
    """Render ``html`` to PDF bytes with the vendored CJK font embedded.

    ``base_url`` resolves relative links and images in ``html`` (pass an absolute URL or a
    directory path). ``stylesheets`` are extra CSS, as strings or WeasyPrint ``CSS``
    objects, applied after the font rule and after the document's own styles.
    """
    font_config = FontConfiguration()
    sheets = [CSS(string=CJK_FONT_CSS, font_config=font_config)]
    for sheet in stylesheets or ():
        if isinstance(sheet, CSS):
            sheets.append(sheet)
        else:
            sheets.append(CSS(string=sheet, base_url=base_url, font_config=font_config))
    document = HTML(string=html, base_url=base_url)
    return document.write_pdf(stylesheets=sheets, font_config=font_config)
