"""Reading scans (in the worker) and keeping each version's flags in step with its values."""

from __future__ import annotations

import logging
import time

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongshi.disclosures.models import DisclosureVersion, VersionFile
from gongshi.files.models import StoredFile
from gongshi.scancheck import compare
from gongshi.scancheck.models import ScanFlag, ScanText

logger = logging.getLogger(__name__)


def wants_check(version: DisclosureVersion) -> bool:
    return any(compare.checked(d) for d in version.disclosure.item.fields)


def read_file(file_id: int) -> ScanText:
    """Read one stored file's text (OCR where needed); then refresh every version using it."""
    stored = StoredFile.objects.get(pk=file_id)
    scan, _created = ScanText.objects.get_or_create(file=stored)
    if scan.status != ScanText.Status.DONE:
        from gongshi.scancheck import ocr

        started = time.monotonic()
        try:
            with default_storage.open(stored.storage_name, "rb") as fh:
                text, method = ocr.scan_text(fh.read(), stored.content_type)
        except Exception as exc:  # a damaged scan must not stop the worker
            logger.exception("could not read file %s", file_id)
            scan.status, scan.error = ScanText.Status.FAILED, str(exc)[:2000]
        else:
            scan.status, scan.text, scan.method, scan.error = ScanText.Status.DONE, text, method, ""
        scan.seconds = time.monotonic() - started
        scan.finished_at = timezone.now()
        scan.save()
    version_ids = VersionFile.objects.filter(file=stored).values_list("version", flat=True)
    for version in DisclosureVersion.objects.filter(pk__in=version_ids).select_related(
        "disclosure__item"
    ):
        refresh_flags(version)
    return scan


@transaction.atomic
def refresh_flags(version: DisclosureVersion) -> list[ScanFlag]:
    """Flag each checked field that no read scan of the version shows; drop flags the
    values no longer earn. A confirmation stays while the typed value is unchanged."""
    texts = list(
        ScanText.objects.filter(
            file__in=VersionFile.objects.filter(version=version).values("file"),
            status=ScanText.Status.DONE,
        ).values_list("text", flat=True)
    )
    existing = {f.field_key: f for f in version.scan_flags.all()}
    if not texts:
        return list(existing.values())
    fields = [d for d in version.disclosure.item.fields if compare.checked(d)]
    text = "\n".join(texts)
    wanted = {m.key: m for m in compare.mismatches(fields, version.values or {}, text)}
    labels = {d["key"]: d.get("label", d["key"]) for d in fields}
    for key, flag in existing.items():
        if key not in wanted:
            flag.delete()
    kept = []
    for key, mismatch in wanted.items():
        flag = existing.get(key)
        if flag is not None and flag.typed == mismatch.typed:
            if flag.found != mismatch.found:
                flag.found = mismatch.found
                flag.save(update_fields=["found"])
            kept.append(flag)
            continue
        if flag is not None:
            flag.delete()
        kept.append(
            ScanFlag.objects.create(
                version=version,
                field_key=key,
                field_label=labels[key][:100],
                typed=mismatch.typed[:300],
                found=mismatch.found[:300],
            )
        )
    return kept


def message(flag: ScanFlag) -> str:
    """扫描件上的许可证编号与填写的不一致 — with both values."""
    if flag.found:
        return _(
            "扫描件上的%(label)s与填写的不一致：填写的是 %(typed)s，扫描件上是 %(found)s。"
        ) % {
            "label": flag.field_label,
            "typed": flag.typed,
            "found": flag.found,
        }
    return _("扫描件上找不到填写的%(label)s %(typed)s，请核对扫描件与填写的内容。") % {
        "label": flag.field_label,
        "typed": flag.typed,
    }


def confirm(flag: ScanFlag, user, reason: str) -> ScanFlag:
    flag.confirmed_reason = reason
    flag.confirmed_by = user
    flag.confirmed_at = timezone.now()
    flag.save(update_fields=["confirmed_reason", "confirmed_by", "confirmed_at"])
    from gongshi.integrity.audit import record

    record(user, "scancheck.confirm", flag.version, field=flag.field_key, reason=reason)
    return flag
