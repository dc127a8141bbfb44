"""Small, real files for the demo's scans, generated on the fly with the project's own values.

* PDFs through :func:`gongshi.core.pdf.render_pdf`: a construction permit and a lifetime
  quality responsibility commitment, with real, extractable Chinese text.
* JPEG/PNG "scans" of paper documents (Pillow, drawn with the vendored CJK font): title,
  the key facts, a red seal.
* JPEG "site photos": a sky, a building with its windows, a tower crane, and a caption.

Each takes a few milliseconds (a PDF about a tenth of a second), which keeps ``seed_demo``
fast; the bytes are deterministic for the same input, so files deduplicate by SHA-256.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from gongshi.core.pdf import CJK_FONT_BOLD_FILE, CJK_FONT_FILE, render_pdf

PAGE_SIZE = (620, 877)  # A4 at 75 dpi: small files that still read on a phone
PAPER = (247, 245, 238)
INK = (28, 28, 32)
SEAL_RED = (205, 38, 38)

PDF_CSS = """
@page { size: A4; margin: 22mm 20mm; }
body { font-size: 11pt; line-height: 1.6; color: #1c1c20; }
h1 { text-align: center; font-size: 20pt; margin: 0 0 4mm; }
.sub { text-align: center; margin: 0 0 6mm; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
th, td { border: 0.6pt solid #333; padding: 2mm 3mm; text-align: left; vertical-align: top; }
th { width: 30%; font-weight: normal; background: #f2f0ea; }
.sign { margin-top: 12mm; text-align: right; }
p { text-indent: 2em; margin: 0 0 3mm; }
"""


def chinese_date(day: dt.date) -> str:
    return f"{day.year} 年 {day.month} 月 {day.day} 日"


def _rows(facts: list[tuple[str, str]]) -> str:
    return "".join(
        f"<tr><th>{html.escape(label)}</th><td>{html.escape(value)}</td></tr>"
        for label, value in facts
    )


def permit_pdf(title: str, number: str, facts: list[tuple[str, str]], issued_by: str,
               issued_on: dt.date, basis: str) -> bytes:  # fmt: skip
    """A one-page permit (施工许可证 and the like) as a text PDF."""
    document = (
        f"<h1>{html.escape(title)}</h1><div class='sub'>编号：{html.escape(number)}</div>"
        f"<table>{_rows(facts)}</table><p style='margin-top:6mm'>{html.escape(basis)}</p>"
        f"<div class='sign'>发证机关：{html.escape(issued_by)}<br>{chinese_date(issued_on)}</div>"
    )
    return render_pdf(f"<!doctype html><html lang='zh-Hans'><body>{document}</body></html>",
                      stylesheets=[PDF_CSS])  # fmt: skip


def letter_pdf(title: str, paragraphs: list[str], facts: list[tuple[str, str]],
               signature: str, signed_on: dt.date) -> bytes:  # fmt: skip
    """A one-page signed letter (承诺书, 授权书) as a text PDF."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    document = (
        f"<h1>{html.escape(title)}</h1>{body}<table>{_rows(facts)}</table>"
        f"<div class='sign'>{html.escape(signature)}<br>{chinese_date(signed_on)}</div>"
    )
    return render_pdf(f"<!doctype html><html lang='zh-Hans'><body>{document}</body></html>",
                      stylesheets=[PDF_CSS])  # fmt: skip


@functools.cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(CJK_FONT_BOLD_FILE if bold else CJK_FONT_FILE), size)


@functools.cache
def _paper() -> Image.Image:
    """A sheet of slightly uneven paper, made once and copied for every scan."""
    rng = random.Random("paper")
    sheet = Image.new("RGB", PAGE_SIZE, PAPER)
    draw = ImageDraw.Draw(sheet)
    for _ in range(900):
        x, y = rng.randrange(PAGE_SIZE[0]), rng.randrange(PAGE_SIZE[1])
        shade = rng.randint(225, 240)
        draw.point((x, y), fill=(shade, shade - 2, shade - 8))
    return sheet.filter(ImageFilter.GaussianBlur(0.6))


def _wrap(text: str, width: int, font: ImageFont.FreeTypeFont) -> list[str]:
    lines, line = [], ""
    for character in text:
        if font.getlength(line + character) > width:
            lines.append(line)
            line = character
        else:
            line += character
    return [*lines, line] if line else lines


def _seal(draw: ImageDraw.ImageDraw, centre: tuple[int, int], name: str) -> None:
    """A round red company seal: ring, star, and the name across the middle."""
    cx, cy = centre
    radius = 62
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=SEAL_RED, width=4)
    points = []
    for k in range(10):
        r = 16 if k % 2 == 0 else 7
        angle = -math.pi / 2 + k * math.pi / 5
        points.append((cx + r * math.cos(angle), cy - 22 + r * math.sin(angle)))
    draw.polygon(points, fill=SEAL_RED)
    font = _font(11, bold=True)
    for index, line in enumerate(_wrap(name, 2 * radius - 24, font)[:3]):
        draw.text((cx, cy + 4 + index * 14), line, font=font, fill=SEAL_RED, anchor="mm")


def scan_image(title: str, lines: list[str], seal: str, *, fmt: str = "JPEG") -> bytes:
    """A scanned paper document: bold title, wrapped lines of text, a seal at the bottom."""
    page = _paper().copy()
    draw = ImageDraw.Draw(page)
    draw.text((PAGE_SIZE[0] // 2, 70), title, font=_font(24, bold=True), fill=INK, anchor="mm")
    font = _font(14)
    y = 120
    for text in lines:
        for line in _wrap(text, PAGE_SIZE[0] - 110, font):
            draw.text((55, y), line, font=font, fill=INK)
            y += 24
        y += 6
        if y > PAGE_SIZE[1] - 190:
            break
    _seal(draw, (PAGE_SIZE[0] - 150, PAGE_SIZE[1] - 120), seal)
    out = io.BytesIO()
    if fmt == "PNG":
        page.convert("L").save(out, "PNG", compress_level=1)
    else:
        page.save(out, "JPEG", quality=70)
    return out.getvalue()


def site_photo(caption: str, seed: str) -> bytes:
    """A photo-like JPEG of the site: sky, a building under its crane, a date caption."""
    rng = random.Random(seed)
    width, height = 800, 600
    photo = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(photo)
    for y in range(height):  # sky fading to a winter haze, then frozen ground
        if y < 430:
            t = y / 430
            draw.line([(0, y), (width, y)], fill=(int(92 + 120 * t), int(140 + 90 * t), 222))
        else:
            shade = 200 - (y - 430) // 4
            draw.line([(0, y), (width, y)], fill=(shade, shade, shade + 6))
    left = rng.randint(160, 300)
    top = rng.randint(90, 170)
    right = left + rng.randint(220, 300)
    draw.rectangle((left, top, right, 440), fill=(178, 170, 158), outline=(120, 114, 106))
    for floor_y in range(top + 14, 430, 22):  # windows, some lit
        for x in range(left + 12, right - 20, 26):
            lit = rng.random() < 0.15
            draw.rectangle((x, floor_y, x + 14, floor_y + 12),
                           fill=(236, 214, 140) if lit else (86, 104, 128))  # fmt: skip
    mast = right + 60
    draw.rectangle((mast, 60, mast + 10, 440), fill=(226, 178, 40))  # tower crane
    draw.rectangle((mast - 260, 60, mast + 110, 70), fill=(226, 178, 40))
    draw.line([(mast + 5, 30), (mast - 250, 62)], fill=(90, 90, 90), width=2)
    draw.line([(mast - 150, 70), (mast - 150, 180)], fill=(60, 60, 60), width=1)
    photo = photo.filter(ImageFilter.GaussianBlur(0.8))
    draw = ImageDraw.Draw(photo)
    draw.rectangle((0, height - 44, width, height), fill=(0, 0, 0))
    draw.text((16, height - 22), caption, font=_font(18), fill=(255, 255, 255), anchor="lm")
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=72)
    return out.getvalue()
