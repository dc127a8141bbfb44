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

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils.translation import gettext as _

from gongshi.catalogue.models import CatalogueItem
from gongshi.disclosures.errors import field_error
from gongshi.disclosures.models import (
    Disclosure,
    DisclosureVersion,
    VersionKind,
    VersionStatus,
)
from gongshi.disclosures.privacy import check_free_text
from gongshi.integrity.audit import record

MAX_INSTANCES = 200
MAX_LABEL = 100


def is_complete(public_instances: int, required: int, inapplicable: bool) -> bool:
    """The one rule (checklist, regulator figures, score): enough public instances, or "does
    not apply" declared."""
    return inapplicable or public_instances >= max(1, required)


def refresh_completion(project_id: int, item: CatalogueItem) -> bool:
    """Recompute ``completes_item`` on the item's first instance from its instances' state.

    Called in the publishing transaction and when the required number changes; returns the
    new value.
    """
    item_id = item.pk
    instances = list(Disclosure.objects.filter(project_id=project_id, item_id=item_id))
    if not instances:
        return False
    first = next((d for d in instances if d.instance == 1), None)
    required = first.required_instances if first and item.repeatable else 1
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
    row.save(update_fields=["required_instances"])
    record(
        access.user,
        "disclosure.instances_required",
        row,
        project=access.project.code,
        item=item.code,
        required=required,
    )
    refresh_completion(access.project.pk, item)
    return row
