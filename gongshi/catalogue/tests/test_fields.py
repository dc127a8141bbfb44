"""Validation of submitted values against field definitions, every type, tables included."""

import datetime as dt

import pytest
from django.utils import translation

from gongshi.catalogue.fields import FieldValidationError, clean_values
from gongshi.organisations.credit_codes import make_credit_code

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

PASS_FAIL = [
    {"value": "pass", "label": "合格", "label_en": "Pass"},
    {"value": "fail", "label": "不合格", "label_en": "Fail"},
]
NAME = {"key": "name", "label": "名称", "label_en": "Name", "type": "text", "required": True}
SHORT = {"key": "short", "label": "简称", "type": "text", "max_length": 5}
NOTES = {"key": "notes", "label": "说明", "type": "textarea", "max_length": 20}
CODE = {"key": "code", "label": "信用代码", "type": "text", "format": "uscc"}
DAY = {"key": "day", "label": "发证日期", "label_en": "Issue date", "type": "date"}
AREA = {"key": "area", "label": "面积", "type": "number", "min": 0, "max": 100000, "decimals": 2}
FLOORS = {"key": "floors", "label": "层数", "type": "number", "min": 1, "max": 100, "decimals": 0}
RESULT = {"key": "result", "label": "验收结论", "label_en": "Result", "type": "choice",
          "choices": PASS_FAIL}  # fmt: skip
HOUSEHOLDS = {
    "key": "households",
    "label": "分户验收结果",
    "label_en": "Household results",
    "type": "table",
    "required": True,
    "min_rows": 1,
    "unique": ["building", "unit", "room"],
    "columns": [
        {"key": "building", "label": "楼栋", "label_en": "Building", "type": "text",
         "required": True, "max_length": 20},
        {"key": "unit", "label": "单元", "label_en": "Unit", "type": "text", "required": True},
        {"key": "room", "label": "房号", "label_en": "Room", "type": "text", "required": True},
        {**RESULT, "required": True},
        {"key": "acceptance_date", "label": "验收日期", "type": "date", "required": True},
        {"key": "rectification", "label": "整改情况", "type": "text", "max_length": 50},
    ],
}  # fmt: skip


def household(n: int, **overrides) -> dict:
    row = {
        "building": f"{n // 100 + 1}号楼",
        "unit": "1单元",
        "room": str(n),
        "result": "合格",
        "acceptance_date": "2025-09-01",
    }
    row.update(overrides)
    return row


def errors(definitions: list[dict], values) -> list[str]:
    with pytest.raises(FieldValidationError) as raised:
        clean_values(definitions, values)
    return raised.value.messages()


def only_error(definitions: list[dict], values) -> str:
    messages = errors(definitions, values)
    assert len(messages) == 1, messages
    return messages[0]


# --- text ------------------------------------------------------------------------------------


def test_it_refuses_an_empty_required_text():
    assert only_error([NAME], {"name": "   "}) == "「名称」不能为空"
    assert only_error([NAME], {}) == "「名称」不能为空"


def test_it_trims_text_and_keeps_optional_blanks_as_none():
    assert clean_values([NAME, SHORT], {"name": "  江畔花园 "}) == {
        "name": "江畔花园",
        "short": None,
    }


def test_it_refuses_text_over_its_max_length_and_says_by_how_much():
    assert only_error([SHORT], {"short": "一二三四五六"}) == "「简称」不能超过 5 个字（现有 6 个）"
    assert clean_values([SHORT], {"short": "一二三四五"}) == {"short": "一二三四五"}


def test_it_applies_the_default_and_explicit_textarea_limits():
    assert only_error([NOTES], {"notes": "字" * 21}) == "「说明」不能超过 20 个字（现有 21 个）"
    long_text = {"key": "t", "label": "长", "type": "textarea"}
    assert "5000" in only_error([long_text], {"t": "字" * 5001})


