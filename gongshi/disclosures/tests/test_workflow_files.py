"""Scans attach all together or not at all."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from gongshi.disclosures import workflow
from gongshi.disclosures.models import VersionFile
from gongshi.files.models import StoredFile
from gongshi.files.testing import make_pdf_bytes, make_png_bytes, uploaded
from gongshi.workspace.testing import access


def _stored_objects() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_good_files_are_attached_in_order(world, item):
    unit = access(world, "unit")
    version = workflow.open_version(unit, item)
    workflow.add_files(
        unit,
        version,
        [uploaded("验收记录.pdf", make_pdf_bytes()), uploaded("现场.png", make_png_bytes())],
        lock_version=version.lock_version,
    )
    assert [a.name for a in version.attachments.all()] == ["验收记录.pdf", "现场.png"]
    assert len(_stored_objects()) == 2


def test_a_bad_file_alongside_a_good_one_leaves_nothing(world, item):
    unit = access(world, "unit")
    version = workflow.open_version(unit, item)
    with pytest.raises(ValidationError) as caught:
        workflow.add_files(
            unit,
            version,
            [
                uploaded("好的.pdf", make_pdf_bytes(["good"])),
                uploaded("病毒.pdf", b"MZ\x90\x00 not a pdf at all"),
            ],
            lock_version=version.lock_version,
        )
    assert "文件“病毒.pdf”" in caught.value.messages[0]
    assert "只接受 PDF、JPG、PNG" in caught.value.messages[0]
    assert not VersionFile.objects.exists()
    assert not StoredFile.objects.exists()
    assert _stored_objects() == []
    version.refresh_from_db()
    assert version.lock_version == 1


def test_a_file_already_stored_keeps_its_bytes_when_another_upload_fails(world, item):
    unit = access(world, "unit")
    version = workflow.open_version(unit, item)
    pdf = make_pdf_bytes(["shared"])
    workflow.add_files(unit, version, [uploaded("a.pdf", pdf)], lock_version=version.lock_version)
    with pytest.raises(ValidationError):
        workflow.add_files(
            unit,
            version,
            [uploaded("again.pdf", pdf), uploaded("bad.png", b"\x89PNG\r\n\x1a\nbroken")],
            lock_version=version.lock_version,
        )
    assert StoredFile.objects.count() == 1
    assert len(_stored_objects()) == 1
    assert version.attachments.count() == 1


def test_uploading_to_a_stale_version_is_refused(world, item):
    unit = access(world, "unit")
    version = workflow.open_version(unit, item)
    with pytest.raises(ValidationError) as caught:
        workflow.add_files(unit, version, [uploaded("a.pdf", make_pdf_bytes())], lock_version=0)
    assert caught.value.code == "stale_version"
    assert _stored_objects() == []
