"""render_pdf: Chinese comes out as real text in the vendored, embedded font."""

from __future__ import annotations

import io
import threading

from fontTools.ttLib import TTFont
from pypdf import PdfReader

from gongshi.core import pdf as pdf_module
from gongshi.core.pdf import (
    CJK_FONT_BOLD_FILE,
    CJK_FONT_CSS,
    CJK_FONT_FILE,
    CJK_FONT_POSTSCRIPT_NAMES,
    FONT_DIR,
    render_pdf,
)

NOTICE = "住宅工程质量信息公示：松北·悦澜湾二期 ① 建筑面积 52,000㎡，冬期施工 −25℃"


def _page(html_body: str, css: str = "") -> str:
    return (
        f"<!doctype html><html lang='zh-Hans'><head><meta charset='utf-8'><style>{css}</style>"
        f"</head><body>{html_body}</body></html>"
    )


def _fonts(pdf: bytes) -> list[tuple[str, bytes]]:
    """(BaseFont, embedded font program) of every font the first page uses."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    found = []
    for ref in page["/Resources"]["/Font"].values():
        font = ref.get_object()
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        program = next(
            descriptor[key].get_object().get_data()
            for key in ("/FontFile3", "/FontFile2", "/FontFile")
            if key in descriptor
        )
        found.append((str(font["/BaseFont"]), program))
    return found


def _is_vendored(program: bytes) -> bool:
    # A TrueType name table holds the names in UTF-16BE (Windows) and may hold ASCII (Mac).
    return any(
        name.encode() in program or name.encode("utf-16-be") in program
        for name in CJK_FONT_POSTSCRIPT_NAMES
    )


def test_it_renders_chinese_as_extractable_text():
    pdf = render_pdf(_page(f"<h1>施工许可证</h1><p>{NOTICE}</p>"))

    assert pdf.startswith(b"%PDF-")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "施工许可证" in text
    assert "住宅工程质量信息公示：松北·悦澜湾二期 ①" in text
    assert "52,000㎡" in text and "25℃" in text


def test_it_embeds_the_vendored_font_and_only_the_glyphs_used():
    pdf = render_pdf(_page(f"<p>{NOTICE}</p>"))

    fonts = _fonts(pdf)
    assert fonts, "the page names no fonts"
    assert all(_is_vendored(program) for _name, program in fonts), [n for n, _ in fonts]
    # Subset on embedding: far smaller than the 2.4 MB font file.
    assert len(pdf) < CJK_FONT_FILE.stat().st_size / 10


def test_bold_text_is_set_in_the_bold_face():
    pdf = render_pdf(_page("<p>正文</p><p><b>粗体标题</b></p>"))

    programs = [program for _name, program in _fonts(pdf)]
    for name in ("GongshiSansSC-Bold", "GongshiSansSC-Regular"):
        assert any(name.encode("utf-16-be") in p or name.encode() in p for p in programs), name


def test_generic_families_in_a_template_still_get_the_vendored_font():
    for family in ("sans-serif", "serif", "monospace", '"Microsoft YaHei", sans-serif'):
        pdf = render_pdf(_page(f"<p>{NOTICE}</p>", css=f"body {{ font-family: {family}; }}"))

        fonts = _fonts(pdf)
        assert all(_is_vendored(program) for _name, program in fonts), (family, fonts[0][0])
        assert "悦澜湾" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_extra_stylesheets_and_page_size_apply():
    pdf = render_pdf(
        _page("<p>公示牌</p>"), stylesheets=["@page { size: A1; margin: 20mm; } p { color: red; }"]
    )

    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    # A1 is 594 × 841 mm; PDF units are points (1/72 inch).
    assert round(float(box.width) * 25.4 / 72) == 594
    assert round(float(box.height) * 25.4 / 72) == 841


def test_the_font_covers_gb2312_and_the_symbols_our_documents_use():
    for path in (CJK_FONT_FILE, CJK_FONT_BOLD_FILE):
        cmap = TTFont(path).getBestCmap()
        missing = []
        for row in range(0xB0, 0xF8):  # GB 2312 level 1 and 2 hanzi
            for cell in range(0xA1, 0xFF):
                try:
                    character = bytes([row, cell]).decode("gb2312")
                except UnicodeDecodeError:
                    continue
                if ord(character) not in cmap:
                    missing.append(character)
        assert not missing, f"{path.name} lacks {len(missing)} GB 2312 hanzi: {missing[:20]}"
        symbols = "①②③⑩⑳㎡㎥℃№、。，：；（）《》【】〔〕「」—…·×÷±°‰￥✓■□●○★−≤≥ABCxyz0129"
        assert not [c for c in symbols if ord(c) not in cmap]


def test_the_font_ships_with_its_licence_and_its_build_notes():
    licence = (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE" in licence and "Version 1.1" in licence
    readme = (FONT_DIR / "README.md").read_text(encoding="utf-8")
    assert "build_subset.py" in readme and "Noto Sans CJK SC" in readme
    assert CJK_FONT_FILE.as_uri() in CJK_FONT_CSS and CJK_FONT_BOLD_FILE.as_uri() in CJK_FONT_CSS


def test_renderings_from_many_threads_share_one_font_registration(monkeypatch):
    # One registration per process, not per thread: each one costs ~11 MB of memory (the
    # worker memory goal of issue 15). The renderings take turns and all come out whole.
    made = []

    class Counting(pdf_module.FontConfiguration):
        def __init__(self):
            made.append(self)
            super().__init__()

    monkeypatch.setattr(pdf_module, "FontConfiguration", Counting)
    monkeypatch.setattr(pdf_module, "_setup", None)
    results: dict[int, bytes] = {}

    def render(n: int) -> None:
        results[n] = render_pdf(_page(f"<p>第{n}号楼 {NOTICE}</p>"))

    threads = [threading.Thread(target=render, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(made) == 1
    for n in range(4):
        text = PdfReader(io.BytesIO(results[n])).pages[0].extract_text()
        assert f"第{n}号楼" in text
        assert all(_is_vendored(program) for _, program in _fonts(results[n]))
