"""Unified social credit codes (统一社会信用代码, GB 32100) are checked to the last character."""

import pytest
from django.core.exceptions import ValidationError

from gongshi.core.choices import OrganisationType
from gongshi.organisations.credit_codes import make_credit_code, organisation_code_check
from gongshi.organisations.models import Organisation
from gongshi.organisations.validators import validate_credit_code
from gongshi.regions.models import Region

# Published on the national enterprise credit system; its check character is "L".
PUBLISHED_EXAMPLE = "91110000600037341L"


def problem(code: str) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        validate_credit_code(code)
    return raised.value


def other_check_character(code: str) -> str:
    """The same code with a wrong (but well-formed) check character."""
    return code[:-1] + ("0" if code[-1] != "0" else "1")


def test_it_accepts_a_real_published_code():
    validate_credit_code(PUBLISHED_EXAMPLE)


@pytest.mark.parametrize("serial", [0, 1, 42, 99_999_999, 123_456_789])
@pytest.mark.parametrize(
    ("authority", "region"), [("9", "230103"), ("1", "230100"), ("9", "232721")]
)
def test_it_accepts_codes_the_demo_generator_makes(serial, authority, region):
    code = make_credit_code(region, serial, authority=authority)
    assert len(code) == 18 and code[2:8] == region
    validate_credit_code(code)


def test_the_generator_gives_the_organisation_code_its_own_check_character():
    # GB 11714 example: 12345678 → check character 8 (weights 3 7 9 10 5 8 4 2).
    assert organisation_code_check("12345678") == "8"
    assert make_credit_code("230103", 12_345_678)[8:17] == "123456788"


@pytest.mark.parametrize("code", ["91110000600037341", "91110000600037341LX", "9111", ""])
def test_it_refuses_a_code_of_the_wrong_length_and_says_how_long_it_is(code):
    error = problem(code)
    assert error.code == "length"
    assert error.messages == [f"统一社会信用代码应为 18 位，当前为 {len(code)} 位，请核对。"]


@pytest.mark.parametrize("code", ["9111000060003734IL", "91110000600037341O", "911100006000373#1L"])
def test_it_refuses_characters_the_code_does_not_use(code):
    error = problem(code)
    assert error.code == "format"
    assert "不允许的字符" in error.messages[0]


@pytest.mark.parametrize(
    "code", [PUBLISHED_EXAMPLE, make_credit_code("230103", 7), make_credit_code("230602", 8)]
)
def test_it_refuses_a_wrong_check_character(code):
    error = problem(other_check_character(code))
    assert error.code == "checksum"
    assert error.messages == ["统一社会信用代码校验位不正确，请核对最后一位。"]


def test_it_refuses_a_single_mistyped_digit():
    typo = PUBLISHED_EXAMPLE[:5] + "1" + PUBLISHED_EXAMPLE[6:]  # 6 → 1 in the middle
    assert problem(typo).code == "checksum"


def organisation(code: str) -> Organisation:
    return Organisation(
        name="哈尔滨测试建设有限公司",
        credit_code=code,
        kind=OrganisationType.CONTRACTOR,
        region=Region.objects.get(code="230103"),
    )


def test_an_organisation_with_a_good_code_passes_full_clean_normalised(db):
    org = organisation(" 9111 0000 6000 3734 1l ")
    org.full_clean()
    assert org.credit_code == PUBLISHED_EXAMPLE
    org.save()
    assert Organisation.objects.get(credit_code=PUBLISHED_EXAMPLE) == org


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91110000600037341", "统一社会信用代码应为 18 位，当前为 17 位，请核对。"),
        (
            "9111000060003734IL",
            "统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V），请核对。",
        ),
        ("91110000600037341M", "统一社会信用代码校验位不正确，请核对最后一位。"),
    ],
)
def test_an_organisation_with_a_bad_code_fails_full_clean_on_that_field(db, code, message):
    with pytest.raises(ValidationError) as raised:
        organisation(code).full_clean()
    assert raised.value.message_dict == {"credit_code": [message]}
    assert not Organisation.objects.filter(name="哈尔滨测试建设有限公司").exists()


def test_two_organisations_cannot_share_a_code(db):
    organisation(PUBLISHED_EXAMPLE).save()
    with pytest.raises(ValidationError) as raised:
        organisation(PUBLISHED_EXAMPLE).full_clean()
    assert "credit_code" in raised.value.message_dict
