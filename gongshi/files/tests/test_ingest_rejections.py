"""Every way an upload is refused, and that a refused upload leaves nothing behind."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter

from gongshi.files.ingest import FileRejected, ingest_upload
from gongshi.files.testing import (
    make_jpeg_bytes,
    make_pdf_bytes,
    make_png_bomb_bytes,
    make_png_bytes,
    uploaded,
)

from .conftest import NOTHING, leftovers

pytestmark = pytest.mark.django_db

ELF_HEADER = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200


def zip_bytes() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "不是 PDF")
    return out.getvalue()


def encrypted_pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def reject(data: bytes, name: str = "scan.pdf", **kwargs) -> FileRejected:
    with pytest.raises(FileRejected) as caught:
        ingest_upload(uploaded(name, data, "application/pdf"), **kwargs)
    return caught.value


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (WINDOWS_EXE, "Windows 可执行程序"),
        (ELF_HEADER, "Linux 可执行程序"),
        (zip_bytes(), "ZIP 压缩包"),
        ("施工许可证：哈建字 2024-001".encode(), "文本"),
        (b"GIF89a" + b"\x00" * 50, "GIF 图片"),
    ],
)
def test_it_rejects_other_content_renamed_to_pdf(data, what, upload_temp_dir):
    error = reject(data, "施工许可证.pdf")
    assert error.code == "file_type"
    assert "只接受 PDF、JPG、PNG 文件" in error.messages[0]
    assert what in error.messages[0]
    assert leftovers(upload_temp_dir) == NOTHING


def test_it_judges_by_content_not_by_a_pdf_name_or_content_type(upload_temp_dir):
    # A real PNG uploaded as "x.pdf" with a PDF content type is accepted as what it is.
    stored = ingest_upload(uploaded("x.pdf", make_png_bytes(), "application/pdf"))
    assert stored.content_type == "image/png"


def test_it_rejects_a_file_over_the_configured_cap(settings, upload_temp_dir):
    settings.GONGSHI_MAX_UPLOAD_BYTES = 1024
    data = make_pdf_bytes(pages=3)
    assert len(data) > 1024
    error = reject(data)
    assert error.code == "file_too_large"
    assert error.messages[0] == "文件超过 1 KB 上限，请压缩后重新上传。"
    assert leftovers(upload_temp_dir) == NOTHING


def test_it_names_the_default_cap_in_megabytes(settings, upload_temp_dir):
    data = make_pdf_bytes()
    error = reject(data, max_bytes=len(data) - 1)
    assert error.code == "file_too_large"
    settings.GONGSHI_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
    from gongshi.files.ingest import format_size

    assert format_size(settings.GONGSHI_MAX_UPLOAD_BYTES) == "50 MB"


def test_it_accepts_a_file_exactly_at_the_cap(upload_temp_dir):
    data = make_pdf_bytes()
    assert ingest_upload(uploaded("a.pdf", data), max_bytes=len(data)).size == len(data)


def test_it_rejects_an_encrypted_pdf(upload_temp_dir):
    error = reject(encrypted_pdf_bytes())
    assert error.code == "pdf_encrypted"
    assert error.messages == ["PDF 已加密，请上传未加密的扫描件。"]
    assert leftovers(upload_temp_dir) == NOTHING


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_it_rejects_a_truncated_pdf(keep, upload_temp_dir):
    data = make_pdf_bytes(["第一行", "second line"], pages=3)
    error = reject(data[: int(len(data) * keep)])
    assert error.code == "pdf_unreadable"
    assert "PDF 文件已损坏或不完整" in error.messages[0]
    assert leftovers(upload_temp_dir) == NOTHING


def test_it_rejects_a_pdf_whose_body_is_garbage(upload_temp_dir):
    error = reject(b"%PDF-1.7\n" + b"\x00garbage" * 200 + b"\n%%EOF\n")
    assert error.code == "pdf_unreadable"
    assert leftovers(upload_temp_dir) == NOTHING


def test_it_rejects_a_pdf_without_pages(upload_temp_dir):
    out = io.BytesIO()
    PdfWriter().write(out)
    error = reject(out.getvalue())
    assert error.code == "pdf_no_pages"
    assert leftovers(upload_temp_dir) == NOTHING


def test_it_rejects_a_decompression_bomb_png(upload_temp_dir):
    bomb = make_png_bomb_bytes(100_000, 100_000)
    assert len(bomb) < 2000  # tiny on the wire, ten billion pixels when decoded
    error = reject(bomb, "photo.png")
    assert error.code == "image_bomb"
    assert "图片像素过多" in error.messages[0]
    assert leftovers(upload_temp_dir) == NOTHING


def test_it_treats_pillows_bomb_warning_as_an_error(upload_temp_dir):
    # Between one and two times Pillow's limit Pillow only warns; we still refuse.
    from PIL import Image

    side = int((Image.MAX_IMAGE_PIXELS * 1.5) ** 0.5)
    error = reject(make_png_bomb_bytes(side, side), "photo.png")
    assert error.code == "image_bomb"
    assert leftovers(upload_temp_dir) == NOTHING


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (make_png_bytes(400, 300)[:300], "photo.png"),
        (make_jpeg_bytes(400, 300)[:700], "photo.jpg"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "photo.png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, "photo.jpg"),
    ],
)
def test_it_rejects_a_broken_image(data, name, upload_temp_dir):
    error = reject(data, name)
    assert error.code == "image_unreadable"
    assert "图片文件已损坏或不完整" in error.messages[0]
    assert leftovers(upload_temp_dir) == NOTHING


def test_it_rejects_an_empty_file(upload_temp_dir):
    error = reject(b"")
    assert error.code == "empty_file"
    assert error.messages == ["文件是空的（0 字节），请选择正确的文件重新上传。"]
    assert leftovers(upload_temp_dir) == NOTHING


def test_a_rejection_is_a_validation_error_with_its_code():
    from django.core.exceptions import ValidationError

    assert issubclass(FileRejected, ValidationError)


def test_the_reason_is_given_in_english_when_english_is_chosen(upload_temp_dir):
    from django.utils import translation

    with translation.override("en"):
        error = reject(WINDOWS_EXE, "scan.pdf")
        assert error.messages == [
            "Only PDF, JPG and PNG files are accepted; this file is actually a Windows program."
            " Please convert it to PDF or an image and upload it again (renaming the file does"
            " not help)."
        ]


def test_it_rejects_a_truncated_jpeg_even_after_weasyprint_was_imported(upload_temp_dir):
    # WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process on import.
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    error = reject(make_jpeg_bytes(400, 300)[:700], "photo.jpg")
    assert error.code == "image_unreadable"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # restored for WeasyPrint
