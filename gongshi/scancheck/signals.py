"""Hooks on disclosures' rows (disclosures does not know this app): a new attachment is
read in the background; a version's saved values are compared again with its scans."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from gongshi.disclosures.models import DisclosureVersion, VersionFile
from gongshi.scancheck.models import ScanText


@receiver(post_save, sender=VersionFile, dispatch_uid="scancheck.attachment")
def attachment_added(sender, instance: VersionFile, created: bool, raw=False, **kwargs) -> None:
    if not created or raw:
        return
    from gongshi.scancheck.services import wants_check

    version = instance.version
    if not wants_check(version):
        return
    done = ScanText.objects.filter(file_id=instance.file_id, status=ScanText.Status.DONE)
    if done.exists():
        transaction.on_commit(lambda: _refresh(version.pk))
        return
    file_id = instance.file_id

    def enqueue() -> None:
        from gongshi.scancheck.tasks import read_scan

        read_scan.enqueue(file_id)

    transaction.on_commit(enqueue)


@receiver(post_save, sender=DisclosureVersion, dispatch_uid="scancheck.values")
def version_saved(sender, instance: DisclosureVersion, raw=False, **kwargs) -> None:
    if raw or not instance.pk:
        return
    if (
        instance.scan_flags.exists()
        or ScanText.objects.filter(file__attachments__version=instance).exists()
    ):
        pk = instance.pk
        transaction.on_commit(lambda: _refresh(pk))


def _refresh(version_id: int) -> None:
    from gongshi.scancheck.services import refresh_flags

    version = DisclosureVersion.objects.filter(pk=version_id).select_related("disclosure__item")
    for found in version:
        refresh_flags(found)
