"""Posting an item form the way the browser does."""

from gongshi.workspace.testing import household_rows

COLUMNS = ["building", "unit", "room", "result", "date", "area", "rectification"]


def item_form(
    rows: list[dict] | None = None,
    *,
    lock_version=0,
    information_date="2025-06-20",
    action="save",
    **extra,
):
    rows = household_rows(2) if rows is None else rows
    data = {
        "t-households-rows": str(len(rows)),
        "f-summary": "",
        "information_date": information_date,
        "lock_version": str(lock_version),
        "action": action,
    }
    for index, row in enumerate(rows, start=1):
        for column in COLUMNS:
            data[f"t-households-{index}-{column}"] = row.get(column) or ""
    data.update(extra)
    return data
