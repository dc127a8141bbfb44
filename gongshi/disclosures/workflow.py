"""The disclosure workflow (填报、提交、审核、公示、更正、撤回), shared by the browser and the API.

A participating unit drafts the items its unit type supplies and submits them; the developer
reviews a submission — accepts it (publishes) or sends it back with a reason the unit sees —
and may also draft and publish any item directly. A published version is never edited: a
correction is a new version with a reason, a withdrawal a recorded version with a reason.

At most one version of a disclosure is open (draft, submitted or returned) at a time; it
belongs to the organisation that supplies it, and only that organisation edits it.

Concurrency: every change to an open version is a conditional UPDATE on its
``lock_version`` (optimistic locking). The form or API client sends the ``lock_version`` it
read; if someone else saved in between, nothing is written and the person is told to reload —
nobody's work is silently overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gongshi.catalogue.fields import FieldValidationError, clean_values
from gongshi.catalogue.models import CatalogueItem
from gongshi.core.choices import UnitRole
from gongshi.core.refusals import Refused
from gongshi.disclosures.attachments import attach
from gongshi.disclosures.errors import field_error
from gongshi.disclosures.models import (
    Disclosure,
    DisclosureVersion,
    VersionFile,
    VersionKind,
    VersionStatus,
)
from gongshi.disclosures.privacy import check_free_text, ensure_no_personal_data
from gongshi.disclosures.services import publish_version
from gongshi.files.ingest import ingest_upload
from gongshi.files.models import StoredFile
from gongshi.integrity.audit import record

OPEN_STATUSES = (VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.RETURNED)
EDITABLE_STATUSES = (VersionStatus.DRAFT, VersionStatus.RETURNED)
MAX_FILES_PER_UPLOAD = 20


@dataclass(frozen=True)
class ProjectAccess:
    """What one user may do on one project, through the organisations they belong to.

    ``developer``: the user belongs to the project's developer (reads and reviews everything).
    ``unit_orgs``: the participating units the user belongs to, by role (勘察 设计 施工 …).
    """

    project: Any
    user: Any
    developer: bool
    unit_orgs: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def for_user(cls, project, user) -> ProjectAccess | None:
        """The user's access, or None when the user is not linked to the project."""
        if not user.is_authenticated:
            return None
        org_ids = set(user.memberships.values_list("organisation_id", flat=True))
        developer = project.developer_id in org_ids
        unit_orgs = {
            p.role: p.organisation
            for p in project.participations.select_related("organisation")
            if p.organisation_id in org_ids and p.role != UnitRole.DEVELOPER
        }
        if not developer and not unit_orgs:
            return None
        return cls(project=project, user=user, developer=developer, unit_orgs=unit_orgs)

    @property
    def organisation_ids(self) -> set[int]:
        ids = {o.pk for o in self.unit_orgs.values()}
        if self.developer:
            ids.add(self.project.developer_id)
        return ids

    def can_see(self, item: CatalogueItem) -> bool:
        return self.developer or item.supplier in self.unit_orgs

    def supplier_for(self, item: CatalogueItem):
        """The organisation on whose behalf this user supplies ``item``."""
        if item.supplier in self.unit_orgs:
            return self.unit_orgs[item.supplier]
        if self.developer:
            return self.project.developer
        raise Http404

    def owns(self, version: DisclosureVersion) -> bool:
        return version.supplied_by_id in self.organisation_ids

    def require_developer(self) -> None:
        if not self.developer:
            raise Refused(_("只有建设单位可以进行此操作。"), code="developer_only")


def _record(action: str, access: ProjectAccess, obj, **detail) -> None:
    record(access.user, action, obj, project=access.project.code, **detail)


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


def _lock_message(version: DisclosureVersion) -> ValidationError:
    return ValidationError(
        _("此草稿已被他人修改（%(when)s），您的修改没有保存。请刷新页面查看最新内容后再修改。")
        % {"when": timezone.localtime(version.updated_at).strftime("%Y-%m-%d %H:%M:%S")},
        code="stale_version",
    )


def _status_message(version: DisclosureVersion) -> ValidationError:
    messages = {
        VersionStatus.PUBLISHED: _("此版本已经公示，不能再修改；如需修改请发起更正。"),
        VersionStatus.SUBMITTED: _("此版本已提交建设单位审核，审核完成前不能修改。"),
    }
    return ValidationError(
        messages.get(version.status, _("此版本当前状态下不能进行该操作。")),
        code="wrong_status",
    )


