import datetime as dt

import pytest

from gongshi.core.testing import assert_matrix
from gongshi.supervision import services
from gongshi.supervision.models import ActionKind, RecordEvent

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


def test_everyone_can_read_the_public_records(world, key_supervision):
    assert_matrix(
        world,
        "get",
        "/records/",
        dict.fromkeys(
            ["anonymous", "outsider", "unit", "developer", "other_regulator", "regulator", "admin"],
            200,
        ),
    )


def test_it_lists_records_with_their_state_and_filters_them(
    world, key_supervision, harbin_regulator, client
):
    services.change_action(
        key_supervision,
        event=RecordEvent.LIFTED,
        regulator=harbin_regulator,
        user=world.users["regulator"],
        decided_on=dt.date(2026, 10, 1),
        reason="整改到位，解除重点监管",
    )
    page = client.get("/records/").content.decode()
    assert "整改到位，解除重点监管" in page and "多次被投诉公示信息更新不及时" in page
    assert "已被后续记录更正或解除" in page
    assert world.project.name in page
    daqing = client.get("/records/?city=230600").content.decode()
    assert "多次被投诉" not in daqing and "没有符合条件的记录" in daqing
    commendations = client.get("/records/?kind=commendation").content.decode()
    assert "多次被投诉" not in commendations
    by_developer = client.get(
        "/records/", {"developer": world.project.developer.credit_code}
    ).content.decode()
    assert "多次被投诉" in by_developer


def test_the_record_list_runs_a_constant_number_of_queries(
    world, harbin_regulator, client, django_assert_max_num_queries
):
    for n in range(12):
        services.make_action(
            kind=ActionKind.BAD_CONDUCT,
            project=world.project,
            subject=world.project.developer,
            regulator=harbin_regulator,
            user=world.users["regulator"],
            decided_on=dt.date(2026, 9, 1),
            reason=f"第 {n} 条",
        )
    with django_assert_max_num_queries(6):
        assert client.get("/records/").status_code == 200


def test_records_against_a_participating_unit_are_found_by_that_unit(
    world, harbin_regulator, client
):
    contractor = world.units["contractor"]
    services.make_action(
        kind=ActionKind.BAD_CONDUCT,
        project=world.project,
        subject=contractor,
        regulator=harbin_regulator,
        user=world.users["regulator"],
        decided_on=dt.date(2026, 9, 1),
        reason="施工单位未按规定提供检测报告",
    )
    by_name = client.get("/records/", {"unit": contractor.name[:4]}).content.decode()
    assert "施工单位未按规定提供检测报告" in by_name
    by_code = client.get("/records/", {"unit": contractor.credit_code.lower()}).content.decode()
    assert "施工单位未按规定提供检测报告" in by_code
    developer = client.get("/records/", {"unit": world.project.developer.credit_code})
    assert "施工单位未按规定提供检测报告" not in developer.content.decode()
    api = client.get("/api/v1/records/", {"subject": contractor.credit_code}).json()
    assert [r["reason"] for r in api["results"]] == ["施工单位未按规定提供检测报告"]
