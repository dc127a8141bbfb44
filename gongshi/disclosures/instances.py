"""Instances of repeatable items (可多份公示的事项): adding them, naming the buildings they cover,
and the rule that says when an item is complete.

A repeatable catalogue item (one pre-sale permit per sales batch, one completion acceptance
per building) has one :class:`~.models.Disclosure` row per instance, numbered from 1. The
developer adds an instance with a label and the buildings it covers; each instance then
goes through the workflow like any other disclosure (drafts, review, publication,
correction, withdrawal). The project's plan says how many instances it needs
(``required_instances`` on its first instance); the item counts as complete when that many are
public (or the item is declared not to apply).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gongshi.catalogue.models import CatalogueItem
from gongshi.disclosures.errors import field_error
from gongshi.disclosures.models import (
    Disclosure,
    DisclosureVersion,
    VersionKind,
    VersionStatus,
)
from gongshi.disclosures.privacy import check_free_text
from gongshi.disclosures.signals import disclosures_changed
from gongshi.integrity.audit import record

MAX_INSTANCES = 200
MAX_LABEL = 100


def is_complete(public_instances: int, required: int, inapplicable: bool) -> bool:
    """The one rule (checklist, regulator figures, score): enough public instances, or "does
    not apply" declared."""
    return inapplicable or public_instances >= max(1, required)


# Items whose required number follows what the project declares, until the developer sets
# it: one pre-sale permit per sales batch (Building.sales_batch), one completion acceptance
# per building (while the catalogue ties the item to buildings).
SALES_BATCHES = "sales_batches"
BUILDINGS = "buildings"
ONE_PER_BATCH_OR_BUILDING = {
    "procedure.presale_permit": SALES_BATCHES,
    "acceptance.unit_completion": BUILDINGS,
}


@dataclass(frozen=True)
class PlanCounts:
    """What a project declared that counts instances: its sales batches and buildings."""

    sales_batches: int = 0
    buildings: int = 0


def plan_counts(project_ids: Iterable[int]) -> dict[int, PlanCounts]:
    """Each project's declared sales batches and buildings (one query; absent = none)."""
    from gongshi.projects.models import Building

    rows = (
        Building.objects.filter(project_id__in=list(project_ids))
        .order_by()
        .values("project_id")
        .annotate(buildings=Count("pk"), batches=Count("sales_batch", distinct=True))
    )
    return {r["project_id"]: PlanCounts(r["batches"], r["buildings"]) for r in rows}


def derived_required(
    code: str, covers_buildings: bool, counts: PlanCounts
) -> tuple[int, str] | None:
    """The number the plan gives an item, and why ("每个销售批次一份，共3个批次"); None if it gives none."""
    basis = ONE_PER_BATCH_OR_BUILDING.get(code)
    if basis == SALES_BATCHES and counts.sales_batches:
        n = counts.sales_batches
        return n, ngettext(
            "每个销售批次一份，共%(n)d个批次", "每个销售批次一份，共%(n)d个批次", n
        ) % {"n": n}
    if basis == BUILDINGS and covers_buildings and counts.buildings:
        n = counts.buildings
        return n, ngettext("每栋楼一份，共%(n)d栋", "每栋楼一份，共%(n)d栋", n) % {"n": n}
    return None


def required_for(
    item: CatalogueItem, first: Disclosure | None, counts: PlanCounts
) -> tuple[int, str | None]:
    """How many public instances complete ``item`` on a project, and why when the plan says.

    ``first`` is the item's first instance (None when nothing was started). A number the
    developer declared wins; otherwise the plan's sales batches or buildings; otherwise 1.
    """
    if not item.repeatable:
        return 1, None
    if first is not None and first.required_declared:
        return first.required_instances, None
    derived = derived_required(item.code, item.covers_buildings, counts)
    if derived is not None:
        return derived
    return (first.required_instances if first is not None else 1), None


