"""What the archive and the sample rooms read from the project's published disclosures.

Nothing is copied: a flat's household acceptance result is its row of the published
household acceptance summary table (分户验收汇总表, the same rows the household lookup
reads), the warranty contacts are the published warranty item, a sample room's materials
are rows of the published fit-out materials table. A correction of any of them shows on the
archive at once; a withdrawal removes it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import get_language

from gongshi.catalogue.fields import household_table, label_of
from gongshi.disclosures.models import DisclosureVersion, VersionKind

WARRANTY_ITEM = "warranty.service"
FITOUT_ITEM = "materials.fitout"
FITOUT_COLUMNS = ("name", "brand", "specification", "model", "grade", "origin")

_SUFFIXES = re.compile(r"(号楼|楼|栋|幢|座|单元|室|号|户)$")


def normalise(value: object) -> str:
    """``" 3号楼 "`` → ``"3"``; ``"0501室"`` → ``"501"``; ``"１号楼"`` → ``"1"``; case-insensitive.

    The household lookup (``public.household``) compares with the same rule.
    """
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value or ""))).lower()
    text = _SUFFIXES.sub("", text)
    return text.lstrip("0") or text


def current_versions(project, **item_filter) -> list[DisclosureVersion]:
    """The version the public reads of each matching disclosure of ``project`` (one query).

    The latest published version of each disclosure, unless it withdrew the item or declared
    it not to apply.
    """
    versions = (
        DisclosureVersion.objects.published()
        .filter(
            disclosure__project=project,
            **{f"disclosure__item__{k}": v for k, v in item_filter.items()},
        )
        .select_related("disclosure__item")
        .order_by("disclosure_id", "-number")
    )
    latest: dict[int, DisclosureVersion] = {}
    for version in versions:
        latest.setdefault(version.disclosure_id, version)
    return [
        v
        for v in latest.values()
        if v.kind not in (VersionKind.WITHDRAWAL, VersionKind.INAPPLICABLE)
    ]


@dataclass
class AcceptanceRow:
    """A flat's row of a published household acceptance table."""

    version: DisclosureVersion
    result: str  # "pass" | "fail" | other choice value
    result_label: str
    date: str
    rectification: str

    @property
    def passed(self) -> bool:
        return self.result == "pass"


class AcceptanceIndex:
    """Every published household table row of a project, found by building, unit and room."""

    def __init__(self, project) -> None:
        self.rows: dict[tuple[str, str, str], AcceptanceRow] = {}
        english = (get_language() or "").startswith("en")
        for version in current_versions(project, category="acceptance"):
            definition = household_table(version.disclosure.item.fields)
            if definition is None:
                continue
            result_column = next(
                (c for c in definition["columns"] if c["key"] == "result"), {"choices": []}
            )
            labels = {
                c["value"]: (c.get("label_en") if english else None) or c["label"]
                for c in result_column.get("choices", [])
            }
            for row in version.values.get(definition["key"]) or []:
                key = (
                    normalise(row.get("building")),
                    normalise(row.get("unit")),
                    normalise(row.get("room")),
                )
                self.rows.setdefault(
                    key,
                    AcceptanceRow(
                        version=version,
                        result=str(row.get("result") or ""),
                        result_label=labels.get(row.get("result"), str(row.get("result") or "")),
                        date=str(row.get("acceptance_date") or ""),
                        rectification=str(row.get("rectification") or ""),
                    ),
                )

    def for_flat(self, flat) -> AcceptanceRow | None:
        building, unit, room = (
            normalise(flat.building.name),
            normalise(flat.unit),
            normalise(flat.number),
        )
        return self.rows.get((building, unit, room)) or self.rows.get((building, "", room))


@dataclass
class Contact:
    label: str
    value: str


def warranty_contacts(project) -> tuple[DisclosureVersion | None, list[Contact]]:
    """The published warranty and complaints contacts (质量保修及投诉处理), field by field."""
    versions = current_versions(project, code=WARRANTY_ITEM)
    if not versions:
        return None, []
    version = versions[0]
    language = get_language()
    contacts = [
        Contact(label_of(d, language), str(version.values.get(d["key"])))
        for d in version.disclosure.item.fields
        if d["type"] != "table" and version.values.get(d["key"])
    ]
    return version, contacts


@dataclass
class Product:
    """A row of the published fit-out materials table (全装修主要材料、部品部件及设备)."""

    cells: list[str]
    location: str


def fitout_products(
    project,
) -> tuple[DisclosureVersion | None, list[tuple[str, str]], list[Product]]:
    """The published fit-out table: its version, (key, label) columns and rows."""
    versions = current_versions(project, code=FITOUT_ITEM)
    if not versions:
        return None, [], []
    version = versions[0]
    definition = next(
        (d for d in version.disclosure.item.fields if d["type"] == "table"),
        {"key": "", "columns": []},
    )
    language = get_language()
    columns = [c for c in definition["columns"] if c["key"] in FITOUT_COLUMNS]
    rows = [
        Product(
            cells=[str(row.get(c["key"]) or "") for c in columns],
            location=str(row.get("location") or ""),
        )
        for row in version.values.get(definition["key"]) or []
    ]
    return version, [(c["key"], label_of(c, language)) for c in columns], rows


def products_for_room(products: list[Product], terms: list[str]) -> list[Product]:
    """Products whose "where used" names the room (any of its terms), or the whole flat."""
    whole = ("全屋", "整套", "户内", "各房间", "全部")
    return [
        p
        for p in products
        if any(t and t in p.location for t in terms) or any(w in p.location for w in whole)
    ]
