"""Background tasks of the household archive (django-tasks; ``gongshi db_worker`` runs them)."""

from __future__ import annotations

import hashlib
import logging
import tempfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from django_tasks import task

logger = logging.getLogger(__name__)


def export_storage_name(sha256: str) -> str:
    return f"exports/sheets/{sha256[:2]}/{sha256}.pdf"


@task()
def render_sheets_export(export_id: int) -> int:
    """Render a ``SheetsExport``'s flats into one PDF in storage; returns the pages written.

    Progress is recorded after each part, so the flats page can say how far it got. The file
    is stored only once it is complete: a failure leaves the export marked failed and nothing
    in storage. Finished exports of the project older than ``KEEP_FOR`` are removed here.
    """
    from gongshi.households import sheets
    from gongshi.households.models import SheetsExport

    export = SheetsExport.objects.select_related("project", "building").filter(pk=export_id).first()
    if export is None or export.finished_at is not None:
        return 0
    rows = SheetsExport.objects.filter(pk=export_id)
    rows.update(started_at=timezone.now())
    archives = sheets.archives_for_sheets(export.project, export.building)
    try:
        with translation.override(export.language), tempfile.TemporaryFile() as out:
            pages = sheets.write_sheets_pdf(
                export.project,
                archives,
                out,
                export.size,
                limit=None,
                progress=lambda done: rows.update(done=done),
            )
            out.seek(0)
            digest = hashlib.sha256()
            while chunk := out.read(1 << 20):
                digest.update(chunk)
            sha256 = digest.hexdigest()
            name = export_storage_name(sha256)
            if not default_storage.exists(name):
                out.seek(0)
                saved = default_storage.save(name, File(out, name=f"{sha256}.pdf"))
                if saved != name:  # the same bytes stored meanwhile by another export
                    default_storage.delete(saved)
    except Exception as exc:
        logger.exception("sheets export %s failed", export_id)
        rows.update(error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now())
        return 0
    rows.update(
        done=pages, flats=pages, storage_name=name, sha256=sha256, finished_at=timezone.now()
    )
    remove_old_exports(export.project_id)
    return pages


def remove_old_exports(project_id: int) -> int:
    """Delete the project's exports finished more than ``KEEP_FOR`` ago, and their files when
    no newer export holds the same bytes. Returns the number of exports removed."""
    from gongshi.households.models import SheetsExport

    old = list(
        SheetsExport.objects.filter(
            project_id=project_id, finished_at__lt=timezone.now() - SheetsExport.KEEP_FOR
        )
    )
    for export in old:
        export.delete()
        kept = SheetsExport.objects.filter(storage_name=export.storage_name).exists()
        if export.storage_name and not kept:
            default_storage.delete(export.storage_name)
    return len(old)
