import datetime as dt

import pytest

from gongshi.core.testing import assert_matrix
from gongshi.supervision.models import ActionKind, Inspection, RegulatorRecord

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

OUTSIDERS_404 = {
    "anonymous": 302,  # to the login page
    "outsider": 404,
    "unit": 404,
    "developer": 404,
    "other_regulator": 404,
    "regulator": 200,
    "admin": 404,
}


def test_only_the_regulator_of_the_area_opens_the_console(world):
    assert_matrix(world, "get", f"/supervision/p/{world.project.code}/", OUTSIDERS_404)


def test_only_the_regulator_of_the_area_can_record_an_action(world):
    data = {
        "kind": ActionKind.BAD_CONDUCT,
        "subject": world.project.developer.pk,
        "decided_on": "2026-09-01",
        "reason": "公示内容与实际不符",
    }
    expected = dict(OUTSIDERS_404, regulator=302)
    assert_matrix(world, "post", f"/supervision/p/{world.project.code}/", expected, data=data)
    assert RegulatorRecord.objects.count() == 1


def test_it_explains_what_is_missing(world):
    response = world.client("regulator").post(
        f"/supervision/p/{world.project.code}/",
        {
            "kind": ActionKind.KEY_SUPERVISION,
            "subject": world.project.developer.pk,
            "decided_on": "2026-09-01",
            "reason": "x",
        },
    )
    assert response.status_code == 200
    assert "重点监管须规定检查频次" in response.content.decode()
    assert not RegulatorRecord.objects.exists()


def test_the_regulator_records_key_supervision_and_an_inspection(world):
    client = world.client("regulator")
    client.post(
        f"/supervision/p/{world.project.code}/",
        {
            "kind": ActionKind.KEY_SUPERVISION,
            "subject": world.project.developer.pk,
            "decided_on": "2026-09-01",
            "reason": "投诉频繁",
            "inspection_interval_days": 10,
        },
    )
    inspection = Inspection.objects.get()
    assert inspection.scheduled_on == dt.date(2026, 9, 11)
    response = client.post(
        f"/supervision/p/{world.project.code}/inspections/{inspection.pk}/",
        {"performed_on": "2026-09-10", "findings": "现场公示牌内容完整"},
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.performed_on == dt.date(2026, 9, 10)
    assert Inspection.objects.filter(performed_on__isnull=True).get().scheduled_on == dt.date(
        2026, 9, 20
    )


def test_change_and_inspection_endpoints_are_area_scoped(world, key_supervision):
    inspection = Inspection.objects.get()
    base = f"/supervision/p/{world.project.code}"
    change = {"event": "lifted", "decided_on": "2026-10-01", "reason": "整改到位"}
    # Regulator last: the lifting succeeds once, after everyone else was refused.
    assert_matrix(
        world,
        "post",
        f"{base}/records/{key_supervision.pk}/change/",
        dict(OUTSIDERS_404, regulator=302),
        data=change,
    )
    assert RegulatorRecord.objects.count() == 2
    record = {"performed_on": "2026-09-10", "findings": "x"}
    assert_matrix(
        world,
        "post",
        f"{base}/inspections/{inspection.pk}/",
        dict(OUTSIDERS_404, regulator=302),
        data=record,
    )
