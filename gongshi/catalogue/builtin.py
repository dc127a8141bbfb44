"""Keep the built-in catalogue in the database: run after every migrate (and test flush).

One query reads the items already there; missing ones are bulk-created, changed ones
bulk-updated. An item an administrator has edited in the admin since it was last loaded is
left alone (its stored digest no longer matches its content), so a release never silently
reverts a province's own adjustment.
"""

from __future__ import annotations

import hashlib
import json

from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone

from gongshi.catalogue.data.builtin import BUILTIN_ITEMS

SYNCED_FIELDS = [
    "title",
    "title_en",
    "category",
    "due_stage",
    "supplier",
    "applies_to",
    "requirement",
    "affordable_requirement",
    "scan_required",
    "scans",
    "scan_required_when",
    "fields",
    "description",
    "basis",
    "sort_order",
    "active",
    "repeatable",
    "covers_buildings",
]
#: Fields added after items were first loaded: left out of the digest while at their default,
#: so an item loaded before them (and not edited since) is still recognised as unedited.
LATER_FIELDS = {"repeatable": False, "covers_buildings": False, "scan_required_when": {}}


def digest(values: dict) -> str:
    content = {
        name: values[name]
        for name in SYNCED_FIELDS
        if not (name in LATER_FIELDS and values.get(name, LATER_FIELDS[name]) == LATER_FIELDS[name])
    }
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def ensure_builtin_catalogue(using: str = DEFAULT_DB_ALIAS, **kwargs) -> dict[str, int]:
    """Create or refresh the built-in items; returns how many were created / updated / kept."""
    from gongshi.catalogue.models import CatalogueItem

    items = CatalogueItem.objects.using(using)
    existing = {i.code: i for i in items.filter(region__isnull=True)}
    to_create, to_update, kept = [], [], 0
    for wanted in BUILTIN_ITEMS:
        wanted_digest = digest(wanted)
        item = existing.get(wanted["code"])
        if item is None:
            to_create.append(
                CatalogueItem(
                    code=wanted["code"],
                    builtin_digest=wanted_digest,
                    **{name: wanted[name] for name in SYNCED_FIELDS},
                )
            )
            continue
        stored = digest({name: getattr(item, name) for name in SYNCED_FIELDS})
        if stored == wanted_digest:
            if item.builtin_digest != wanted_digest:
                item.builtin_digest = wanted_digest
                to_update.append(item)
            continue
        if item.builtin_digest and item.builtin_digest != stored:
            kept += 1  # edited by an administrator since it was loaded: theirs now
            continue
        for name in SYNCED_FIELDS:
            setattr(item, name, wanted[name])
        item.builtin_digest = wanted_digest
        item.updated_at = timezone.now()  # bulk_update does not touch auto_now fields
        to_update.append(item)
    if to_create or to_update:
        with transaction.atomic(using=using):  # all of the catalogue or none of it
            items.bulk_create(to_create)
            items.bulk_update(to_update, [*SYNCED_FIELDS, "builtin_digest", "updated_at"])
    return {"created": len(to_create), "updated": len(to_update), "kept": kept}
