"""What changed between two published versions of a disclosure, as a reader wants to see it.

Scalar fields: label, old value, new value — only those that differ. Tables: rows added,
removed and changed. A row keeps its identity through the table's ``unique`` columns (for
the household table: building, unit, room), so a corrected result shows as one changed row
with the changed cells, not as a removal plus an addition. A table without ``unique``
columns is compared row by row as whole rows (a changed row reads as removed + added).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import get_language

from gongshi.catalogue.fields import label_of
from gongshi.public.display import display_row, display_value


@dataclass(frozen=True)
class FieldChange:
    key: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class CellChange:
    column: str  # label
    old: str
    new: str


@dataclass
class RowChange:
    key: list[str]  # the displayed identity cells (e.g. ["1", "2", "301"])
    cells: list[CellChange]


@dataclass
class TableDiff:
    key: str
    label: str
    columns: list[str]  # labels
    key_columns: list[str]  # labels of the identity columns (empty: whole-row compare)
    added: list[list[str]] = field(default_factory=list)
    removed: list[list[str]] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass
class VersionDiff:
    fields: list[FieldChange] = field(default_factory=list)
    tables: list[TableDiff] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.fields and all(t.is_empty for t in self.tables)


def _row_identity(row: dict, keys: list[str]) -> tuple:
    return tuple(row.get(k) for k in keys)


def _changed_cells(columns: list[dict], before: dict, after: dict, language) -> list[CellChange]:
    return [
        CellChange(
            label_of(c, language),
            display_value(c, before.get(c["key"])),
            display_value(c, after.get(c["key"])),
        )
        for c in columns
        if before.get(c["key"]) != after.get(c["key"])
    ]


def diff_table(
    definition: dict, old_rows: list[dict] | None, new_rows: list[dict] | None
) -> TableDiff:
    language = get_language()
    columns = definition["columns"]
    unique = [k for k in definition.get("unique", []) if any(c["key"] == k for c in columns)]
    result = TableDiff(
        key=definition["key"],
        label=label_of(definition, language),
        columns=[label_of(c, language) for c in columns],
        key_columns=[label_of(c, language) for c in columns if c["key"] in unique],
    )
    old_rows, new_rows = old_rows or [], new_rows or []
    if unique:
        old_by_key = {_row_identity(r, unique): r for r in old_rows}
        new_by_key = {_row_identity(r, unique): r for r in new_rows}
        for identity, row in new_by_key.items():
            before = old_by_key.get(identity)
            if before is None:
                result.added.append(display_row(columns, row))
                continue
            cells = _changed_cells(columns, before, row, language)
            if cells:
                key_cells = [
                    display_value(c, row.get(c["key"])) for c in columns if c["key"] in unique
                ]
                result.changed.append(RowChange(key=key_cells, cells=cells))
        for identity, row in old_by_key.items():
            if identity not in new_by_key:
                result.removed.append(display_row(columns, row))
        return result
    # No identity: compare whole rows as a multiset, keeping the tables' own order.
    keys = [c["key"] for c in columns]
    old_count = Counter(_row_identity(r, keys) for r in old_rows)
    new_count = Counter(_row_identity(r, keys) for r in new_rows)
    added, removed = [], []
    for row in new_rows:
        identity = _row_identity(row, keys)
        if old_count[identity] > 0:
            old_count[identity] -= 1
        else:
            added.append(row)
    for row in old_rows:
        identity = _row_identity(row, keys)
        if new_count[identity] > 0:
            new_count[identity] -= 1
        else:
            removed.append(row)
    # A row that differs from a removed one in a cell or two (a corrected report number) is
    # that row changed, not one row removed and another added.
    for row in added:
        best, same = None, -1
        for candidate in removed:
            equal = sum(candidate.get(k) == row.get(k) for k in keys)
            if equal > same:
                best, same = candidate, equal
        if best is not None and same >= max(1, len(keys) - 2) and same * 2 > len(keys):
            removed.remove(best)
            cells = _changed_cells(columns, best, row, language)
            kept = [
                display_value(c, row.get(c["key"]))
                for c in columns
                if best.get(c["key"]) == row.get(c["key"])
            ]
            result.changed.append(RowChange(key=kept[:2], cells=cells))
        else:
            result.added.append(display_row(columns, row))
    result.removed = [display_row(columns, row) for row in removed]
    return result


def diff_values(definitions: list[dict], old: dict | None, new: dict | None) -> VersionDiff:
    """The changes from ``old`` to ``new`` values of one catalogue item (either may be empty)."""
    old, new = old or {}, new or {}
    language = get_language()
    result = VersionDiff()
    for definition in definitions:
        key = definition["key"]
        if definition["type"] == "table":
            table = diff_table(definition, old.get(key), new.get(key))
            if not table.is_empty:
                result.tables.append(table)
            continue
        before, after = old.get(key), new.get(key)
        if before != after:
            result.fields.append(
                FieldChange(
                    key,
                    label_of(definition, language),
                    display_value(definition, before),
                    display_value(definition, after),
                )
            )
    return result
