"""Versions that carry only a public reason: a withdrawal, or a declaration that the item
does not apply to the project (更正 is a new draft, see ``draft``; 公示 is ``services``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from gongshi.catalogue.models import CatalogueItem
from gongshi.disclosures.errors import field_error
from gongshi.disclosures.models import (
    Disclosure,
    DisclosureVersion,
    VersionKind,
)
from gongshi.disclosures.privacy import check_free_text
from gongshi.disclosures.services import publish_version
from gongshi.disclosures.workflow.access import (
    ProjectAccess,
    _record,
    current_version,
    pending_version,
)


@transaction.atomic
def withdraw(
    access: ProjectAccess, item: CatalogueItem, reason: str, *, instance: int = 1
) -> DisclosureVersion:
    """The developer withdraws a published item (one instance of it): a recorded version
    with the reason."""
    access.require_developer()
    if not access.can_see(item):
        raise Http404
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("撤回须说明原因。"), "reason_required")
    current = current_version(access.project, item, instance)
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
    if (
        Disclosure.objects.filter(project=access.project, item=item, is_public=True)
        .exclude(instance=1)
        .exists()
    ):
        raise ValidationError(
            _("此事项已有公示中的份；如确不适用，请先逐份撤回，再声明不适用。"), code="in_force"
        )
    if pending_version(access.project, item) is not None:
        raise ValidationError(
            _("此事项有尚未公示的草稿，请先删除或公示该草稿。"), code="version_open"
        )
    disclosure, _created = Disclosure.objects.get_or_create(
        project=access.project, item=item, instance=1
    )
    return _publish_reason(access, disclosure, VersionKind.INAPPLICABLE, reason)