def test_it_reads_a_whole_number_from_a_spreadsheet_cell_as_text():
    assert clean_values([NAME], {"name": 101.0}) == {"name": "101"}
    assert clean_values([NAME], {"name": 101}) == {"name": "101"}


def test_it_refuses_a_list_or_object_where_one_value_belongs():
    assert only_error([NAME], {"name": ["a", "b"]}) == "「名称」格式不正确，应填写单个值"
    assert only_error([DAY], {"day": {"y": 2025}}) == "「发证日期」格式不正确，应填写单个值"


def test_it_checks_a_credit_code_field_and_normalises_it():
    good = make_credit_code("230103", 12345)
    assert clean_values([CODE], {"code": good.lower()}) == {"code": good}
    assert clean_values([CODE], {"code": "91110000600037341L"}) == {"code": "91110000600037341L"}
    assert only_error([CODE], {"code": good[:-1]}) == "「信用代码」应为 18 位（现有 17 位）"
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert only_error([CODE], {"code": wrong}) == "「信用代码」校验位不正确，请核对最后一位"
    assert "不允许的字符" in only_error([CODE], {"code": "9111000060003734IL"})


# --- date ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["2025-03-18", "2025/3/18", "2025.03.18", "2025年3月18日", " 2025-3-18 ", dt.date(2025, 3, 18),
     dt.datetime(2025, 3, 18, 9, 30)],
)  # fmt: skip
def test_it_accepts_the_ways_a_date_is_written(typed):
    assert clean_values([DAY], {"day": typed}) == {"day": "2025-03-18"}


@pytest.mark.parametrize("typed", ["2025-02-30", "18/03/2025", "昨天", "2025-13-01", "20250"])
def test_it_refuses_what_is_not_a_date_and_shows_the_format(typed):
    assert (
        only_error([DAY], {"day": typed}) == "「发证日期」不是有效日期，请按“2025-03-18”的格式填写"
    )


# --- number ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("52000", "52000"), ("52,000.50", "52000.5"), (1234.25, "1234.25"), (0.1, "0.1"),
     (7, "7"), ("1e2", "100"), ("0", "0")],
)  # fmt: skip
def test_it_stores_numbers_as_canonical_decimal_strings(typed, stored):
    assert clean_values([AREA], {"area": typed}) == {"area": stored}


@pytest.mark.parametrize(
    ("definition", "typed", "message"),
    [
        (AREA, "五万", "「面积」应为数字"),
        (AREA, "NaN", "「面积」应为数字"),
        (AREA, "Infinity", "「面积」应为数字"),
        (AREA, True, "「面积」应为数字"),
        (AREA, "1e20", "「面积」应为数字"),
        (AREA, "12.345", "「面积」最多保留 2 位小数"),
        (AREA, "-1", "「面积」不能小于 0"),
        (AREA, "100000.01", "「面积」不能大于 100000"),
        (FLOORS, "3.5", "「层数」应为整数"),
        (FLOORS, "0", "「层数」不能小于 1"),
        (FLOORS, "101", "「层数」不能大于 100"),
    ],
)
def test_it_refuses_numbers_out_of_bounds_or_too_precise(definition, typed, message):
    assert only_error([definition], {definition["key"]: typed}) == message


def test_trailing_zeros_do_not_count_as_decimals():
    assert clean_values([FLOORS], {"floors": "12.00"}) == {"floors": "12"}


# --- choice ----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["pass", "合格", "Pass", " 合格 "])
def test_it_accepts_a_choice_by_value_or_by_label(typed):
    assert clean_values([RESULT], {"result": typed}) == {"result": "pass"}


def test_it_refuses_a_choice_not_offered_and_lists_the_offers():
    assert only_error([RESULT], {"result": "基本合格"}) == "「验收结论」只能选择：合格、不合格"


# --- the values as a whole -------------------------------------------------------------------


def test_it_refuses_unknown_fields_and_values_that_are_not_an_object():
    assert only_error([NAME], {"name": "甲", "colour": "红"}) == "没有名为“colour”的字段"
    assert only_error([NAME], "name=甲") == "字段内容格式不正确"


