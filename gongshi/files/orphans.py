"""Finding and removing stored bytes that no database row refers to.

:func:`~gongshi.files.ingest.ingest_upload` writes the bytes before it inserts the row, and
the row lives in the caller's transaction. When that transaction rolls back (the form had
another error, the request crashed), the bytes stay behind without a row. Storage is not
transactional and Django has no "on rollback" hook, so instead of trying to undo the write
we sweep: an object under ``files/`` or ``previews/`` whose SHA-256 has no row, and which is
older than a grace period, is removed. The grace period (one hour by default) is far longer
than any transaction, so bytes whose row is about to be committed are never taken; and an
ingest that finds such old bytes rewrites them, resetting their age.

Interrupted ingests may also leave ``gongshi-ingest-*.part`` files in the temporary
directory (a killed process cannot clean up); those are swept too.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from gongshi.files.models import StoredFile

DEFAULT_GRACE = dt.timedelta(hours=1)
ROOTS = ("files", "previews")
SHA_PREFIX = re.compile(r"^([0-9a-f]{64})[.-]")


@dataclass
class PurgeReport:
    removed: list[str] = field(default_factory=list)
    kept_young: int = 0
    temp_removed: list[str] = field(default_factory=list)


def _walk(directory: str) -> Iterator[str]:
    """Every object name below ``directory`` in the default storage."""
    try:
        subdirectories, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{directory}/{name}"
    for subdirectory in subdirectories:
        yield from _walk(f"{directory}/{subdirectory}")


def _sha_of(name: str) -> str | None:
    match = SHA_PREFIX.match(os.path.basename(name))
    return match.group(1) if match else None


def _is_old(name: str, cutoff: dt.datetime) -> bool:
    try:
        return default_storage.get_modified_time(name) < cutoff
    except FileNotFoundError:
        return False


def _purge_temp_files(cutoff: dt.datetime, dry_run: bool) -> list[str]:
    directory = settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir()
    removed = []
    try:
        entries = list(os.scandir(directory))
    except FileNotFoundError:
        return removed
    for entry in entries:
        if not (entry.name.startswith("gongshi-ingest-") and entry.name.endswith(".part")):
            continue
        modified = dt.datetime.fromtimestamp(entry.stat().st_mtime, tz=dt.UTC)
        if modified < cutoff:
            if not dry_run:
                os.unlink(entry.path)
            removed.append(entry.path)
    return removed


def purge_orphans(
    *, grace: dt.timedelta = DEFAULT_GRACE, dry_run: bool = False, now: dt.datetime | None = None
) -> PurgeReport:
    """Remove stored objects without a row that are older than ``grace``; report what went."""
    cutoff = (now or timezone.now()) - grace
    report = PurgeReport()
    candidates: dict[str, list[str]] = {}
    for root in ROOTS:
        for name in _walk(root):
            sha = _sha_of(name)
            if sha is not None:  # not ours (an operator's note, a stray upload): leave it
                candidates.setdefault(sha, []).append(name)
    shas = list(candidates)
    for start in range(0, len(shas), 500):
        batch = shas[start : start + 500]
        known = set(StoredFile.objects.filter(sha256__in=batch).values_list("sha256", flat=True))
        for sha in batch:
            if sha in known:
                continue
            for name in candidates[sha]:
                # The age is read right before deleting: an ingest that rewrote the object a
                # moment ago has made it young again.
                if not _is_old(name, cutoff):
                    report.kept_young += 1
                    continue
                if not dry_run:
                    default_storage.delete(name)
                report.removed.append(name)
    report.temp_removed = _purge_temp_files(cutoff, dry_run)
    return report
