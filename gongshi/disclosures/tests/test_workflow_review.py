"""Unit drafts and submits; the developer accepts or sends back."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from gongshi.core.choices import UnitRole
from gongshi.core.refusals import Refused
from gongshi.disclosures import workflow
from gongshi.disclosures.models import VersionKind, VersionStatus
from gongshi.disclosures.workflow import ProjectAccess
from gongshi.workspace.testing import access, household_rows


def _filled(world, item):
    unit = access(world, "unit")
    version = workflow.open_version(unit, item)
    return workflow.save_draft(
        unit,
        version,
        lock_version=version.lock_version,
        values={"households": household_rows(3)},
        information_date=timezone.localdate() - dt.timedelta(days=2),
    )


def test_it_publishes_what_the_unit_submitted_with_who_and_when(world, item):
    version = _filled(world, item)
    workflow.submit(access(world, "unit"), version)
    assert version.status == VersionStatus.SUBMITTED
    published = workflow.approve(access(world, "developer"), version)
    published.refresh_from_db()
    assert published.status == VersionStatus.PUBLISHED
    assert published.number == 1
    assert published.kind == VersionKind.PUBLICATION
    assert published.supplied_by == world.units[UnitRole.CONTRACTOR]
    assert published.created_by == world.users["unit"]
    assert published.approved_by == world.users["developer"]
    assert published.timeliness_days == 2
    assert len(published.values["households"]) == 3


def test_it_refuses_to_submit_an_incomplete_version_and_names_what_is_missing(world, item):
    unit = access(world, "unit")
    version = workflow.open_version(unit, item)
    version = workflow.save_draft(
        unit,
        version,
        lock_version=version.lock_version,
        values={"households": [{"building": "1号楼"}]},
    )
    with pytest.raises(ValidationError) as caught:
        workflow.submit(unit, version)
    errors = caught.value.message_dict
    assert "第 1 行：单元不能为空" in errors["households"]
    assert errors["information_date"] == ["请填写信息形成日期。"]
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_it_sends_back_with_a_reason_the_unit_sees_and_lets_the_unit_resubmit(world, item):
    version = _filled(world, item)
    workflow.submit(access(world, "unit"), version)
    with pytest.raises(ValidationError) as caught:
        workflow.send_back(access(world, "developer"), version, "  ")
    assert caught.value.message_dict["reason"] == ["请填写退回原因，告诉填报单位需要修改什么。"]
    workflow.send_back(access(world, "developer"), version, "3号楼缺少验收日期，请补充。")
    version.refresh_from_db()
    assert version.status == VersionStatus.RETURNED
    assert version.return_reason == "3号楼缺少验收日期，请补充。"
    unit = access(world, "unit")
    version = workflow.save_draft(
        unit, version, lock_version=version.lock_version, values=version.values
    )
    workflow.submit(unit, version)
    assert version.status == VersionStatus.SUBMITTED


def test_it_refuses_a_unit_changing_what_it_has_submitted(world, item):
    version = _filled(world, item)
    workflow.submit(access(world, "unit"), version)
    with pytest.raises(ValidationError) as caught:
        workflow.save_draft(
            access(world, "unit"), version, lock_version=version.lock_version, values={}
        )
    assert caught.value.code == "wrong_status"
    assert "已提交建设单位审核" in caught.value.messages[0]


def test_only_the_developer_reviews(world, item):
    version = _filled(world, item)
    workflow.submit(access(world, "unit"), version)
    for action in (workflow.approve, lambda a, v: workflow.send_back(a, v, "不行")):
        with pytest.raises(Refused) as caught:
            action(access(world, "unit"), version)
        assert caught.value.code == "developer_only"
    version.refresh_from_db()
    assert version.status == VersionStatus.SUBMITTED


def test_the_developer_cannot_publish_a_unit_draft_before_it_is_submitted(world, item):
    version = _filled(world, item)
    with pytest.raises(ValidationError) as caught:
        workflow.approve(access(world, "developer"), version)
    assert caught.value.code == "not_submitted"


def test_the_developer_cannot_edit_the_units_draft(world, item):
    version = _filled(world, item)
    with pytest.raises(Refused) as caught:
        workflow.save_draft(
            access(world, "developer"), version, lock_version=version.lock_version, values={}
        )
    assert caught.value.code == "not_owner"


def test_the_developer_publishes_its_own_draft_directly(world, item):
    developer = access(world, "developer")
    version = workflow.open_version(developer, item)
    version = workflow.save_draft(
        developer,
        version,
        lock_version=version.lock_version,
        values={"households": household_rows(1)},
        information_date=timezone.localdate(),
    )
    with pytest.raises(ValidationError) as caught:
        workflow.submit(developer, version)
    assert caught.value.code == "developer_publishes"
    workflow.approve(developer, version)
    assert version.status == VersionStatus.PUBLISHED
    assert version.supplied_by == world.project.developer


def test_a_unit_sees_only_the_items_its_unit_type_supplies(world, item):
    item.supplier = UnitRole.DESIGN
    item.save()
    with pytest.raises(Http404):
        workflow.open_version(access(world, "unit"), item)


def test_people_not_linked_to_the_project_have_no_access(world):
    for role in ("outsider", "regulator", "other_regulator", "admin"):
        assert ProjectAccess.for_user(world.project, world.users[role]) is None


def test_personal_data_stops_a_submission_naming_the_row(world, item):
    unit = access(world, "unit")
    version = _filled(world, item)
    rows = household_rows(3)
    rows[1]["rectification"] = "业主电话13812345678"
    version = workflow.save_draft(
        unit, version, lock_version=version.lock_version, values={"households": rows}
    )
    with pytest.raises(ValidationError) as caught:
        workflow.submit(unit, version)
    assert "第 2 行" in caught.value.message_dict["households"][0]
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
