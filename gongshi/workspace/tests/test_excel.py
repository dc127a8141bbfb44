"""Excel templates, import error reports and the export round-trip (gongshi.workspace.excel)."""

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from gongshi.catalogue.fields import FieldValidationError, clean_values
from gongshi.workspace import excel
from gongshi.workspace.testing import HOUSEHOLD_FIELDS, household_rows

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

TABLE = HOUSEHOLD_FIELDS[1]
HEADERS = [
    "楼栋（必填）",
    "单元（必填）",
    "房号（必填）",
    "验收结论（必填）",
    "验收日期（必填）",
    "面积",
    "整改情况",
]


def _sheet(rows: list[list], headers=HEADERS) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def test_the_template_has_chinese_headers_and_drop_downs_for_choices():
    workbook = load_workbook(io.BytesIO(excel.template(TABLE)))
    sheet = workbook.active
    assert [c.value for c in sheet[1]] == HEADERS
    validations = sheet.data_validations.dataValidation
    lists = [v for v in validations if v.type == "list"]
    assert len(lists) == 1
    assert lists[0].formula1 == '"合格,不合格"'
    assert "D2:D10001" in str(lists[0].sqref)
    assert any(v.type == "date" for v in validations)


def test_a_filled_template_imports():
    data = _sheet([["1号楼", "1单元", "0101", "合格", "2025-06-18", 89.5, None]])
    rows = excel.read_rows(TABLE, data)
    assert rows == [
        {
            "building": "1号楼",
            "unit": "1单元",
            "room": "0101",
            "result": "pass",
            "date": "2025-06-18",
            "area": "89.5",
            "rectification": None,
        }
    ]


def test_errors_name_the_sheets_own_row_numbers_and_nothing_is_returned():
    good = ["1号楼", "1单元", "0101", "合格", "2025-06-18", 90, None]
    rows = [list(good) for _ in range(40)]
    for index, row in enumerate(rows):
        row[2] = f"{index + 1:04d}"
    rows[35][2] = None  # sheet row 37
    rows[36][3] = "良好"  # sheet row 38
    rows[37][2] = "0001"  # sheet row 39 repeats row 2
    with pytest.raises(FieldValidationError) as caught:
        excel.read_rows(TABLE, _sheet(rows))
    assert caught.value.messages() == [
        "第 37 行：房号不能为空",
        "第 38 行：验收结论只能选择：合格、不合格",
        "第 39 行：楼栋、单元、房号与第 2 行重复",
    ]


def test_blank_rows_are_skipped_but_keep_the_numbering():
    rows = [
        ["1号楼", "1单元", "0101", "合格", "2025-06-18", None, None],
        [None] * 7,
        ["1号楼", "1单元", None, "合格", "2025-06-18", None, None],
    ]
    with pytest.raises(FieldValidationError) as caught:
        excel.read_rows(TABLE, _sheet(rows))
    assert caught.value.messages() == ["第 4 行：房号不能为空"]


def test_a_sheet_with_foreign_or_missing_columns_is_refused():
    with pytest.raises(ValidationError) as caught:
        excel.read_rows(TABLE, _sheet([], headers=["楼栋", "单元", "房间", "验收结论", "验收日期"]))
    assert caught.value.messages == [
        "第 1 行：不认识的列“房间”，请使用下载的模板。",
        "第 1 行：缺少必填列“房号”，请使用下载的模板。",
    ]


def test_a_file_that_is_not_xlsx_is_explained():
    with pytest.raises(ValidationError) as caught:
        excel.read_rows(TABLE, io.BytesIO(b"building,unit\n1,2\n"))
    assert "请上传用本平台模板填写的 .xlsx 文件" in caught.value.messages[0]


def test_export_round_trips_to_an_identical_import():
    rows = clean_values(HOUSEHOLD_FIELDS, {"households": household_rows(300)})["households"]
    rows[5]["area"] = "0.1"
    rows[6]["area"] = "123456789.12"
    rows[7]["room"] = "007"
    rows[8]["rectification"] = "12345"
    imported = excel.read_rows(TABLE, io.BytesIO(excel.export(TABLE, rows)))
    assert imported == rows


def test_the_error_report_is_capped():
    error = FieldValidationError([excel.FieldError("t", f"第 {i} 行：错") for i in range(500)])
    report = excel.error_report(error)
    assert len(report) == excel.MAX_ERRORS_SHOWN + 1
    assert "另有 300 处错误未列出" in report[-1]
