"""Accepted uploads: what is recorded, where the bytes go, and that same bytes are stored once."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from pypdf import PdfReader

from gongshi.files.ingest import ingest_upload
from gongshi.files.models import StoredFile, storage_name_for
from gongshi.files.testing import make_jpeg_bytes, make_pdf_bytes, make_png_bytes, uploaded

from .conftest import leftovers

pytestmark = pytest.mark.django_db


def stored_objects() -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


@pytest.mark.parametrize("on_disk", [False, True])
def test_it_stores_a_pdf_under_its_sha256_with_its_page_count(on_disk, upload_temp_dir):
    data = make_pdf_bytes(["建设工程规划许可证", "Planning permit"], pages=3)
    stored = ingest_upload(uploaded("许可证.pdf", data, "application/pdf", on_disk=on_disk))
    sha = hashlib.sha256(data).hexdigest()
    assert (stored.sha256, stored.size, stored.content_type) == (sha, len(data), "application/pdf")
    assert stored.page_count == 3
    assert (stored.width, stored.height) == (None, None)
    assert stored.storage_name == f"files/{sha[:2]}/{sha[2:4]}/{sha}.pdf"
    with default_storage.open(stored.storage_name) as fh:
        assert fh.read() == data
    assert leftovers(upload_temp_dir)["temp"] == []


def test_it_records_png_dimensions():
    stored = ingest_upload(uploaded("p.png", make_png_bytes(40, 30), "image/png"))
    assert (stored.content_type, stored.width, stored.height) == ("image/png", 40, 30)
    assert stored.page_count is None
    assert default_storage.exists(storage_name_for(stored.sha256, "image/png"))


def test_it_records_jpeg_dimensions():
    stored = ingest_upload(uploaded("p.jpeg", make_jpeg_bytes(640, 480), "image/jpeg"))
    assert (stored.content_type, stored.width, stored.height) == ("image/jpeg", 640, 480)
    assert stored.storage_name.endswith(".jpg")


def test_it_accepts_any_binary_file_object(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf_bytes())
    with path.open("rb") as fh:
        fh.read(10)  # a caller that already peeked: ingest reads from the start regardless
        stored = ingest_upload(fh)
    assert stored.size == path.stat().st_size


def test_same_bytes_twice_are_one_row_and_one_stored_object(upload_temp_dir):
    data = make_pdf_bytes(["同一份文件"])
    first = ingest_upload(uploaded("a.pdf", data))
    second = ingest_upload(uploaded("another name.pdf", data))
    assert first.pk == second.pk
    assert StoredFile.objects.count() == 1
    assert len(stored_objects()) == 1
    assert leftovers(upload_temp_dir)["temp"] == []


def test_different_bytes_are_different_rows():
    a = ingest_upload(uploaded("a.pdf", make_pdf_bytes(["A"])))
    b = ingest_upload(uploaded("b.pdf", make_pdf_bytes(["B"])))
    assert a.pk != b.pk
    assert len(stored_objects()) == 2


def test_it_stores_the_bytes_again_if_a_row_lost_them():
    data = make_png_bytes()
    stored = ingest_upload(uploaded("a.png", data))
    default_storage.delete(stored.storage_name)
    again = ingest_upload(uploaded("a.png", data))
    assert again.pk == stored.pk
    with default_storage.open(stored.storage_name) as fh:
        assert fh.read() == data


def test_the_pdf_helper_makes_real_text_that_pypdf_reads_back():
    data = make_pdf_bytes(["哈尔滨测试花园 施工许可证", "No. 2301032024"], pages=2)
    reader = PdfReader(__import__("io").BytesIO(data))
    assert len(reader.pages) == 2
    text = reader.pages[1].extract_text()
    assert "哈尔滨测试花园 施工许可证" in text
    assert "No. 2301032024" in text
    assert "Page 2 / 2" in text
