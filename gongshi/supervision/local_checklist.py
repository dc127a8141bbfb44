"""A regulator's local checklist (§6.1): items added for its area, requirements raised there.

Both take effect from a stated date and show on the checklists of existing projects in the
area from then on (the checklist derives them at read time).
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongshi.catalogue.fields import validate_definitions
from gongshi.catalogue.models import CatalogueItem, LocalRequirement
from gongshi.organisations.models import Organisation

FIELD_TYPES = {"文本": "text", "长文本": "textarea", "日期": "date", "数字": "number"}


def parse_field_lines(text: str) -> list[dict]:
    """Field definitions from lines like ``证书编号 文本`` or ``检测日期 日期 必填``."""
    definitions: list[dict] = []
    errors: list[str] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        label = parts[0]
        kind = parts[1] if len(parts) > 1 else "文本"
        flags = parts[2:]
        if kind not in FIELD_TYPES:
            errors.append(
                _("第 %(n)d 行：类型“%(kind)s”无效，只能是 文本、长文本、日期 或 数字。")
                % {"n": number, "kind": kind}
            )
            continue
        definitions.append(
            {
                "key": f"f{len(definitions) + 1}",
                "label": label,
                "label_en": label,
                "type": FIELD_TYPES[kind],
                "required": "必填" in flags,
            }
        )
    if not definitions and not errors:
        errors.append(_("请至少定义一个字段，每行一个，如“检测日期 日期 必填”。"))
    errors += validate_definitions(definitions)
    if errors:
        raise ValidationError({"field_lines": errors})
    return definitions


def _not_before_today(effective_from: dt.date) -> None:
    # A new requirement cannot reach back: projects could not have disclosed an item before
    # it was asked of them, and a back-dated one would turn them red at once.
    if effective_from < timezone.localdate():
        raise ValidationError(
            {"effective_from": _("生效日期不能早于今天：新的公示要求不能追溯适用。")}
        )


@transaction.atomic
def add_local_item(
    regulator: Organisation,
    *,
    title: str,
    title_en: str,
    field_lines: str,
    effective_from: dt.date,
    **fields,
) -> CatalogueItem:
    """Add a catalogue item for the regulator's area (a city's or county's own item)."""
    _not_before_today(effective_from)
    if CatalogueItem.objects.filter(
        region=regulator.region, title=title.strip(), active=True
    ).exists():
        raise ValidationError(
            {"title": _("本地清单中已有同名事项“%(title)s”。") % {"title": title.strip()}}
        )
    definitions = parse_field_lines(field_lines)
    slug = re.sub(r"[^a-z0-9]+", "_", (title_en or "").lower()).strip("_")[:30] or "item"
    count = CatalogueItem.objects.filter(region=regulator.region).count()
    item = CatalogueItem(
        code=f"local.r{regulator.region.code}.n{count + 1}_{slug}",
        title=title.strip(),
        title_en=(title_en or title).strip(),
        fields=definitions,
        region=regulator.region,
        effective_from=effective_from,
        basis=_("%(name)s 地方公示清单") % {"name": regulator.name},
        sort_order=1000 + count,
        **fields,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def raise_requirement(
    regulator: Organisation,
    *,
    item: CatalogueItem,
    requirement: str,
    effective_from: dt.date,
    basis: str = "",
) -> LocalRequirement:
    """Make a built-in item stricter in the regulator's area from a date."""
    _not_before_today(effective_from)
    if item.region_id is not None:
        raise ValidationError(
            {"item": _("只能提高全省通用事项的要求；本地事项请直接在本地清单中设定。")}
        )
    local = LocalRequirement.objects.filter(
        region=regulator.region, item=item
    ).first() or LocalRequirement(region=regulator.region, item=item)
    local.requirement = requirement
    local.effective_from = effective_from
    local.basis = basis or _("%(name)s 地方公示清单") % {"name": regulator.name}
    local.full_clean()
    local.save()
    return local
