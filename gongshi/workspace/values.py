"""Turning an item's structured fields into form inputs and back.

Input names: ``f-<key>`` for a scalar field; for a table, ``t-<key>-rows`` (the number of
rows shown) and ``t-<key>-<row>-<column>`` for each cell (rows numbered from 1). Completely
blank table rows are dropped, so an added row left empty costs nothing.

A table is edited in the browser while it is small; past :data:`MAX_FORM_CELLS` cells
(a household table of hundreds of rows) it is maintained through Excel instead, which also
keeps a form under Django's limit on the number of fields in one request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gongshi.catalogue.fields import FieldError, label_of

MAX_FORM_CELLS = 800


def table_cells(item_fields: list[dict], values: dict) -> int:
    cells = 0
    for definition in item_fields:
        if definition["type"] == "table":
            rows = values.get(definition["key"]) or []
            cells += (len(rows) + 1) * len(definition["columns"])
    return cells


def editable_in_browser(item_fields: list[dict], values: dict) -> bool:
    return table_cells(item_fields, values) <= MAX_FORM_CELLS


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def values_from_post(item_fields: list[dict], data, stored: dict | None = None) -> dict:
    """The values typed into the item form (strings; cleaning is the workflow's job).

    A table too big for the form is not in it (``t-<key>-keep``): its ``stored`` rows stay.
    """
    values: dict[str, Any] = {}
    for definition in item_fields:
        key = definition["key"]
        if definition["type"] != "table":
            values[key] = data.get(f"f-{key}", "")
            continue
        if data.get(f"t-{key}-keep"):
            values[key] = list((stored or {}).get(key) or [])
            continue
        try:
            count = min(int(data.get(f"t-{key}-rows", 0)), MAX_FORM_CELLS)
        except (TypeError, ValueError):
            count = 0
        rows = []
        for index in range(1, count + 1):
            row = {
                c["key"]: data.get(f"t-{key}-{index}-{c['key']}", "") for c in definition["columns"]
            }
            if not all(_blank(v) for v in row.values()):
                rows.append(row)
        values[key] = rows
    return values


def display_value(definition: dict, value: Any, language: str | None = None) -> str:
    """A stored value as shown to people: choice labels, not codes."""
    if value is None:
        return ""
    if definition["type"] == "choice":
        for choice in definition["choices"]:
            if choice["value"] == value:
                return label_of(choice, language)
    return str(value)


@dataclass
class Cell:
    name: str
    column: dict
    value: Any
    error: bool = False


@dataclass
class Row:
    number: int
    cells: list[Cell]


@dataclass
class BoundField:
    definition: dict
    label: str
    value: Any = None
    name: str = ""
    rows: list[Row] = field(default_factory=list)
    columns: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    row_count: int = 0

    @property
    def is_table(self) -> bool:
        return self.definition["type"] == "table"

    @property
    def choices(self) -> list[dict]:
        return self.definition.get("choices", [])


def bind(
    item_fields: list[dict],
    values: dict,
    errors: list[FieldError] | None = None,
    *,
    extra_rows: dict[str, int] | None = None,
    language: str | None = None,
    with_rows: bool = True,
) -> list[BoundField]:
    """The item's fields with their values and errors, ready for the template.

    ``with_rows=False`` skips building table cells (a table edited through Excel only).
    """
    errors = errors or []
    extra_rows = extra_rows or {}
    bound = []
    for definition in item_fields:
        key = definition["key"]
        field_errors = [e.message for e in errors if e.field == key]
        bf = BoundField(
            definition=definition, label=label_of(definition, language), errors=field_errors
        )
        if definition["type"] == "table":
            bf.columns = [{**c, "label": label_of(c, language)} for c in definition["columns"]]
            bad = {(e.row, e.column) for e in errors if e.field == key}
            bad_rows = {e.row for e in errors if e.field == key and e.column is None}
            rows = list(values.get(key) or [])
            bf.row_count = len(rows)
            if not with_rows:
                rows = []
            rows += [{}] * extra_rows.get(key, 0)
            if not rows:
                rows = [{}]
            for index, row in enumerate(rows, start=1):
                bf.rows.append(
                    Row(
                        number=index,
                        cells=[
                            Cell(
                                name=f"t-{key}-{index}-{c['key']}",
                                column=c,
                                value=row.get(c["key"]) or "",
                                error=(index, c["key"]) in bad or index in bad_rows,
                            )
                            for c in bf.columns
                        ],
                    )
                )
            bf.name = f"t-{key}-rows"
        else:
            bf.name = f"f-{key}"
            bf.value = values.get(key) or ""
        bound.append(bf)
    return bound
