"""Background tasks of the scan cross-check (``gongshi db_worker`` runs them)."""

from __future__ import annotations

from django_tasks import task


# Below every other task: a backlog of scans (the demo's, a bulk import) never delays
# notifications and webhooks.
@task(priority=-50)
def read_scan(file_id: int) -> str:
    """OCR one uploaded scan and flag the typed fields it does not show."""
    from gongshi.scancheck.services import read_file

    return read_file(file_id).status
