"""Fixtures for the files app: an isolated temporary directory and disclosures with files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from gongshi.catalogue.tests.factories import make_item
from gongshi.core.choices import UnitRole
from gongshi.disclosures.attachments import attach
from gongshi.disclosures.models import Disclosure, DisclosureVersion
from gongshi.disclosures.services import publish_version
from gongshi.files.ingest import ingest_upload
from gongshi.files.models import StoredFile
from gongshi.files.testing import make_pdf_bytes, uploaded


@pytest.fixture(autouse=True)
def upload_temp_dir(settings, tmp_path) -> Path:
    """Ingest's temporary files go here, so a test can prove none was left behind."""
    directory = tmp_path / "upload-tmp"
    directory.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(directory)
    return directory


def leftovers(upload_temp_dir: Path) -> dict[str, list]:
    """Everything an ingest could leave behind: rows, stored objects, temporary files."""
    media = Path(django_settings.MEDIA_ROOT)
    return {
        "rows": list(StoredFile.objects.values_list("sha256", flat=True)),
        "stored": sorted(str(p) for p in media.rglob("*") if p.is_file()) if media.exists() else [],
        "temp": sorted(str(p) for p in upload_temp_dir.iterdir()),
    }


NOTHING = {"rows": [], "stored": [], "temp": []}


def version_with_file(
    world, *, supplier: str = UnitRole.CONTRACTOR, publish: bool = False, data: bytes | None = None
):
    """A version of a fresh item on the world's project, supplied by ``supplier``, one PDF attached.

    Returns (version, stored file, attachment).
    """
    organisation = world.units[supplier]
    creator = world.users["unit" if supplier == UnitRole.CONTRACTOR else "developer"]
    item = make_item(supplier=supplier)
    disclosure = Disclosure.objects.create(project=world.project, item=item)
    version = DisclosureVersion.objects.create(
        disclosure=disclosure,
        values={"note": "测试内容"},
        information_date=timezone.localdate() - dt.timedelta(days=1),
        supplied_by=organisation,
        created_by=creator,
    )
    data = data if data is not None else make_pdf_bytes(["施工许可证", str(version.pk)], pages=2)
    stored = ingest_upload(uploaded("scan.pdf", data, "application/pdf"))
    attachment = attach(version, stored, "施工许可证 扫描件.pdf")
    if publish:
        publish_version(version, world.users["developer"])
    return version, stored, attachment
