"""Rebuild the vendored subsets of Noto Sans CJK SC (a developer tool, not used at runtime).

The subset holds every character of GB 2312 (its 6,763 hanzi and 682 symbols), ASCII and
Latin-1, CJK and general punctuation, full-width forms, circled numbers, units such as ㎡
and ℃, and any further hanzi that appears in the project's own source (templates,
catalogue, demo data), so everything Gongshi prints has a glyph.

    apt-get install -y fonts-noto-cjk
    .venv/bin/python gongshi/core/fonts/build_subset.py /usr/share/fonts/opentype/noto

(the argument is the folder holding NotoSansCJK-Regular.ttc and NotoSansCJK-Bold.ttc).

Needs fontTools (installed with WeasyPrint).
"""

from __future__ import annotations

import contextlib
import re
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

HERE = Path(__file__).resolve().parent
SOURCE_TREE = HERE.parent.parent  # gongshi/
FAMILY = "Noto Sans CJK SC"
# The subset is a Modified Version under the OFL, so it gets its own name (Noto is Google's
# trademark); a distinct name also lets tests tell our embedded file from a system font.
SUBSET_FAMILY = "Gongshi Sans SC"
# Source collection → (output file, PostScript name) for the two weights we ship.
WEIGHTS = {
    "Regular": ("NotoSansSC-Subset.ttf", "GongshiSansSC-Regular"),
    "Bold": ("NotoSansSC-Bold-Subset.ttf", "GongshiSansSC-Bold"),
}
# Cubic → quadratic curves: the largest deviation, in font units (of 1,000 per em). Half a
# unit is far below a printer's dot even on an A1 poster (0.5/1000 of a 100 pt character).
MAX_CURVE_ERROR = 0.5

RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1: ×, ÷, °, ±, ·
    (0x2010, 0x2027),  # dashes, quotes, ellipsis, bullet
    (0x2030, 0x203B),  # ‰, ′, ″, ※
    (0x2100, 0x2153),  # ℃, №, ℉, ™
    (0x2160, 0x216B),  # Roman numerals Ⅰ–Ⅻ
    (0x2190, 0x2199),  # arrows
    (0x2200, 0x22FF),  # mathematical operators: − ≤ ≥ ≈ ≠ ∶ ∑
    (0x2460, 0x24FF),  # ①–⑳, ⑴, ⒈
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # ■ □ ▲ △ ● ○ ◎
    (0x2605, 0x2606),  # ★ ☆
    (0x2713, 0x2718),  # ✓ (the others of this block are not in Noto Sans CJK)
    (0x3000, 0x303F),  # CJK punctuation: 、。〈〉《》「」『』【】〔〕
    (0x3220, 0x3243),  # ㈠–㈩, ㈱
    (0x3280, 0x32B0),  # ㊀–㊉
    (0x3380, 0x33DF),  # ㎡ ㎥ ㎏ ㎜ ㎝ ㎞ ㏄
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF01, 0xFF65),  # full-width ASCII and half-width punctuation
    (0xFFE0, 0xFFE6),  # ￥ ￠ ￡
]
HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def gb2312_characters() -> set[str]:
    """Every character GB 2312 encodes: rows 0xA1–0xF7, cells 0xA1–0xFE."""
    characters = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):  # unassigned cells
                characters.add(bytes([row, cell]).decode("gb2312"))
    return characters


def source_hanzi() -> set[str]:
    """Hanzi used anywhere in the project's Python, templates and translations."""
    found: set[str] = set()
    for pattern in ("**/*.py", "**/*.html", "**/*.txt", "**/*.po", "**/*.json"):
        for path in SOURCE_TREE.glob(pattern):
            if "fonts" in path.parts:
                continue
            try:
                found.update(HANZI.findall(path.read_text(encoding="utf-8")))
            except (UnicodeDecodeError, OSError):
                continue
    return found


def wanted_codepoints() -> set[int]:
    points = {ord(c) for c in gb2312_characters() | source_hanzi()}
    for first, last in RANGES:
        points.update(range(first, last + 1))
    return points


