"""Household lookup (一户一档): building / unit / room → that household's acceptance row.

The household acceptance summary table (分户验收汇总表) is any published table field whose
columns include ``building``, ``unit`` and ``room``. What people type varies ("3", "3号楼",
"3栋"; "0501" or "501"), so both sides are normalised before comparing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import get_language

from gongshi.catalogue.fields import HOUSEHOLD_KEYS, household_table, label_of
from gongshi.disclosures.checklist import Checklist, ChecklistEntry
from gongshi.public.display import display_row
from gongshi.public.status import public_versions

_SUFFIXES = re.compile(r"(号楼|楼|栋|幢|座|单元|室|号|户)$")


def normalise(value: object) -> str:
    """``" 3号楼 "`` → ``"3"``; ``"0501室"`` → ``"501"``; ``"１号楼"`` → ``"1"``; case-insensitive."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value or ""))).lower()
    text = _SUFFIXES.sub("", text)
    return text.lstrip("0") or text


@dataclass
class HouseholdSource:
    """The published household table a lookup reads: its item, version and files."""

    entry: ChecklistEntry
    definition: dict
    rows: list[dict]
    #: the instance's version the rows come from (repeatable items: one source per instance)
    current: object = None

    @property
    def version(self):
        return self.current if self.current is not None else self.entry.current

    def options(self) -> dict[str, list[str]]:
        """Distinct buildings, units and rooms as written in the table, in table order."""
        return {
            key: list(dict.fromkeys(str(r.get(key) or "") for r in self.rows if r.get(key)))
            for key in HOUSEHOLD_KEYS
        }


@dataclass
class HouseholdResult:
    source: HouseholdSource
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)


def household_sources(checklist: Checklist) -> list[HouseholdSource]:
    sources = []
    for entry in checklist.entries:
        definition = household_table(entry.item.fields)
        if definition is None:
            continue
        for version in public_versions(entry):
            rows = version.values.get(definition["key"]) or []
            sources.append(HouseholdSource(entry, definition, rows, version))
    return sources


def look_up(
    sources: list[HouseholdSource], building: str, unit: str, room: str
) -> list[HouseholdResult]:
    """Rows of every household table that match; ``unit`` may be blank (no units)."""
    wanted = {"building": normalise(building), "unit": normalise(unit), "room": normalise(room)}
    language = get_language()
    results = []
    for source in sources:
        columns = source.definition["columns"]
        matched = [
            display_row(columns, row)
            for row in source.rows
            if normalise(row.get("building")) == wanted["building"]
            and normalise(row.get("room")) == wanted["room"]
            and (not wanted["unit"] or normalise(row.get("unit")) == wanted["unit"])
        ]
        if matched:
            results.append(
                HouseholdResult(source, [label_of(c, language) for c in columns], matched)
            )
    return results