def _claim(
    version: DisclosureVersion, lock_version: int | None, statuses: Iterable[str]
) -> DisclosureVersion:
    """Take the version for one change: bump ``lock_version`` if it is still as read.

    A conditional UPDATE, so of two people saving the same draft at once exactly one wins,
    on SQLite and PostgreSQL alike. Returns the version reloaded.
    """
    conditions: dict[str, Any] = {"pk": version.pk, "status__in": list(statuses)}
    if lock_version is not None:
        conditions["lock_version"] = lock_version
    claimed = DisclosureVersion.objects.filter(**conditions).update(
        lock_version=F("lock_version") + 1, updated_at=timezone.now()
    )
    version.refresh_from_db()
    if not claimed:
        if version.status not in statuses:
            raise _status_message(version)
        raise _lock_message(version)
    return version


def get_version(access: ProjectAccess, version_id: int) -> DisclosureVersion:
    """A version of the project this user may see; 404 for anything else."""
    try:
        version = DisclosureVersion.objects.select_related("disclosure__item").get(
            pk=version_id, disclosure__project=access.project
        )
    except (DisclosureVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not access.can_see(version.disclosure.item):
        raise Http404
    return version


def pending_version(project, item: CatalogueItem) -> DisclosureVersion | None:
    return (
        DisclosureVersion.objects.filter(
            disclosure__project=project, disclosure__item=item, status__in=OPEN_STATUSES
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def current_version(project, item: CatalogueItem) -> DisclosureVersion | None:
    return (
        DisclosureVersion.objects.published()
        .filter(disclosure__project=project, disclosure__item=item)
        .order_by("-number")
        .first()
    )


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
    access: ProjectAccess, item: CatalogueItem, *, reason: str = ""
) -> tuple[DisclosureVersion, bool]:
    """The open version of ``item`` for this user, created as an empty draft if there is none.

    A new version after a publication is a correction, prefilled with the published values and
    files, and needs a reason.
    """
    if not access.can_see(item):
        raise Http404
    disclosure, _created = Disclosure.objects.get_or_create(project=access.project, item=item)
    # Lock the disclosure so two people opening the same item get one draft, not two.
    disclosure = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    existing = pending_version(access.project, item)
    if existing is not None:
        if not access.owns(existing) and not access.developer:
            raise ValidationError(
                _("此事项已有其他单位正在填报的版本，请联系建设单位。"), code="version_open"
            )
        return existing, False
    current = current_version(access.project, item)
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
    access: ProjectAccess, item: CatalogueItem, *, reason: str = ""
) -> DisclosureVersion:
    """The open version of ``item`` (created if there is none)."""
    return _open(access, item, reason=reason)[0]


def ensure_version(
    access: ProjectAccess, item: CatalogueItem, *, reason: str = ""
) -> tuple[DisclosureVersion, bool]:
    """Like :func:`open_version`, also saying whether this call created it.

    A form that was opened when no version existed must not overwrite one somebody created
    meanwhile: its caller checks ``created``.
    """
    return _open(access, item, reason=reason)


def create_version(
    access: ProjectAccess,
    item: CatalogueItem,
    *,
    values: dict | None = None,
    information_date=None,
    reason: str = "",
    uploads: list | None = None,
) -> DisclosureVersion:
    """A new draft with values and files in one step (the API's "create a version").

    Refused when the item already has an open version (edit that one instead).
    """
    with no_orphan_files() as ingested, transaction.atomic():
        version, created = _open(access, item, reason=reason)
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


def _check_complete(version: DisclosureVersion) -> None:
    """What publication will demand, checked at submission so the developer gets no gaps."""
    item = version.disclosure.item
    errors: dict[str, list] = {}
    if version.kind != VersionKind.WITHDRAWAL:
        try:
            version.values = clean_values(item.fields, version.values)
        except FieldValidationError as exc:
            for error in exc.errors:
                errors.setdefault(error.field or "values", []).append(error.message)
        if version.information_date is None:
            errors.setdefault("information_date", []).append(_("请填写信息形成日期。"))
        if item.scan_required and not version.attachments.exists():
            errors.setdefault("files", []).append(_("此事项须上传原件扫描件（PDF、JPG 或 PNG）。"))
    if errors:
        raise ValidationError(errors, code="incomplete")
    ensure_no_personal_data(item.fields, version.values)


@transaction.atomic
def submit(
    access: ProjectAccess, version: DisclosureVersion, *, lock_version: int | None = None
) -> DisclosureVersion:
    """A unit hands its version to the developer for review."""
    if not access.owns(version):
        raise Refused(_("此版本不是您的单位填报的，不能提交。"), code="not_owner")
    if version.supplied_by_id == access.project.developer_id:
        raise ValidationError(
            _("建设单位自己填报的事项无需提交审核，请直接公示。"), code="developer_publishes"
        )
    version = _claim(version, lock_version, EDITABLE_STATUSES)
    _check_complete(version)
    version.status = VersionStatus.SUBMITTED
    version.submitted_at = timezone.now()
    version.save()
    _record("disclosure.submitted", access, version)
    return version


@transaction.atomic
def send_back(
    access: ProjectAccess,
    version: DisclosureVersion,
    reason: str,
    *,
    lock_version: int | None = None,
) -> DisclosureVersion:
    """The developer returns a submission to its unit with a reason the unit sees."""
    access.require_developer()
    reason = (reason or "").strip()
    if not reason:
        raise field_error(
            "reason", _("请填写退回原因，告诉填报单位需要修改什么。"), "reason_required"
        )
    version = _claim(version, lock_version, [VersionStatus.SUBMITTED])
    version.status = VersionStatus.RETURNED
    version.return_reason = reason[:2000]
    version.save()
    _record("disclosure.returned", access, version, reason=reason)
    return version


@transaction.atomic
def approve(
    access: ProjectAccess, version: DisclosureVersion, *, lock_version: int | None = None
) -> DisclosureVersion:
    """The developer publishes: a unit's submission, or a draft of its own."""
    access.require_developer()
    if version.status == VersionStatus.PUBLISHED:
        raise _status_message(version)
    own = version.supplied_by_id == access.project.developer_id
    statuses = [VersionStatus.SUBMITTED] + (list(EDITABLE_STATUSES) if own else [])
    if not own and version.status != VersionStatus.SUBMITTED:
        raise ValidationError(
            _("填报单位尚未提交此版本，提交后才能审核公示。"), code="not_submitted"
        )
    version = _claim(version, lock_version, statuses)
    publish_version(version, access.user)  # records the "disclosure.publish" audit event
    return version


@transaction.atomic
def withdraw(access: ProjectAccess, item: CatalogueItem, reason: str) -> DisclosureVersion:
    """The developer withdraws a published item: a recorded version with the reason."""
    access.require_developer()
    if not access.can_see(item):
        raise Http404
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("撤回须说明原因。"), "reason_required")
    current = current_version(access.project, item)
    if current is None:
        raise ValidationError(_("尚未公示的事项不能撤回。"), code="nothing_to_withdraw")
    if current.kind == VersionKind.WITHDRAWAL:
        raise ValidationError(_("此事项已经撤回。"), code="already_withdrawn")
    return _publish_reason(access, current.disclosure, VersionKind.WITHDRAWAL, reason)


