"""The inspections worklist: key-supervised projects fall due more often, each with its date."""

import datetime as dt
import re

import pytest
from django.test import override_settings

from gongshi.core.testing import REGULATOR_ONLY, assert_matrix
from gongshi.supervision import services
from gongshi.supervision.models import ActionKind, Inspection

pytestmark = pytest.mark.usefixtures("frozen_now")

URL = "/supervision/projects/?worklist=inspections_due"


def _key_supervision(world, regulator):
    """The world's project under key supervision since 1 September, inspected every 14 days."""
    return services.make_action(
        kind=ActionKind.KEY_SUPERVISION,
        project=world.project,
        subject=world.project.developer,
        regulator=regulator,
        user=world.users["regulator"],
        decided_on=dt.date(2026, 9, 1),
        reason="投诉频次高",
        inspection_interval_days=14,
    )


def test_only_regulators_open_the_worklist(world):
    assert_matrix(
        world,
        "get",
        URL,
        REGULATOR_ONLY,
    )


@override_settings(GONGSHI_INSPECTION_INTERVAL_DAYS=90)
def test_key_supervision_is_due_sooner_than_the_normal_interval(world, harbin_regulator):
    from gongshi.core.testing import make_project

    user = world.users["regulator"]
    key = _key_supervision(world, harbin_regulator)
    # Another project was under key supervision, inspected, and the decision lifted.
    other = make_project(world.project.developer, "230103", name="松北二期", address="松北路2号")
    lifted = services.make_action(
        kind=ActionKind.KEY_SUPERVISION,
        project=other,
        subject=other.developer,
        regulator=harbin_regulator,
        user=user,
        decided_on=dt.date(2026, 8, 1),
        reason="曾被投诉",
        inspection_interval_days=10,
    )
    services.record_inspection(
        Inspection.objects.get(record=lifted),
        user=user,
        performed_on=dt.date(2026, 8, 11),
        findings="未发现问题",
    )
    services.change_action(
        lifted,
        event="lifted",
        regulator=harbin_regulator,
        user=user,
        decided_on=dt.date(2026, 8, 12),
        reason="整改到位",
    )
    page = world.client("regulator").get(URL).content.decode()
    rows = re.findall(r"<tr>.*?</tr>", page, re.S)[1:]
    assert world.project.name in rows[0] and "2026-09-15" in rows[0] and "重点监管" in rows[0]
    assert other.name in rows[1] and "2026-11-09" in rows[1] and "每 90 天" in rows[1]
    assert len(rows) == 2  # never inspected, never under key supervision: not on the list
    assert key.inspection_interval_days == 14
    export = world.client("regulator").get(URL + "&format=csv").content.decode("utf-8-sig")
    header, *lines = export.splitlines()
    assert header.endswith(",下次检查")
    assert lines[0].endswith(",2026-09-15 逾期未检查") and lines[1].endswith(
        ",2026-11-09 逾期未检查"
    )


def test_the_form_proposes_the_key_supervision_interval(world):
    with override_settings(GONGSHI_KEY_SUPERVISION_INSPECTION_DAYS=21):
        page = world.client("regulator").get(f"/supervision/p/{world.project.code}/")
    assert 'name="inspection_interval_days" value="21"' in page.content.decode()


def test_the_worklists_run_a_constant_number_of_queries(world, harbin_regulator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongshi.core.testing import make_project

    client = world.client("regulator")
    urls = [URL, "/supervision/projects/?worklist=complaints_above_threshold"]

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            for url in urls:
                assert client.get(url).status_code == 200
        return len(captured)

    def supervise(project):
        services.make_action(
            kind=ActionKind.KEY_SUPERVISION,
            project=project,
            subject=project.developer,
            regulator=harbin_regulator,
            user=world.users["regulator"],
            decided_on=dt.date(2026, 9, 1),
            reason="投诉频次高",
            inspection_interval_days=14,
        )

    supervise(world.project)
    few = count()
    for n in range(5):
        supervise(make_project(world.project.developer, name=f"项目{n}", address=f"测试路{n}号"))
    assert count() == few


@override_settings(GONGSHI_INSPECTION_INTERVAL_DAYS=90)
def test_the_api_worklist_gives_each_projects_next_inspection_and_complaint_frequency(
    world, harbin_regulator
):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    user = world.users["regulator"]
    _key_supervision(world, harbin_regulator)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    url = "/api/v1/supervision/projects/?worklist=inspections_due"
    (row,) = client.get(url).json()["results"]
    assert row["code"] == world.project.code
    assert (row["next_inspection"], row["key_supervised"]) == ("2026-09-15", True)
    assert row["inspection_overdue"] is True  # the frozen now is past 15 September
    assert row["floor_area"] == float(world.project.floor_area)
    assert row["questions_per_10k"] == 0.0
    # Outside that worklist the schedule is not computed: the fields are null.
    plain = client.get("/api/v1/supervision/projects/").json()["results"]
    assert {r["next_inspection"] for r in plain} == {None}
