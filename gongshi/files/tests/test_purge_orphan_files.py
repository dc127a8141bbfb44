"""`gongshi purge_orphan_files`: bytes left by a rolled-back upload are swept after an hour."""

from __future__ import annotations

import datetime as dt
import os
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from gongshi.files.ingest import ingest_upload
from gongshi.files.models import StoredFile
from gongshi.files.orphans import purge_orphans
from gongshi.files.testing import make_pdf_bytes, make_png_bytes, uploaded

pytestmark = pytest.mark.django_db(transaction=True)


class Rollback(Exception):
    pass


def age(name: str, hours: float) -> None:
    """Make a stored object look ``hours`` old on the application's clock."""
    set_age(Path(default_storage.path(name)), hours)


def set_age(path: Path, hours: float) -> None:
    then = (timezone.now() - dt.timedelta(hours=hours)).timestamp()
    os.utime(path, (then, then))


def orphan_from_rollback(data: bytes) -> str:
    """Ingest inside a transaction that then fails; returns the name of the bytes left behind."""
    with pytest.raises(Rollback), transaction.atomic():
        stored = ingest_upload(uploaded("scan.pdf", data))
        name = stored.storage_name
        raise Rollback
    assert not StoredFile.objects.exists()
    assert default_storage.exists(name)
    return name


def run(*args: str) -> str:
    out = StringIO()
    call_command("purge_orphan_files", *args, stdout=out)
    return out.getvalue()


def test_it_removes_bytes_whose_upload_was_rolled_back_after_an_hour():
    name = orphan_from_rollback(make_pdf_bytes())
    age(name, 2)
    output = run()
    assert not default_storage.exists(name)
    assert name in output
    assert "已删除 1 个无记录的文件、0 个遗留临时文件。" in output


def test_it_keeps_young_orphans_whose_transaction_may_still_commit():
    name = orphan_from_rollback(make_pdf_bytes())
    age(name, 0.5)
    output = run()
    assert default_storage.exists(name)
    assert "另有 1 个较新的无记录文件暂时保留。" in output


def test_it_keeps_files_that_have_a_row_however_old():
    stored = ingest_upload(uploaded("a.png", make_png_bytes(), "image/png"))
    age(stored.storage_name, 1000)
    run()
    assert default_storage.exists(stored.storage_name)


def test_it_removes_previews_of_files_without_a_row_and_keeps_the_rest():
    stored = ingest_upload(uploaded("a.png", make_png_bytes(), "image/png"))
    kept = default_storage.save(
        f"previews/{stored.sha256[:2]}/x/{stored.sha256}-p1-w320.png", ContentFile(b"png")
    )
    gone_sha = "f" * 64
    gone = default_storage.save(f"previews/ff/ff/{gone_sha}-p1-w320.png", ContentFile(b"png"))
    unknown = default_storage.save("files/README.txt", ContentFile(b"operator's note"))
    for name in (kept, gone, unknown):
        age(name, 5)
    report = purge_orphans()
    assert report.removed == [gone]
    assert default_storage.exists(kept)
    assert default_storage.exists(unknown)


def test_a_dry_run_lists_but_removes_nothing():
    name = orphan_from_rollback(make_pdf_bytes())
    age(name, 2)
    output = run("--dry-run")
    assert name in output
    assert "试运行，未删除" in output
    assert default_storage.exists(name)


def test_uploading_the_same_bytes_again_refreshes_an_old_orphan():
    data = make_pdf_bytes(["再次上传"])
    name = orphan_from_rollback(data)
    age(name, 5)
    stored = ingest_upload(uploaded("scan.pdf", data))
    assert stored.storage_name == name
    modified = default_storage.get_modified_time(name)
    assert modified > timezone.now() - dt.timedelta(minutes=5)


def test_it_removes_temporary_files_an_interrupted_ingest_left(upload_temp_dir: Path):
    old = upload_temp_dir / "gongshi-ingest-abc.part"
    young = upload_temp_dir / "gongshi-ingest-def.part"
    other = upload_temp_dir / "someone-elses.tmp"
    for path in (old, young, other):
        path.write_bytes(b"partial")
    set_age(old, 3)
    set_age(other, 3)
    set_age(young, 0)  # as an ingest stamps its part file
    output = run()
    assert not old.exists()
    assert young.exists() and other.exists()
    assert "1 个遗留临时文件" in output
    assert str(upload_temp_dir) == settings.FILE_UPLOAD_TEMP_DIR


def test_it_refuses_a_grace_period_shorter_than_ten_minutes():
    with pytest.raises(CommandError, match="宽限期不能少于 10 分钟"):
        run("--older-than-minutes", "5")
