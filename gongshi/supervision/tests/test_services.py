import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gongshi.core.choices import UnitRole
from gongshi.supervision import services
from gongshi.supervision.models import (
    ActionKind,
    AppendOnlyError,
    Inspection,
    RecordEvent,
    RegulatorRecord,
)

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


def test_key_supervision_schedules_the_first_inspection(key_supervision, world):
    inspection = Inspection.objects.get(record=key_supervision)
    assert inspection.scheduled_on == dt.date(2026, 9, 15)
    assert list(Inspection.objects.overdue(today=dt.date(2026, 9, 16))) == [inspection]
    assert not Inspection.objects.overdue(today=dt.date(2026, 9, 15)).exists()


def test_recording_an_inspection_schedules_the_next(key_supervision, world):
    first = Inspection.objects.get(record=key_supervision)
    following = services.record_inspection(
        first,
        user=world.users["regulator"],
        performed_on=dt.date(2026, 9, 14),
        findings="公示牌已更新",
    )
    assert following.scheduled_on == dt.date(2026, 9, 28)
    with pytest.raises(ValidationError, match="已经记录"):
        services.record_inspection(
            first, user=world.users["regulator"], performed_on=dt.date(2026, 9, 14), findings="x"
        )


def test_it_refuses_an_inspection_without_findings(key_supervision, world):
    first = Inspection.objects.get(record=key_supervision)
    with pytest.raises(ValidationError, match="检查发现"):
        services.record_inspection(
            first, user=world.users["regulator"], performed_on=dt.date(2026, 9, 14), findings=" "
        )


def test_lifting_ends_the_action_and_its_inspections_are_never_overdue(
    key_supervision, world, harbin_regulator
):
    lifted = services.change_action(
        key_supervision,
        event=RecordEvent.LIFTED,
        regulator=harbin_regulator,
        user=world.users["regulator"],
        decided_on=dt.date(2026, 10, 1),
        reason="整改到位",
    )
    assert lifted.supersedes == key_supervision
    assert not RegulatorRecord.objects.in_force().exists()
    assert set(RegulatorRecord.objects.current()) == {lifted}
    assert not Inspection.objects.overdue(today=dt.date(2027, 1, 1)).exists()
    # Nothing was deleted: the planned inspection is still there, as history.
    assert Inspection.objects.filter(record=key_supervision).count() == 1
    with pytest.raises(ValidationError, match="最新记录"):
        services.change_action(
            key_supervision,
            event=RecordEvent.CORRECTED,
            regulator=harbin_regulator,
            user=world.users["regulator"],
            decided_on=dt.date(2026, 10, 2),
            reason="x",
        )
    with pytest.raises(ValidationError, match="已解除"):
        services.change_action(
            lifted,
            event=RecordEvent.LIFTED,
            regulator=harbin_regulator,
            user=world.users["regulator"],
            decided_on=dt.date(2026, 10, 2),
            reason="x",
        )


def test_a_correction_moves_planned_inspections_to_the_new_decision(
    key_supervision, world, harbin_regulator
):
    corrected = services.change_action(
        key_supervision,
        event=RecordEvent.CORRECTED,
        regulator=harbin_regulator,
        user=world.users["regulator"],
        decided_on=dt.date(2026, 9, 5),
        reason="检查频次调整为每 7 天一次",
        inspection_interval_days=7,
    )
    assert corrected.inspection_interval_days == 7
    assert list(RegulatorRecord.objects.in_force()) == [corrected]
    assert Inspection.objects.get().record == corrected
    # Every 14 days from 1 September was 15 September; every 7 days it is 8 September.
    assert Inspection.objects.get().scheduled_on == dt.date(2026, 9, 8)
    assert Inspection.objects.overdue(today=dt.date(2026, 9, 20)).count() == 1


def test_a_project_is_put_under_key_supervision_only_once_at_a_time(
    key_supervision, world, harbin_regulator
):
    again = {
        "kind": ActionKind.KEY_SUPERVISION, "project": world.project, "subject": world.project.developer,
        "regulator": harbin_regulator, "user": world.users["regulator"], "decided_on": dt.date(2026, 9, 3),
        "reason": "再次列入重点监管", "inspection_interval_days": 7,
    }  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.make_action(**again)
    assert refused.value.code == "already_under_key_supervision"
    services.change_action(
        key_supervision, event=RecordEvent.LIFTED, regulator=harbin_regulator,
        user=world.users["regulator"], decided_on=dt.date(2026, 9, 2), reason="整改到位",
    )  # fmt: skip
    assert services.make_action(**again).kind == ActionKind.KEY_SUPERVISION  # after lifting


def test_a_reason_with_personal_data_is_refused(world, harbin_regulator):
    with pytest.raises(ValidationError) as refused:
        services.make_action(
            kind=ActionKind.BAD_CONDUCT, project=world.project, subject=world.project.developer,
            regulator=harbin_regulator, user=world.users["regulator"],
            decided_on=dt.date(2026, 9, 1), reason="业主张某（电话 13912345678）投诉未公示",
        )  # fmt: skip
    assert "reason" in refused.value.message_dict
    assert not RegulatorRecord.objects.exists()


def test_records_are_append_only(key_supervision):
    key_supervision.reason = "改写"
    with pytest.raises(AppendOnlyError):
        key_supervision.save()
    with pytest.raises(AppendOnlyError):
        key_supervision.delete()
    with pytest.raises(AppendOnlyError):
        RegulatorRecord.objects.all().update(reason="x")
    with pytest.raises(AppendOnlyError):
        RegulatorRecord.objects.all().delete()


def test_a_regulator_cannot_act_outside_its_area(world):
    daqing = world.users["other_regulator"].organisations.get()
    with pytest.raises(ValidationError, match="管辖范围"):
        services.make_action(
            kind=ActionKind.BAD_CONDUCT,
            project=world.project,
            subject=world.project.developer,
            regulator=daqing,
            user=world.users["other_regulator"],
            decided_on=dt.date(2026, 9, 1),
            reason="x",
        )


def test_bad_conduct_can_target_a_participating_unit_but_not_a_stranger(world, harbin_regulator):
    contractor = world.units[UnitRole.CONTRACTOR]
    record = services.make_action(
        kind=ActionKind.BAD_CONDUCT,
        project=world.project,
        subject=contractor,
        regulator=harbin_regulator,
        user=world.users["regulator"],
        decided_on=dt.date(2026, 9, 1),
        reason="材料检测报告与实物不符",
    )
    assert record.subject == contractor
    with pytest.raises(ValidationError) as excinfo:
        services.make_action(
            kind=ActionKind.BAD_CONDUCT,
            project=world.project,
            subject=world.other_project.developer,
            regulator=harbin_regulator,
            user=world.users["regulator"],
            decided_on=dt.date(2026, 9, 1),
            reason="x",
        )
    assert "subject" in excinfo.value.error_dict


def test_a_commendation_needs_its_credit_incentive(world, harbin_regulator):
    with pytest.raises(ValidationError) as excinfo:
        services.make_action(
            kind=ActionKind.COMMENDATION,
            project=world.project,
            subject=world.project.developer,
            regulator=harbin_regulator,
            user=world.users["regulator"],
            decided_on=dt.date(2026, 9, 1),
            reason="公示及时完整",
        )
    assert "credit_incentive" in excinfo.value.error_dict
