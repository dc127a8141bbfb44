"""Matching typed fields against a scan's text."""

import pytest

from gongshi.scancheck.compare import checked, dates_in, mismatches, normalise

pytestmark = pytest.mark.usefixtures("frozen_now")

FIELDS = [
    {"key": "project_name", "label": "项目名称", "type": "text"},
    {"key": "certificate_number", "label": "证书编号", "type": "text"},
    {"key": "issue_date", "label": "发证日期", "type": "date"},
    {"key": "credit_code", "label": "统一社会信用代码", "type": "text"},
    {"key": "scale", "label": "建设规模", "type": "text"},
]
VALUES = {
    "project_name": "星河湾花园一期",
    "certificate_number": "230103202605010101",
    "issue_date": "2026-05-01",
    "credit_code": "91230103MA1B2C3D4E",
    "scale": "总建筑面积 52,000 平方米",
}
SCAN = """建筑工程施工许可证
编号：2301 0320 2605 010101
工程名称：星河湾花园一期
统一社会信用代码：９１２３０１０３ＭＡ１Ｂ２Ｃ３Ｄ４Ｅ
发证机关：哈尔滨市住房和城乡建设局
二〇二六年 2026年5月1日"""


def test_only_the_printed_facts_are_checked():
    assert [d["key"] for d in FIELDS if checked(d)] == [
        "project_name", "certificate_number", "issue_date", "credit_code",
    ]  # fmt: skip


def test_a_faithful_scan_raises_nothing_whatever_the_spacing_and_width():
    assert mismatches(FIELDS, VALUES, SCAN) == []
    assert normalise("ＡＢ－１２ ３", code=True) == "A8123"  # B and 8 are one symbol in codes


def test_a_swapped_number_is_flagged_with_what_the_scan_shows():
    typed = {**VALUES, "certificate_number": "230103202605010110"}
    [mismatch] = mismatches(FIELDS, typed, SCAN)
    assert mismatch.key == "certificate_number"
    assert mismatch.found == "2301 0320 2605 010101"


def test_dates_are_read_however_they_are_printed():
    assert [d.isoformat() for d in dates_in("2026年5月1日 2026-05-02 2026.5.3 2026/05/04")] == [
        "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04",
    ]  # fmt: skip
    [mismatch] = mismatches(FIELDS, {**VALUES, "issue_date": "2026-05-10"}, SCAN)
    assert (mismatch.key, mismatch.found) == ("issue_date", "2026-05-01")


def test_ocr_misreads_do_not_flag_but_another_name_does():
    misread = SCAN.replace("010101", "O1O1O1").replace("星河湾花园一期", "星河湾花园一朝")
    assert mismatches(FIELDS, VALUES, misread) == []
    [mismatch] = mismatches(FIELDS, {**VALUES, "project_name": "松北新城三期"}, SCAN)
    assert mismatch.found == "星河湾花园一期"
