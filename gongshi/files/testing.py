"""Real files for tests and demo data: valid PDFs, PNGs and JPEGs made on the fly.

The PDF is written by hand (a few objects and a cross-reference table) so it needs no font
files and is fast enough to make hundreds of: ASCII lines use Helvetica, lines with Chinese
use the predefined Adobe CJK font STSong-Light with the UniGB-UCS2-H encoding, which PDF
readers supply themselves, so the text is real, extractable text (pypdf reads it back).
"""

from __future__ import annotations

import io
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import Image, ImageDraw

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _pdf_string(line: str) -> tuple[str, bytes]:
    """The font resource and the string operand that draw ``line``."""
    if line.isascii():
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return "F1", b"(" + escaped.encode("ascii") + b")"
    return "F2", b"<" + line.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def _page_content(lines: list[str], page: int, pages: int) -> bytes:
    out = [b"BT", b"14 TL", b"56 780 Td"]
    for line in [*lines, f"Page {page} / {pages}"]:
        font, operand = _pdf_string(line)
        out.append(f"/{font} 12 Tf".encode())
        out.append(operand + b" Tj T*")
    out.append(b"ET")
    # A frame, so a rendered page visibly differs from a blank one.
    out.append(f"0.5 w 40 40 {PAGE_WIDTH - 80} {PAGE_HEIGHT - 80} re S".encode())
    return b"\n".join(out)


def make_pdf_bytes(text_lines: list[str] | None = None, pages: int = 1) -> bytes:
    """A valid, unencrypted PDF of ``pages`` A4 pages, each showing ``text_lines``."""
    lines = list(text_lines) if text_lines is not None else ["Gongshi test document", "测试文件"]
    objects: list[bytes] = []  # object n is objects[n - 1]
    # 1 catalog, 2 pages, 3 Helvetica, 4 STSong-Light (Type0), 5 its descendant CIDFont
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"")  # the page tree, filled in once the page numbers are known
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objects.append(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H"
        b" /DescendantFonts [5 0 R] >>"
    )
    objects.append(
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >>"
        b" /FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6"
        b" /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120"
        b" /CapHeight 880 /StemV 93 >> /DW 1000 >>"
    )
    page_numbers = []
    for page in range(1, pages + 1):
        content = zlib.compress(_page_content(lines, page, pages))
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
            + content
            + b"\nendstream"
        )
        content_number = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R"
            b" /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>"
            % (PAGE_WIDTH, PAGE_HEIGHT, content_number)
        )
        page_numbers.append(len(objects))
    kids = b" ".join(b"%d 0 R" % n for n in page_numbers)
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_numbers))

    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref_at = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref_at)
    )
    return out.getvalue()


def _drawn_image(w: int, h: int, mode: str = "RGB") -> Image.Image:
    image = Image.new(mode, (w, h), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, w - 1, h - 1], outline="navy")
    draw.line([0, 0, w - 1, h - 1], fill="firebrick")
    return image


def make_png_bytes(w: int = 40, h: int = 30) -> bytes:
    out = io.BytesIO()
    _drawn_image(w, h).save(out, "PNG")
    return out.getvalue()


def make_jpeg_bytes(w: int = 64, h: int = 48, quality: int = 85) -> bytes:
    out = io.BytesIO()
    _drawn_image(w, h).save(out, "JPEG", quality=quality)
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return len(data).to_bytes(4, "big") + kind + data + crc.to_bytes(4, "big")


def make_png_bomb_bytes(w: int = 100_000, h: int = 100_000) -> bytes:
    """A tiny, well-formed PNG header claiming ``w`` × ``h`` pixels (a decompression bomb)."""
    header = w.to_bytes(4, "big") + h.to_bytes(4, "big") + bytes([1, 0, 0, 0, 0])  # 1-bit grey
    row = b"\x00" + b"\x00" * ((w + 7) // 8)
    compressor = zlib.compressobj(9)
    # A few rows are enough: the guard must fire on the header, before any pixel is decoded.
    data = compressor.compress(row * 4) + compressor.flush()
    return (
        PNG_SIGNATURE
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", data)
        + _png_chunk(b"IEND", b"")
    )


def uploaded(
    name: str, data: bytes, content_type: str = "application/octet-stream", *, on_disk: bool = False
) -> SimpleUploadedFile | TemporaryUploadedFile:
    """An uploaded file as a view receives it; ``on_disk`` gives the temporary-file kind."""
    if not on_disk:
        return SimpleUploadedFile(name, data, content_type=content_type)
    upload = TemporaryUploadedFile(name, content_type, len(data), charset=None)
    upload.write(data)
    upload.seek(0)
    return upload