def refresh_completion(
    project_id: int, item: CatalogueItem, today: dt.date | None = None, *, notify: bool = True
) -> bool:
    """Recompute ``completes_item`` on the item's first instance from its instances' state.

    Called in the publishing transaction and when the required number changes; returns the
    new value, and tells ``signals.disclosures_changed`` when it changed (unless ``notify`` is
    false: publish_version tells it once, with the publication).
    """
    item_id = item.pk
    instances = list(Disclosure.objects.filter(project_id=project_id, item_id=item_id))
    if not instances:
        return False
    first = next((d for d in instances if d.instance == 1), None)
    counts = plan_counts([project_id]).get(project_id, PlanCounts())
    required, _why = required_for(item, first, counts)
    latest_kind = dict(
        DisclosureVersion.objects.published()
        .filter(disclosure__in=instances)
        .order_by("disclosure_id", "number")
        .values_list("disclosure_id", "kind")
    )
    inapplicable = any(latest_kind.get(d.pk) == VersionKind.INAPPLICABLE for d in instances)
    public = sum(
        1
        for d in instances
        if latest_kind.get(d.pk) not in (None, VersionKind.WITHDRAWAL, VersionKind.INAPPLICABLE)
    )
    complete = is_complete(public, required, inapplicable)
    Disclosure.objects.filter(project_id=project_id, item_id=item_id).exclude(instance=1).update(
        completes_item=False
    )
    Disclosure.objects.filter(project_id=project_id, item_id=item_id, instance=1).update(
        completes_item=complete
    )
    if notify and first is not None and first.completes_item != complete:
        disclosures_changed.send(
            sender=Disclosure,
            project_id=project_id,
            today=today or timezone.localdate(),
            completion_changed=True,
            first_timeliness_days=None,
        )
    return complete


