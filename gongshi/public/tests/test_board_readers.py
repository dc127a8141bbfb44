"""The board PDF reads the same in PDFium, MuPDF, Poppler and pypdf, and renders in each.

The CJK font is embedded as TrueType (CIDFontType2 + ToUnicode): the earlier CFF embedding
came out blank in MuPDF-based viewers. Each reader's text is compared as a multiset of
characters (readers order lines differently); each renderer's page must carry about as
much ink as PDFium's (a blank or boxes-only rendering carries far less or far more).
"""

import io
import re
import shutil
import subprocess
from collections import Counter

import pypdfium2
import pytest
from PIL import Image
from pypdf import PdfReader

from gongshi.public.tests.conftest import household_rows, publish_households, publish_permit

pytestmark = pytest.mark.usefixtures("frozen_now")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"找不到 {name}：请运行 `apt-get install -y mupdf-tools poppler-utils`"
            f"（Makefile 的 TEST_APT_PACKAGES）。 / {name} is missing: install mupdf-tools"
            " and poppler-utils.",
            pytrace=False,
        )
    return path


def _texts(pdf: bytes, path) -> dict[str, str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        pdfium = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    mupdf = subprocess.run(
        [_tool("mutool"), "draw", "-q", "-F", "txt", "-o", "-", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "FT_Load_Glyph" not in mupdf.stderr, mupdf.stderr[:500]
    poppler = subprocess.run(
        [_tool("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pypdf = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    return {"PDFium": pdfium, "MuPDF": mupdf.stdout, "Poppler": poppler, "pypdf": pypdf}


def _ink(image: Image.Image) -> float:
    grey = image.convert("L")
    histogram = grey.histogram()
    return sum(histogram[:128]) / (grey.width * grey.height)


def _renderings(pdf: bytes, path, tmp_path) -> dict[str, float]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        pdfium = page.render(scale=72 / 72 * 1.0).to_pil()
    finally:
        document.close()
    width = pdfium.width
    mupdf_png = tmp_path / "mupdf.png"
    subprocess.run(
        [_tool("mutool"), "draw", "-q", "-w", str(width), "-o", str(mupdf_png), str(path), "1"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [_tool("pdftoppm"), "-png", "-singlefile", "-scale-to-x", str(width), "-scale-to-y", "-1",
         str(path), str(tmp_path / "poppler")],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return {
        "PDFium": _ink(pdfium),
        "MuPDF": _ink(Image.open(mupdf_png)),
        "Poppler": _ink(Image.open(tmp_path / "poppler.png")),
    }


@pytest.mark.parametrize("size", ["A4", "A1"])
def test_the_four_readers_agree_on_the_boards_text(world, catalogue, client, tmp_path, size):
    publish_permit(world, catalogue["planning"])
    publish_households(world, catalogue["households"], household_rows(buildings=2))
    pdf = client.get(f"/p/{world.project.code}/board.pdf", {"size": size}).content
    path = tmp_path / "board.pdf"
    path.write_bytes(pdf)

    texts = _texts(pdf, path)
    counts = {name: Counter(re.sub(r"\s+", "", text)) for name, text in texts.items()}
    reference = counts["PDFium"]
    assert "测试花园一期" in re.sub(r"\s+", "", texts["PDFium"])
    assert "工程质量" in texts["PDFium"] and "生成" in texts["PDFium"]
    for name, count in counts.items():
        assert count == reference, (
            f"{name} reads different text from PDFium: "
            f"missing {dict((reference - count).most_common(10))}, "
            f"extra {dict((count - reference).most_common(10))}"
        )

    ink = _renderings(pdf, path, tmp_path)
    for name, value in ink.items():
        assert abs(value - ink["PDFium"]) <= 0.25 * ink["PDFium"], (name, ink)
