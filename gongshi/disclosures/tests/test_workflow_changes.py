"""Corrections and withdrawals: never an edit of what was published."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongshi.core.refusals import Refused
from gongshi.disclosures import workflow
from gongshi.disclosures.models import DisclosureVersion, VersionKind, VersionStatus
from gongshi.workspace.testing import access, household_rows


def _published(world, item):
    developer = access(world, "developer")
    version = workflow.open_version(developer, item)
    version = workflow.save_draft(
        developer,
        version,
        lock_version=version.lock_version,
        values={"households": household_rows(2)},
        information_date=timezone.localdate() - dt.timedelta(days=1),
    )
    return workflow.approve(developer, version)


def test_a_correction_needs_a_reason(world, item):
    _published(world, item)
    with pytest.raises(ValidationError) as caught:
        workflow.open_version(access(world, "developer"), item)
    assert caught.value.message_dict["reason"] == ["此事项已公示，更正须填写更正原因。"]
    assert not DisclosureVersion.objects.filter(status=VersionStatus.DRAFT).exists()


def test_a_correction_is_a_new_version_prefilled_and_the_first_stays_as_it_was(world, item):
    first = _published(world, item)
    developer = access(world, "developer")
    correction = workflow.open_version(developer, item, reason="2号楼房号录入错误")
    assert correction.kind == VersionKind.CORRECTION
    assert correction.values == first.values
    rows = household_rows(2)
    rows[1]["room"] = "0199"
    correction = workflow.save_draft(
        developer, correction, lock_version=correction.lock_version, values={"households": rows}
    )
    workflow.approve(developer, correction)
    first.refresh_from_db()
    correction.refresh_from_db()
    assert (first.number, correction.number) == (1, 2)
    assert first.values["households"][1]["room"] == "0102"
    assert correction.values["households"][1]["room"] == "0199"
    assert correction.reason == "2号楼房号录入错误"


def test_a_unit_correction_goes_through_review_too(world, item):
    _published(world, item)
    unit = access(world, "unit")
    correction = workflow.open_version(unit, item, reason="补充整改情况")
    workflow.submit(unit, correction)
    workflow.approve(access(world, "developer"), correction)
    assert correction.number == 2


def test_a_withdrawal_is_recorded_with_its_reason(world, item):
    first = _published(world, item)
    developer = access(world, "developer")
    with pytest.raises(ValidationError):
        workflow.withdraw(developer, item, "")
    withdrawal = workflow.withdraw(developer, item, "验收结论待复核")
    assert withdrawal.kind == VersionKind.WITHDRAWAL
    assert withdrawal.status == VersionStatus.PUBLISHED
    assert withdrawal.number == 2
    first.refresh_from_db()
    assert first.status == VersionStatus.PUBLISHED
    with pytest.raises(ValidationError) as caught:
        workflow.withdraw(developer, item, "再撤一次")
    assert caught.value.code == "already_withdrawn"


def test_nothing_unpublished_can_be_withdrawn_and_units_cannot_withdraw(world, item):
    with pytest.raises(ValidationError) as caught:
        workflow.withdraw(access(world, "developer"), item, "原因")
    assert caught.value.code == "nothing_to_withdraw"
    _published(world, item)
    with pytest.raises(Refused) as caught:
        workflow.withdraw(access(world, "unit"), item, "原因")
    assert caught.value.code == "developer_only"


def test_a_correction_reason_with_a_mobile_number_is_refused(world, item):
    _published(world, item)
    with pytest.raises(ValidationError):
        workflow.open_version(access(world, "developer"), item, reason="请联系13812345678")