def test_it_reports_every_problem_at_once():
    messages = errors([NAME, DAY, AREA, RESULT], {"day": "x", "area": "y", "result": "z"})
    assert len(messages) == 4


# --- tables ----------------------------------------------------------------------------------


def test_it_accepts_a_table_and_cleans_every_cell():
    cleaned = clean_values([HOUSEHOLDS], {"households": [household(101), household(102)]})
    assert cleaned["households"][0] == {
        "building": "2号楼",
        "unit": "1单元",
        "room": "101",
        "result": "pass",
        "acceptance_date": "2025-09-01",
        "rectification": None,
    }


def test_it_refuses_a_required_table_with_too_few_rows():
    assert only_error([HOUSEHOLDS], {"households": []}) == "「分户验收结果」至少需要 1 行"
    assert only_error([HOUSEHOLDS], {}) == "「分户验收结果」至少需要 1 行"
    two = {**HOUSEHOLDS, "min_rows": 2}
    assert only_error([two], {"households": [household(1)]}) == "「分户验收结果」至少需要 2 行"


def test_an_optional_table_may_be_empty():
    optional = {**HOUSEHOLDS, "required": False}
    del optional["min_rows"]
    assert clean_values([optional], {}) == {"households": []}


def test_it_refuses_a_table_that_is_not_a_list_of_rows():
    expected = "「分户验收结果」应为若干行的表格"
    assert only_error([HOUSEHOLDS], {"households": "101,102"}) == expected
    assert only_error([HOUSEHOLDS], {"households": [["1号楼", "1单元"]]}) == expected


def test_it_names_the_row_and_column_of_each_bad_cell():
    rows = [household(n) for n in range(1, 41)]
    rows[36]["room"] = ""
    rows[2]["result"] = "基本合格"
    rows[9]["acceptance_date"] = "九月一日"
    rows[19]["building"] = "第" * 21
    with pytest.raises(FieldValidationError) as raised:
        clean_values([HOUSEHOLDS], {"households": rows})
    assert raised.value.messages() == [
        "第 3 行：验收结论只能选择：合格、不合格",
        "第 10 行：验收日期不是有效日期，请按“2025-03-18”的格式填写",
        "第 20 行：楼栋不能超过 20 个字（现有 21 个）",
        "第 37 行：房号不能为空",
    ]
    room = raised.value.errors[-1]
    assert (room.field, room.row, room.column) == ("households", 37, "room")


def test_it_refuses_unknown_columns():
    row = household(1, floor="3层")
    assert only_error([HOUSEHOLDS], {"households": [household(2), row]}) == (
        "第 2 行：没有名为“floor”的列"
    )


def test_it_refuses_duplicate_rows_and_names_the_first():
    rows = [household(n) for n in range(1, 6)]
    rows[4] = household(2)
    assert only_error([HOUSEHOLDS], {"households": rows}) == (
        "第 5 行：楼栋、单元、房号与第 2 行重复"
    )


def test_rows_differing_in_one_key_column_are_not_duplicates():
    rows = [household(1), household(1, unit="2单元")]
    assert len(clean_values([HOUSEHOLDS], {"households": rows})["households"]) == 2


def test_it_reports_every_bad_row_of_a_large_table():
    rows = [household(n) for n in range(1, 5001)]
    for n in range(99, 5000, 100):
        rows[n]["room"] = None
    with pytest.raises(FieldValidationError) as raised:
        clean_values([HOUSEHOLDS], {"households": rows})
    assert len(raised.value.errors) == 50
    assert raised.value.errors[0].message == "第 100 行：房号不能为空"


def test_errors_are_in_english_for_an_english_user():
    with translation.override("en"):
        rows = [household(1, room=" ")]
        assert only_error([HOUSEHOLDS], {"households": rows}) == "Row 1: Room cannot be empty"
        assert only_error([DAY], {"day": "x"}) == (
            "“Issue date”: not a valid date; write it as “2025-03-18”"
        )