def load_sc_face(path: str) -> TTFont:
    if path.lower().endswith((".ttc", ".otc")):
        for font in TTCollection(path).fonts:
            if font["name"].getDebugName(1) == FAMILY:
                return font
        raise SystemExit(f"{path} has no face named {FAMILY!r}")
    return TTFont(path)


def rename(font: TTFont, postscript_name: str) -> None:
    version = font["name"].getDebugName(5)
    names = {
        1: SUBSET_FAMILY,
        3: f"{postscript_name};subset of {FAMILY} {version}",
        4: f"{SUBSET_FAMILY} {postscript_name.rsplit('-', 1)[1]}",
        6: postscript_name,
        16: SUBSET_FAMILY,
    }
    table = font["name"]
    for record in list(table.names):
        if record.nameID in names:
            table.removeNames(nameID=record.nameID)
    for name_id, text in names.items():
        table.setName(text, name_id, 3, 1, 0x409)
    table.setName(
        f"{version}; subset of {FAMILY} for Gongshi (GB 2312 and symbols)", 5, 3, 1, 0x409
    )
    font["CFF "].cff.fontNames = [postscript_name]


def to_truetype(font: TTFont) -> None:
    """Replace the CFF outlines with TrueType (glyf) outlines, in place.

    WeasyPrint embeds a CFF font as a CID-keyed CFF program (FontFile3/CIDFontType0C), which
    MuPDF-based viewers fail to draw (blank text; FT_Load_Glyph: invalid argument). A glyf
    font is embedded as CIDFontType2 with FontFile2 and a ToUnicode map, which PDFium,
    MuPDF, Poppler and pypdf all render and extract alike (gongshi/core/tests/test_pdf.py).
    """
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        # CFF contours run anticlockwise, TrueType's clockwise: reverse while converting.
        glyph_set[name].draw(Cu2QuPen(pen, MAX_CURVE_ERROR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    for name, glyph in glyphs.items():  # left side bearings follow the new bounding boxes
        width, _lsb = font["hmtx"][name]
        font["hmtx"][name] = (width, getattr(glyph, "xMin", 0))
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
        "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
        "maxComponentElements",
    ):  # fmt: skip
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    maxp.maxComponentElements = max(
        (len(g.components) for g in glyphs.values() if hasattr(g, "components")), default=0
    )
    maxp.compile(font)
    post = font["post"]
    post.formatType = 3.0  # no glyph names: CID fonts have none worth keeping
    post.extraNames, post.mapping = [], {}
    post.glyphOrder = None
    font.sfntVersion = "\000\001\000\000"


def convert(source: Path, output: Path) -> None:
    """Convert an already built CFF subset to TrueType (no need for the source collection)."""
    font = TTFont(source)
    to_truetype(font)
    font.save(output)
    print(f"{output.name}: {output.stat().st_size:,} bytes, {len(font.getGlyphOrder()):,} glyphs")


def build(source: str, output: Path, postscript_name: str) -> None:
    font = load_sc_face(source)
    available = set(font.getBestCmap())
    wanted = wanted_codepoints()
    options = subset.Options()
    # The default features minus "locl": its Japanese/Korean/Traditional glyph variants would
    # double the file, and our text is always Simplified Chinese.
    options.layout_features = [f for f in options.layout_features if f != "locl"]
    options.name_IDs = ["*"]  # keep copyright, licence and version strings
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False  # CFF hints are meaningless in a PDF; saves ~10 %
    options.desubroutinize = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted & available)
    subsetter.subset(font)
    rename(font, postscript_name)
    to_truetype(font)
    font.save(output)
    missing = sorted(wanted - available)
    hanzi = sum(1 for p in wanted & available if 0x4E00 <= p <= 0x9FFF)
    print(f"{output.name}: {output.stat().st_size:,} bytes, {len(font.getGlyphOrder()):,} glyphs")
    print(f"  {hanzi:,} hanzi; {len(missing)} requested code points not in the source font")


def main(font_dir: str) -> None:
    for weight, (output, postscript_name) in WEIGHTS.items():
        build(f"{font_dir}/NotoSansCJK-{weight}.ttc", HERE / output, postscript_name)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/opentype/noto")
