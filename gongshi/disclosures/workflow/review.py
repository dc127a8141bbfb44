"""Review (提交、审核): the unit submits, the developer sends back with a reason or approves."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongshi.catalogue.fields import FieldValidationError, clean_values
from gongshi.core.refusals import Refused
from gongshi.disclosures.errors import field_error
from gongshi.disclosures.models import (
    DisclosureVersion,
    VersionKind,
    VersionStatus,
)
from gongshi.disclosures.privacy import ensure_no_personal_data
from gongshi.disclosures.services import publish_version
from gongshi.disclosures.workflow.access import (
    EDITABLE_STATUSES,
    ProjectAccess,
    _claim,
    _record,
    _status_message,
)


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
        if item.requires_scan(version.values) and not version.attachments.exists():
            errors.setdefault("files", []).append(item.missing_scan_message())
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
