"""The diff module: what changed between two versions, field by field and row by row."""

import pytest

from gongshi.public.diff import diff_values
from gongshi.public.tests.conftest import HOUSEHOLD_FIELDS, PERMIT_FIELDS

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

ROW = {
    "building": "1",
    "unit": "1",
    "room": "101",
    "result": "pass",
    "accepted_on": "2025-03-18",
    "rectification": "",
}


def test_identical_values_have_no_changes():
    values = {"certificate_number": "A", "issued_on": "2025-03-01", "authority": "X"}
    assert diff_values(PERMIT_FIELDS, values, dict(values)).is_empty


def test_a_changed_field_shows_its_label_old_and_new_value():
    diff = diff_values(PERMIT_FIELDS, {"certificate_number": "A"}, {"certificate_number": "B"})
    assert [(c.label, c.old, c.new) for c in diff.fields] == [("证书编号", "A", "B")]


def test_a_field_filled_in_later_shows_as_a_change_from_empty():
    diff = diff_values(
        PERMIT_FIELDS, {"certificate_number": "A"}, {"certificate_number": "A", "authority": "局"}
    )
    assert [(c.label, c.old, c.new) for c in diff.fields] == [("发证机关", "", "局")]


def test_a_first_version_compares_against_nothing():
    diff = diff_values(HOUSEHOLD_FIELDS, None, {"households": [ROW]})
    assert len(diff.tables[0].added) == 1 and not diff.tables[0].removed


def test_table_rows_are_matched_by_their_unique_columns():
    changed = {**ROW, "result": "fail", "rectification": "渗水，已整改"}
    diff = diff_values(HOUSEHOLD_FIELDS, {"households": [ROW]}, {"households": [changed]})
    table = diff.tables[0]
    assert not table.added and not table.removed
    assert table.key_columns == ["楼栋", "单元", "房号"]
    [row] = table.changed
    assert row.key == ["1", "1", "101"]
    assert [(c.column, c.old, c.new) for c in row.cells] == [
        ("验收结论", "合格", "不合格"),
        ("整改情况", "", "渗水，已整改"),
    ]


def test_table_rows_added_and_removed_are_listed():
    other = {**ROW, "room": "102"}
    third = {**ROW, "room": "201"}
    diff = diff_values(HOUSEHOLD_FIELDS, {"households": [ROW, other]}, {"households": [ROW, third]})
    table = diff.tables[0]
    assert [r[2] for r in table.added] == ["201"]
    assert [r[2] for r in table.removed] == ["102"]
    assert table.changed == []


def test_a_table_without_unique_columns_is_compared_by_whole_rows():
    definition = [{"key": "rows", "label": "材料", "type": "table", "columns": [
        {"key": "maker", "label": "生产厂家", "type": "text"},
        {"key": "spec", "label": "规格", "type": "text"},
    ]}]  # fmt: skip
    old = {"rows": [{"maker": "甲", "spec": "HRB400"}, {"maker": "乙", "spec": "HRB400"}]}
    new = {"rows": [{"maker": "甲", "spec": "HRB400"}, {"maker": "丙", "spec": "HRB500"}]}
    table = diff_values(definition, old, new).tables[0]
    assert table.added == [["丙", "HRB500"]]  # nothing in common: a row replaced
    assert table.removed == [["乙", "HRB400"]]


def test_a_row_with_one_corrected_cell_is_shown_as_that_change():
    definition = [{"key": "rows", "label": "材料", "type": "table", "columns": [
        {"key": "maker", "label": "生产厂家", "type": "text"},
        {"key": "spec", "label": "规格型号", "type": "text"},
        {"key": "conclusion", "label": "检测结论", "type": "text"},
        {"key": "report", "label": "报告编号", "type": "text"},
    ]}]  # fmt: skip
    row = {"maker": "龙江钢铁", "spec": "HRB400E Φ16", "conclusion": "合格", "report": "GJ-001"}
    old = {"rows": [row, {**row, "spec": "HRB400E Φ20", "report": "GJ-002"}]}
    new = {
        "rows": [{**row, "report": "GJ-001A"}, {**row, "spec": "HRB400E Φ20", "report": "GJ-002"}]
    }
    table = diff_values(definition, old, new).tables[0]
    assert table.added == [] and table.removed == []
    [change] = table.changed
    assert change.key == ["龙江钢铁", "HRB400E Φ16"]
    assert [(c.column, c.old, c.new) for c in change.cells] == [("报告编号", "GJ-001", "GJ-001A")]


def test_duplicate_rows_count_as_often_as_they_occur():
    definition = [
        {
            "key": "rows",
            "label": "材料",
            "type": "table",
            "columns": [{"key": "maker", "label": "厂家", "type": "text"}],
        }
    ]
    table = diff_values(
        definition, {"rows": [{"maker": "甲"}]}, {"rows": [{"maker": "甲"}, {"maker": "甲"}]}
    ).tables[0]
    assert table.added == [["甲"]] and table.removed == []
