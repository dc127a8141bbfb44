"""Who may do what on a project's disclosures, finding its versions, and the version lock.

Every step of the workflow (draft, review, publish) starts here: :class:`ProjectAccess` says
what one user may do on one project; :func:`_claim` is the optimistic lock every change to an
open version goes through (a conditional UPDATE on ``lock_version``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gongshi.catalogue.models import CatalogueItem
from gongshi.core.choices import UnitRole
from gongshi.core.refusals import Refused
from gongshi.disclosures.models import (
    DisclosureVersion,
    VersionStatus,
)
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


def pending_version(project, item: CatalogueItem, instance: int = 1) -> DisclosureVersion | None:
    """The open version of one instance of ``item`` (the first unless told otherwise)."""
    return (
        DisclosureVersion.objects.filter(
            disclosure__project=project,
            disclosure__item=item,
            disclosure__instance=instance,
            status__in=OPEN_STATUSES,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def current_version(project, item: CatalogueItem, instance: int = 1) -> DisclosureVersion | None:
    """The latest published version of one instance of ``item`` (the first unless told)."""
    return (
        DisclosureVersion.objects.published()
        .filter(disclosure__project=project, disclosure__item=item, disclosure__instance=instance)
        .order_by("-number")
        .first()
    )
