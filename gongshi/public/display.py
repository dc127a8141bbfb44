"""Turning stored field values into what a reader sees: labels, choice names, tables."""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Any

from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from gongshi.catalogue.fields import label_of

TABLE_PAGE_SIZE = 50
TABLE_PREVIEW_ROWS = 10


def display_value(definition: dict, value: Any) -> str:
    """A scalar value as text: the label of a choice, the value otherwise; "" when empty."""
    if value is None or value == "":
        return ""
    if definition.get("type") == "choice":
        english = (get_language() or "").startswith("en")
        for choice in definition.get("choices", []):
            if choice["value"] == value:
                return (choice.get("label_en") if english else None) or choice["label"]
    return str(value)


@dataclass
class ScalarField:
    key: str
    label: str
    value: str
    long: bool  # textarea: shown as a paragraph, not in the facts list


@dataclass
class TablePage:
    """One page of a table field's rows, ready to print."""

    key: str
    label: str
    columns: list[tuple[str, str]]  # (key, label)
    rows: list[list[str]]  # displayed cells, in column order
    total: int
    page: int
    pages: int
    first_row_number: int

    @property
    def has_more(self) -> bool:
        return self.page < self.pages

    @property
    def body_html(self) -> SafeString:
        """The rows as ``<tr>`` elements: the row's number, then each cell ("—" when empty;
        a short cell does not wrap).

        Built here rather than by a template loop: a 500-item page prints thousands of
        cells, and two template tags per cell were a tenth of its render time.
        """
        html = []
        for number, row in enumerate(self.rows, self.first_row_number):
            # Below 1,000 a row number has no separator to localise.
            html.append(f"<tr><td>{number if number < 1000 else localize(number)}</td>")
            for cell in row:
                # The standard library's escape is what Django's wraps, without its costs.
                shown = escape(cell) if cell else "—"
                html.append(
                    f'<td class="nowrap">{shown}</td>' if len(cell) < 12 else f"<td>{shown}</td>"
                )
            html.append("</tr>")
        return mark_safe("".join(html))  # noqa: S308 — every cell is escaped above


def scalar_fields(definitions: list[dict], values: dict) -> list[ScalarField]:
    language = get_language()
    return [
        ScalarField(
            key=d["key"],
            label=label_of(d, language),
            value=display_value(d, values.get(d["key"])),
            long=d["type"] == "textarea",
        )
        for d in definitions
        if d["type"] != "table"
    ]


def display_row(columns: list[dict], row: dict) -> list[str]:
    return [display_value(c, row.get(c["key"])) for c in columns]


def table_page(definition: dict, rows: list[dict] | None, page: int, per_page: int) -> TablePage:
    rows = rows or []
    pages = max(1, math.ceil(len(rows) / per_page))
    page = min(max(1, page), pages)
    start = (page - 1) * per_page
    columns = definition["columns"]
    language = get_language()
    return TablePage(
        key=definition["key"],
        label=label_of(definition, language),
        columns=[(c["key"], label_of(c, language)) for c in columns],
        rows=[display_row(columns, r) for r in rows[start : start + per_page]],
        total=len(rows),
        page=page,
        pages=pages,
        first_row_number=start + 1,
    )


def table_pages(
    definitions: list[dict], values: dict, page: int = 1, per_page: int = TABLE_PAGE_SIZE
) -> list[TablePage]:
    return [
        table_page(d, values.get(d["key"]), page, per_page)
        for d in definitions
        if d["type"] == "table"
    ]


@dataclass
class VersionContent:
    """A whole version as the history shows it: its fields, and how many rows each table has."""

    fields: list[ScalarField]
    tables: list[tuple[str, int]]  # (label, number of rows)


def version_content(definitions: list[dict], values: dict) -> VersionContent:
    language = get_language()
    return VersionContent(
        fields=scalar_fields(definitions, values or {}),
        tables=[
            (label_of(d, language), len((values or {}).get(d["key"]) or []))
            for d in definitions
            if d["type"] == "table"
        ],
    )