def _publish_reason(access: ProjectAccess, disclosure, kind: str, reason: str):
    """Publish, as the developer, a version that is only a reason (withdrawal, not applicable)."""
    version = DisclosureVersion.objects.create(
        disclosure=disclosure,
        kind=kind,
        values={},
        reason=reason,
        supplied_by=access.project.developer,
        created_by=access.user,
    )
    publish_version(version, access.user)
    action = "disclosure.withdrawn" if kind == VersionKind.WITHDRAWAL else "disclosure.inapplicable"
    _record(action, access, version, reason=reason)
    return version


@transaction.atomic
def declare_inapplicable(
    access: ProjectAccess, item: CatalogueItem, reason: str
) -> DisclosureVersion:
    """The developer declares, publicly and with the reason, that an item does not apply.

    Only where nothing about the item is in force: an item already published is withdrawn
    first (its content stays in the history), and an open draft is finished or discarded.
    A later correction publishes the item after all.
    """
    access.require_developer()
    if not access.can_see(item):
        raise Http404
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise field_error(
            "reason", _("请说明此事项不适用于本项目的原因（向公众公开）。"), "reason_required"
        )
    check_free_text({"reason": (_("不适用原因"), reason)})
    current = current_version(access.project, item)
    if current is not None and current.kind != VersionKind.WITHDRAWAL:
        message = (
            _("此事项已声明不适用。")
            if current.kind == VersionKind.INAPPLICABLE
            else _("此事项已公示；如确不适用，请先撤回，再声明不适用。")
        )
        raise ValidationError(message, code="in_force")
    if pending_version(access.project, item) is not None:
        raise ValidationError(
            _("此事项有尚未公示的草稿，请先删除或公示该草稿。"), code="version_open"
        )
    disclosure, _created = Disclosure.objects.get_or_create(project=access.project, item=item)
    return _publish_reason(access, disclosure, VersionKind.INAPPLICABLE, reason)


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
) -> DisclosureVersion:
    """Put imported rows into one table of the item's open version (created if need be).

    ``lock_version`` is the one the importer read (None when no version existed then).
    """
    with transaction.atomic():
        version, created = _open(access, item)
        if not created and lock_version is None:
            raise _lock_message(version)
        return save_draft(
            access,
            version,
            lock_version=version.lock_version if created else lock_version,
            values={**version.values, key: rows},
        )
