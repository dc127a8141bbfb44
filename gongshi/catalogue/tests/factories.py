"""Factories for catalogue items and disclosure versions (importable by other apps' tests)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from gongshi.catalogue.models import CatalogueItem, Category, DueStage, RequirementLevel
from gongshi.core.choices import UnitRole
from gongshi.disclosures.models import Disclosure, DisclosureVersion, VersionKind, VersionStatus
from gongshi.disclosures.services import publish_version

_serial = itertools.count(1)

SIMPLE_FIELDS = [
    {"key": "note", "label": "说明", "label_en": "Note", "type": "text", "required": True}
]


def make_item(**fields) -> CatalogueItem:
    """A catalogue item with one required text field; override anything."""
    serial = next(_serial)
    defaults = {
        "code": f"test.item_{serial}",
        "title": f"测试事项{serial}",
        "title_en": f"Test item {serial}",
        "category": Category.PROCEDURE,
        "due_stage": DueStage.BEFORE_START,
        "supplier": UnitRole.DEVELOPER,
        "requirement": RequirementLevel.REQUIRED,
        "fields": SIMPLE_FIELDS,
        "sort_order": serial,
    }
    if fields.get("region") is not None:
        # A local item needs its effective date; by default one long past (in force before
        # any test project started), counted back from the (frozen) today.
        defaults["effective_from"] = timezone.localdate() - dt.timedelta(days=365 * 25)
    defaults.update(fields)
    return CatalogueItem.objects.create(**defaults)


def only_items(*items: CatalogueItem) -> None:
    """Switch off every other catalogue item (e.g. the built-in ones) for a controlled test."""
    CatalogueItem.objects.exclude(pk__in=[i.pk for i in items]).update(active=False)


def make_version(
    project,
    item: CatalogueItem,
    user,
    *,
    status: str = VersionStatus.DRAFT,
    values: dict | None = None,
    information_date: dt.date | None = None,
    kind: str = VersionKind.PUBLICATION,
    reason: str = "",
    instance: int = 1,
) -> DisclosureVersion:
    """An unpublished version (draft / submitted / returned) of ``item`` on ``project``
    (of its ``instance``, created if need be, for a repeatable item)."""
    disclosure, _ = Disclosure.objects.get_or_create(project=project, item=item, instance=instance)
    return DisclosureVersion.objects.create(
        disclosure=disclosure,
        status=status,
        kind=kind,
        values={"note": "测试内容"} if values is None else values,
        information_date=information_date,
        reason=reason,
        supplied_by=project.developer,
        created_by=user,
    )


def publish(
    project,
    item: CatalogueItem,
    user,
    *,
    days_after: int = 1,
    now: dt.datetime | None = None,
    kind: str = VersionKind.PUBLICATION,
    reason: str = "",
    values: dict | None = None,
    instance: int = 1,
) -> DisclosureVersion:
    """Publish a version ``days_after`` days after its information date, through the one path."""
    now = now or timezone.now()
    version = make_version(
        project,
        item,
        user,
        values=values,
        information_date=timezone.localdate(now) - dt.timedelta(days=days_after),
        kind=kind,
        reason=reason,
        instance=instance,
    )
    return publish_version(version, user, now=now)


def withdraw(
    project, item: CatalogueItem, user, reason: str = "信息有误，撤回核实"
) -> DisclosureVersion:
    version = make_version(
        project, item, user, values={}, kind=VersionKind.WITHDRAWAL, reason=reason
    )
    return publish_version(version, user)
