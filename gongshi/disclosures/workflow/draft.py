"""Drafting (填报): opening a version, saving values, adding and removing files, discarding."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from gongshi.catalogue.fields import clean_values
from gongshi.catalogue.models import CatalogueItem
from gongshi.core.refusals import Refused
from gongshi.disclosures.attachments import attach
from gongshi.disclosures.errors import field_error
from gongshi.disclosures.instances import get_instance
from gongshi.disclosures.models import (
    Disclosure,
    DisclosureVersion,
    VersionFile,
    VersionKind,
    VersionStatus,
)
from gongshi.disclosures.privacy import check_free_text
from gongshi.disclosures.workflow.access import (
    EDITABLE_STATUSES,
    MAX_FILES_PER_UPLOAD,
    ProjectAccess,
    _claim,
    _lock_message,
    _record,
    current_version,
    pending_version,
)
from gongshi.files.ingest import ingest_upload
from gongshi.files.models import StoredFile


def relaxed(definitions: list[dict]) -> list[dict]:
    """Definitions with nothing required: a draft may be incomplete but never malformed."""
    out = []
    for definition in definitions:
        definition = {**definition, "required": False}
        if definition["type"] == "table":
            definition["min_rows"] = 0
            definition["columns"] = [{**c, "required": False} for c in definition["columns"]]
        out.append(definition)
    return out


def clean_draft_values(item: CatalogueItem, values: dict | None) -> dict:
    """Values cleaned as far as a draft needs: formats checked, blanks allowed."""
    return clean_values(relaxed(item.fields), values)


@contextmanager
def no_orphan_files() -> Iterator[list[StoredFile]]:
    """Collect files ingested inside; if the block fails, remove the bytes left without a row.

    Storage is not transactional: ``ingest_upload`` writes the bytes before the row, and the
    row goes when the transaction rolls back. Use *outside* ``transaction.atomic`` so the
    rollback has happened when we look. Files that existed before keep their bytes.
    """
    ingested: list[StoredFile] = []
    try:
        yield ingested
    except BaseException:
        for stored in ingested:
            if not StoredFile.objects.filter(sha256=stored.sha256).exists():
                default_storage.delete(stored.storage_name)
        raise


def _attach_all(version: DisclosureVersion, uploads: list, ingested: list[StoredFile]) -> None:
    if len(uploads) > MAX_FILES_PER_UPLOAD:
        raise ValidationError(
            _("一次最多上传 %(n)d 个文件，请分批上传。") % {"n": MAX_FILES_PER_UPLOAD},
            code="too_many_files",
        )
    errors = []
    for upload in uploads:
        name = getattr(upload, "name", "") or _("附件")
        try:
            stored = ingest_upload(upload)
        except ValidationError as exc:
            errors.append(
                ValidationError(
                    _("文件“%(name)s”：%(problem)s") % {"name": name, "problem": exc.messages[0]},
                    code=exc.code or "file_rejected",
                )
            )
            continue
        ingested.append(stored)
        attach(version, stored, name)
    if errors:
        # All or nothing: one bad file and the good ones alongside are not kept either.
        raise ValidationError(errors)


@transaction.atomic
def _open(
    access: ProjectAccess, item: CatalogueItem, *, reason: str = "", instance: int = 1
) -> tuple[DisclosureVersion, bool]:
    """The open version of ``item`` (its ``instance``) for this user, created as an empty
    draft if there is none.

    A new version after a publication is a correction, prefilled with the published values and
    files, and needs a reason. Instances after the first are added by the developer first
    (:func:`gongshi.disclosures.instances.add_instance`); an unknown one is a 404.
    """
    if not access.can_see(item):
        raise Http404
    disclosure = get_instance(access.project, item, instance)
    # Lock the disclosure so two people opening the same item get one draft, not two.
    disclosure = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    existing = pending_version(access.project, item, instance)
    if existing is not None:
        if not access.owns(existing) and not access.developer:
            raise ValidationError(
                _("此事项已有其他单位正在填报的版本，请联系建设单位。"), code="version_open"
            )
        return existing, False
    current = current_version(access.project, item, instance)
    kind = VersionKind.PUBLICATION
    values: dict = {}
    information_date = None
    if current is not None:
        kind = VersionKind.CORRECTION
        reason = (reason or "").strip()
        if not reason:
            raise field_error("reason", _("此事项已公示，更正须填写更正原因。"), "reason_required")
        check_free_text({"reason": (_("更正原因"), reason)})
        if current.kind != VersionKind.WITHDRAWAL:
            values, information_date = current.values, current.information_date
    version = DisclosureVersion.objects.create(
        disclosure=disclosure,
        kind=kind,
        values=values,
        information_date=information_date,
        reason=reason if kind != VersionKind.PUBLICATION else "",
        supplied_by=access.supplier_for(item),
        created_by=access.user,
    )
    if current is not None and current.kind != VersionKind.WITHDRAWAL:
        for attachment in current.attachments.select_related("file"):
            attach(version, attachment.file, attachment.name, attachment.label)
    _record("disclosure.draft_created", access, version)
    return version, True


def open_version(
    access: ProjectAccess, item: CatalogueItem, *, reason: str = "", instance: int = 1
) -> DisclosureVersion:
    """The open version of ``item`` (created if there is none)."""
    return _open(access, item, reason=reason, instance=instance)[0]


def ensure_version(
    access: ProjectAccess, item: CatalogueItem, *, reason: str = "", instance: int = 1
) -> tuple[DisclosureVersion, bool]:
    """Like :func:`open_version`, also saying whether this call created it.

    A form that was opened when no version existed must not overwrite one somebody created
    meanwhile: its caller checks ``created``.
    """
    return _open(access, item, reason=reason, instance=instance)


def create_version(
    access: ProjectAccess,
    item: CatalogueItem,
    *,
    values: dict | None = None,
    information_date=None,
    reason: str = "",
    uploads: list | None = None,
    instance: int = 1,
) -> DisclosureVersion:
    """A new draft with values and files in one step (the API's "create a version").

    Refused when the item already has an open version (edit that one instead).
    """
    with no_orphan_files() as ingested, transaction.atomic():
        version, created = _open(access, item, reason=reason, instance=instance)
        if not created:
            raise ValidationError(
                _("此事项已有未公示的版本（编号 %(id)d），请修改该版本，不要重复新建。")
                % {"id": version.pk},
                code="version_open",
            )
        if values is not None:
            version.values = clean_draft_values(item, values)
        if information_date is not None:
            version.information_date = information_date
        version.save()
        _attach_all(version, list(uploads or []), ingested)
    return version


@transaction.atomic
def save_draft(
    access: ProjectAccess,
    version: DisclosureVersion,
    *,
    lock_version: int,
    values: dict | None = None,
    information_date: Any = ...,
    reason: str | None = None,
) -> DisclosureVersion:
    """Save changes to an open version the user's organisation supplies.

    ``lock_version`` is the one the user read; a stale one is refused (nothing is written).
    ``values`` replaces the stored values (blanks allowed in a draft, bad formats not).
    """
    if not access.owns(version):
        raise Refused(
            _("此版本由%(org)s填报，您不能修改。") % {"org": version.supplied_by.name},
            code="not_owner",
        )
    cleaned = clean_draft_values(version.disclosure.item, values) if values is not None else None
    version = _claim(version, lock_version, EDITABLE_STATUSES)
    if cleaned is not None:
        version.values = cleaned
    if information_date is not ...:
        version.information_date = information_date
    if reason is not None and version.kind != VersionKind.PUBLICATION:
        reason = reason.strip()
        if not reason:
            raise field_error("reason", _("更正须填写更正原因。"), "reason_required")
        version.reason = reason
    version.status = VersionStatus.DRAFT
    version.save()
    return version


def add_files(
    access: ProjectAccess, version: DisclosureVersion, uploads: list, *, lock_version: int | None
) -> DisclosureVersion:
    """Attach scans to an open version: all files or none."""
    if not uploads:
        raise ValidationError(_("请选择要上传的文件（PDF、JPG 或 PNG）。"), code="no_files")
    if not access.owns(version):
        raise Refused(_("此版本不是您的单位填报的，不能上传附件。"), code="not_owner")
    with no_orphan_files() as ingested, transaction.atomic():
        version = _claim(version, lock_version, EDITABLE_STATUSES)
        _attach_all(version, uploads, ingested)
    return version


@transaction.atomic
def remove_file(
    access: ProjectAccess,
    version: DisclosureVersion,
    attachment_id: int,
    *,
    lock_version: int | None,
) -> DisclosureVersion:
    if not access.owns(version):
        raise Refused(_("此版本不是您的单位填报的，不能删除附件。"), code="not_owner")
    attachment = VersionFile.objects.filter(pk=attachment_id, version=version).first()
    if attachment is None:
        raise Http404
    version = _claim(version, lock_version, EDITABLE_STATUSES)
    attachment.delete()
    return version


@transaction.atomic
def discard(access: ProjectAccess, version: DisclosureVersion, *, lock_version: int | None) -> None:
    """Delete an unpublished draft of one's own (nothing public is ever deleted)."""
    if not access.owns(version):
        raise Refused(_("此版本不是您的单位填报的，不能删除。"), code="not_owner")
    version = _claim(version, lock_version, EDITABLE_STATUSES)
    version.attachments.all().delete()
    version.delete()


def replace_table(
    access: ProjectAccess,
    item: CatalogueItem,
    key: str,
    rows: list[dict],
    *,
    lock_version: int | None,
    instance: int = 1,
) -> DisclosureVersion:
    """Put imported rows into one table of the item's open version (created if need be).

    ``lock_version`` is the one the importer read (None when no version existed then).
    """
    with transaction.atomic():
        version, created = _open(access, item, instance=instance)
        if not created and lock_version is None:
            raise _lock_message(version)
        return save_draft(
            access,
            version,
            lock_version=version.lock_version if created else lock_version,
            values={**version.values, key: rows},
        )