def get_instance(project, item: CatalogueItem, instance: int) -> Disclosure:
    """The instance of ``item`` numbered ``instance``; 404 if it does not exist.

    Instance 1 of any item exists as soon as it is asked for (it is the item itself).
    """
    if instance == 1:
        disclosure, _created = Disclosure.objects.get_or_create(
            project=project, item=item, instance=1
        )
        return disclosure
    try:
        return Disclosure.objects.get(project=project, item=item, instance=instance)
    except (Disclosure.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def instances_of(project, item: CatalogueItem) -> list[Disclosure]:
    """The item's instances in order, with their buildings (two queries)."""
    return list(
        Disclosure.objects.filter(project=project, item=item)
        .prefetch_related("buildings")
        .order_by("instance")
    )


def _buildings(project, building_ids: Iterable) -> list:
    from gongshi.projects.models import Building

    wanted = []
    for raw in building_ids or []:
        try:
            wanted.append(int(raw))
        except (TypeError, ValueError):
            raise field_error(
                "buildings",
                _("楼栋“%(b)s”不存在，请从本项目的楼栋中选择。") % {"b": raw},
                "invalid",
            ) from None
    found = {b.pk: b for b in Building.objects.filter(project=project, pk__in=wanted)}
    missing = [b for b in wanted if b not in found]
    if missing:
        raise field_error(
            "buildings",
            _("楼栋（编号 %(b)s）不属于本项目，请从本项目的楼栋中选择。") % {"b": missing[0]},
            "invalid",
        )
    return [found[b] for b in dict.fromkeys(wanted)]


def _clean_label(label: str) -> str:
    label = (label or "").strip()
    if len(label) > MAX_LABEL:
        raise field_error("label", _("名称最多 %(n)d 个字。") % {"n": MAX_LABEL}, "max_length")
    if label:
        check_free_text({"label": (_("名称"), label)})
    return label


def _check_item(access, item: CatalogueItem) -> None:
    access.require_developer()
    if not access.can_see(item):
        raise Http404
    if not item.repeatable:
        raise ValidationError(
            _("“%(item)s”每个项目只公示一份，不能新增。如内容有变，请更正已公示的版本。")
            % {"item": item.title},
            code="not_repeatable",
        )


@transaction.atomic
def add_instance(access, item: CatalogueItem, *, label: str = "", buildings=()) -> Disclosure:
    """The developer adds an instance (第 n 份) of a repeatable item, to be drafted and published."""
    _check_item(access, item)
    label = _clean_label(label)
    covered = _buildings(access.project, buildings)
    if covered and not item.covers_buildings:
        raise field_error("buildings", _("此事项不按楼栋公示，不能选择楼栋。"), "invalid")
    # Lock the first instance so two developers adding at once get consecutive numbers.
    first = get_instance(access.project, item, 1)
    Disclosure.objects.select_for_update().filter(pk=first.pk).get()
    existing = Disclosure.objects.filter(project=access.project, item=item)
    count = existing.count()
    if count >= MAX_INSTANCES:
        raise ValidationError(
            _("此事项已有 %(n)d 份，不能再新增。") % {"n": count}, code="too_many_instances"
        )
    if label and existing.filter(label=label).exists():
        raise field_error(
            "label", _("已有名称为“%(label)s”的一份，请换一个名称。") % {"label": label}, "unique"
        )
    if count == 1 and not _has_versions(first) and not first.label:
        # The first instance was never used: name it rather than leave an empty "第 1 份".
        disclosure = first
        disclosure.label = label
        disclosure.save(update_fields=["label"])
    else:
        number = existing.aggregate(n=Max("instance"))["n"] + 1
        disclosure = Disclosure.objects.create(
            project=access.project, item=item, instance=number, label=label
        )
    disclosure.buildings.set(covered)
    record(
        access.user,
        "disclosure.instance_added",
        disclosure,
        project=access.project.code,
        item=item.code,
        instance=disclosure.instance,
    )
    refresh_completion(access.project.pk, item)
    return disclosure


def _has_versions(disclosure: Disclosure) -> bool:
    return disclosure.versions.exists()


@transaction.atomic
def update_instance(
    access, disclosure: Disclosure, *, label: str | None = None, buildings=None
) -> Disclosure:
    """Rename an instance or change its buildings, until it has been published.

    Its label and buildings are in every log leaf of its versions, so once published they
    stay as they were: a wrong one is withdrawn and a new instance added.
    """
    item = disclosure.item
    access.require_developer()
    if not access.can_see(item):
        raise Http404
    if disclosure.versions.filter(status=VersionStatus.PUBLISHED).exists():
        raise ValidationError(
            _(
                "此份已公示，名称和涵盖楼栋不能再修改（已记入公示日志）。"
                "如有错误，请撤回此份后新增一份。"
            ),
            code="instance_published",
        )
    if label is not None:
        label = _clean_label(label)
        if (
            label
            and Disclosure.objects.filter(project=disclosure.project_id, item=item, label=label)
            .exclude(pk=disclosure.pk)
            .exists()
        ):
            raise field_error(
                "label",
                _("已有名称为“%(label)s”的一份，请换一个名称。") % {"label": label},
                "unique",
            )
        disclosure.label = label
        disclosure.save(update_fields=["label"])
    if buildings is not None:
        covered = _buildings(access.project, buildings)
        if covered and not item.covers_buildings:
            raise field_error("buildings", _("此事项不按楼栋公示，不能选择楼栋。"), "invalid")
        disclosure.buildings.set(covered)
    record(
        access.user,
        "disclosure.instance_changed",
        disclosure,
        project=access.project.code,
        item=item.code,
        instance=disclosure.instance,
    )
    return disclosure


@transaction.atomic
def set_required(access, item: CatalogueItem, required) -> Disclosure:
    """The developer declares, with the plan, how many instances the project must disclose."""
    _check_item(access, item)
    try:
        required = int(required)
    except (TypeError, ValueError):
        raise field_error("required", _("应公示份数须为整数。"), "invalid") from None
    if not 1 <= required <= MAX_INSTANCES:
        raise field_error(
            "required",
            _("应公示份数须在 1 到 %(n)d 之间。") % {"n": MAX_INSTANCES},
            "invalid",
        )
    row = get_instance(access.project, item, 1)
    row.required_instances = required
    row.required_declared = True
    row.save(update_fields=["required_instances", "required_declared"])
    return _required_changed(access, item, row, required=required)


@transaction.atomic
def follow_plan(access, item: CatalogueItem) -> Disclosure:
    """The developer takes back a declared number: the item's required instances follow the
    project's sales batches or buildings again (logged like the declaration)."""
    _check_item(access, item)
    if item.code not in ONE_PER_BATCH_OR_BUILDING:
        raise field_error(
            "required", _("此事项的份数不随销售批次或楼栋计算，请填报份数。"), "invalid"
        )
    row = get_instance(access.project, item, 1)
    row.required_declared = False
    row.save(update_fields=["required_declared"])
    required, _why = required_of(access.project, item, row)
    return _required_changed(access, item, row, required=required, follows_plan=True)


def _required_changed(access, item: CatalogueItem, row: Disclosure, **details) -> Disclosure:
    """Log a change of the number of required instances and recount the item's completion."""
    record(
        access.user,
        "disclosure.instances_required",
        row,
        project=access.project.code,
        item=item.code,
        **details,
    )
    refresh_completion(access.project.pk, item)
    return row


def plan_required_of(project, item: CatalogueItem) -> tuple[int, str] | None:
    """What the sales batches or buildings would give the item, even while a number declared
    by the developer wins (so the page can offer to follow them again)."""
    if not item.repeatable or item.code not in ONE_PER_BATCH_OR_BUILDING:
        return None
    counts = plan_counts([project.pk]).get(project.pk, PlanCounts())
    return derived_required(item.code, item.covers_buildings, counts)


def required_of(project, item: CatalogueItem, first: Disclosure | None) -> tuple[int, str | None]:
    """:func:`required_for` of one project's item (one query, for the buildings)."""
    counts = plan_counts([project.pk]).get(project.pk, PlanCounts()) if item.repeatable else None
    return required_for(item, first, counts or PlanCounts())


def refresh_planned_items(project) -> None:
    """After the buildings change: items counted by the plan may have become (in)complete."""
    started = CatalogueItem.objects.filter(
        code__in=ONE_PER_BATCH_OR_BUILDING, repeatable=True, disclosures__project=project
    ).distinct()
    for item in started:
        refresh_completion(project.pk, item)
