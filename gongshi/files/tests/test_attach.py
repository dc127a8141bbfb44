"""Attaching a stored file to a version under the uploader's (cleaned) name."""

from __future__ import annotations

import pytest

from gongshi.disclosures.attachments import attach
from gongshi.disclosures.models import ImmutableVersionError
from gongshi.files.ingest import clean_file_name, ingest_upload
from gongshi.files.testing import make_jpeg_bytes, make_png_bytes, uploaded

from .conftest import version_with_file


def test_it_attaches_files_in_upload_order(world):
    version, stored, first = version_with_file(world)
    photo = ingest_upload(uploaded("现场.jpg", make_jpeg_bytes(), "image/jpeg"))
    second = attach(version, photo, "现场照片.jpg", label="现场")
    assert (first.position, second.position) == (0, 1)
    assert [a.name for a in version.attachments.all()] == ["施工许可证 扫描件.pdf", "现场照片.jpg"]
    assert second.label == "现场"
    assert photo.attachments.get() == second


def test_a_published_version_refuses_new_files(world):
    version, _stored, _attachment = version_with_file(world, publish=True)
    photo = ingest_upload(uploaded("p.png", make_png_bytes(), "image/png"))
    with pytest.raises(ImmutableVersionError):
        attach(version, photo, "late.png")
    assert version.attachments.count() == 1


@pytest.mark.parametrize(
    ("given", "content_type", "expected"),
    [
        ("施工许可证.pdf", "application/pdf", "施工许可证.pdf"),
        ("C:\\fakepath\\扫描件.PDF", "application/pdf", "扫描件.PDF"),
        ("../../etc/passwd", "application/pdf", "passwd.pdf"),
        ("photo.jpeg", "image/jpeg", "photo.jpeg"),
        ("photo.pdf", "image/png", "photo.pdf.png"),
        ("报告\n\x00.pdf", "application/pdf", "报告.pdf"),
        ("", "image/jpeg", "附件.jpg"),
        ("...", "application/pdf", "附件.pdf"),
    ],
)
def test_it_cleans_the_uploaders_file_name(given, content_type, expected):
    assert clean_file_name(given, content_type) == expected


def test_a_long_name_keeps_its_extension_within_200_characters():
    name = clean_file_name("长" * 300 + ".pdf", "application/pdf")
    assert len(name) == 200
    assert name.endswith(".pdf")
