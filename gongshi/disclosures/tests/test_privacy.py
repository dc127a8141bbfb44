import pytest
from django.core.exceptions import ValidationError

from gongshi.disclosures.privacy import (
    contains_mobile,
    contains_resident_id,
    ensure_no_personal_data,
    find_personal_data,
)
from gongshi.organisations.credit_codes import make_credit_code
from gongshi.workspace.testing import HOUSEHOLD_FIELDS, WARRANTY_FIELDS

RESIDENT_ID = "230103198506121234"  # valid GB 11643 check digit, Nangang district, 1985
# An 18-digit construction permit number (area + issue date + serial) whose last digit happens
# to be a valid ID check digit: the false positive the guard must not raise.
PERMIT_NUMBER = "230103202403150007"


def test_it_finds_a_resident_id_number_in_text():
    assert contains_resident_id(f"业主张三，身份证{RESIDENT_ID}，已验收")
    assert contains_resident_id(RESIDENT_ID.lower())


def test_it_ignores_eighteen_digits_with_a_wrong_check_digit():
    assert not contains_resident_id("230103198506121235")


def test_it_ignores_a_credit_code():
    code = make_credit_code("230103", 12345)
    assert not contains_resident_id(f"统一社会信用代码 {code}")
    assert not contains_resident_id(code)
    assert not contains_mobile(code)


def test_it_ignores_a_permit_number_in_a_number_field_and_after_its_name():
    definitions = [{"key": "certificate_number", "label": "证书编号", "type": "text"}]
    assert find_personal_data(definitions, {"certificate_number": PERMIT_NUMBER}) == []
    assert not contains_resident_id(f"施工许可证编号：{PERMIT_NUMBER}")


def test_it_still_finds_an_id_number_written_after_the_word_id_card():
    assert contains_resident_id(f"编号 身份证号码{RESIDENT_ID}")


@pytest.mark.parametrize(
    "text", ["联系人手机13812345678", "138 1234 5678", "+86 138-1234-5678", "电话：19912345678。"]
)
def test_it_finds_mobile_numbers(text):
    assert contains_mobile(text)


@pytest.mark.parametrize(
    "text",
    ["0451-86781234", "报告编号BG13812345678", "12345678901", "138123456789", "400-800-1234"],
)
def test_it_does_not_take_other_numbers_for_mobiles(text):
    assert not contains_mobile(text)


def test_it_names_the_field_and_the_row_of_a_table():
    rows = [
        {"building": "1号楼", "unit": "1单元", "room": "0101", "rectification": "已整改"},
        {"building": "1号楼", "unit": "1单元", "room": "0102", "rectification": "业主13812345678"},
    ]
    with pytest.raises(ValidationError) as caught:
        ensure_no_personal_data(HOUSEHOLD_FIELDS, {"households": rows})
    messages = caught.value.message_dict["households"]
    assert messages == [
        "「分户验收汇总表」第 2 行的“整改情况”含有个人手机号码，个人信息不得公示，"
        "请删除或改为单位电话后再公示。"
    ]
    assert caught.value.error_dict["households"][0].code == "personal_data"


def test_it_allows_a_mobile_in_a_public_phone_field_but_not_elsewhere():
    values = {"department": "客服部", "hotline": "13812345678", "note": ""}
    assert find_personal_data(WARRANTY_FIELDS, values) == []
    values["note"] = "夜间请拨 13912345678"
    findings = find_personal_data(WARRANTY_FIELDS, values)
    assert [(f.field, f.kind) for f in findings] == [("note", "mobile")]


def test_a_public_phone_field_still_refuses_an_id_number():
    findings = find_personal_data(WARRANTY_FIELDS, {"hotline": RESIDENT_ID})
    assert [(f.field, f.kind) for f in findings] == [("hotline", "resident_id")]
