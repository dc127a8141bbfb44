"""The regulator's enterprise ranking /supervision/enterprises/ (sortable, CSV, formula shown)."""

import datetime as dt

import pytest

from gongshi.core.choices import OrganisationType
from gongshi.core.testing import REGULATOR_ONLY, assert_matrix, make_org, make_project
from gongshi.supervision import services
from gongshi.supervision.models import ActionKind, RecordEvent
from gongshi.supervision.ranking import enterprise_ranking

pytestmark = pytest.mark.usefixtures("frozen_now")


def test_only_regulators_see_the_ranking(world):
    expected = REGULATOR_ONLY
    assert_matrix(world, "get", "/supervision/enterprises/", expected)
    assert_matrix(world, "get", "/supervision/enterprises/?format=csv", expected)


def test_it_ranks_the_areas_developers_and_counts_records_in_force(world, harbin_regulator):
    second = make_org(OrganisationType.DEVELOPER, name="哈尔滨第二置业有限公司")
    make_project(second, name="第二置业一期")
    make_project(second, name="第二置业二期")
    record = services.make_action(
        kind=ActionKind.PENALTY,
        project=world.project,
        subject=world.project.developer,
        regulator=harbin_regulator,
        user=world.users["regulator"],
        decided_on=dt.date(2026, 11, 1),
        reason="未按规定公示",
        decision_number="哈建罚字〔2026〕第 1 号",
        legal_basis="条例",
        content="罚款",
    )
    rows = enterprise_ranking(harbin_regulator.region)
    names = {r["name"]: r for r in rows}
    assert set(names) == {world.project.developer.name, second.name}  # not Daqing's
    assert names[second.name]["projects"] == 2
    assert names[world.project.developer.name]["penalties"] == 1
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)
    by_projects = enterprise_ranking(harbin_regulator.region, "projects")
    assert by_projects[0]["name"] == second.name
    services.change_action(
        record,
        event=RecordEvent.REVOKED,
        regulator=harbin_regulator,
        user=world.users["regulator"],
        decided_on=dt.date(2026, 11, 2),
        reason="撤销",
    )
    rows = enterprise_ranking(harbin_regulator.region)
    assert all(r["penalties"] == 0 for r in rows)


def test_the_page_shows_the_formula_sorts_and_exports(world):
    client = world.client("regulator")
    page = client.get("/supervision/enterprises/?sort=name").content.decode()
    assert "企业得分 = 该建设单位在本辖区内全部项目公示评分的算术平均值" in page
    assert 'aria-sort="ascending"' in page and world.project.developer.name in page
    assert world.other_project.developer.name not in page
    csv = client.get("/supervision/enterprises/?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("名次,建设单位,统一社会信用代码")
    assert world.project.developer.credit_code in lines[1]


def test_the_ranking_runs_a_constant_number_of_queries(world, harbin_regulator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client("regulator")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/supervision/enterprises/").status_code == 200
        return len(captured)

    few = count()
    for n in range(6):
        make_project(make_org(OrganisationType.DEVELOPER), name=f"项目{n}")
    assert count() == few


def test_the_ranking_api_is_for_regulators_by_session_or_token(world):
    from django.test import Client
    from rest_framework.authtoken.models import Token

    expected = {
        "anonymous": (401, 403),
        "outsider": 404,
        "unit": 404,
        "developer": 404,
        "other_regulator": 200,
        "regulator": 200,
        "admin": 404,
    }
    assert_matrix(world, "get", "/api/v1/supervision/enterprises/?sort=projects", expected)
    token = Token.objects.create(user=world.users["regulator"])
    rows = (
        Client()
        .get("/api/v1/supervision/enterprises/", HTTP_AUTHORIZATION=f"Token {token.key}")
        .json()
    )
    assert [r["credit_code"] for r in rows] == [world.project.developer.credit_code]
    assert set(rows[0]) >= {"rank", "average", "penalties", "projects"}


@pytest.mark.usefixtures("frozen_now")
def test_the_ranking_shows_each_developers_complaint_frequency_sortable_with_its_formula(world):
    import secrets
    from decimal import Decimal

    from django.utils import timezone

    from gongshi.participation.models import Question, QuestionKind
    from gongshi.projects.models import Project

    Project.objects.filter(pk=world.project.pk).update(floor_area=Decimal("20000"))
    second = make_project(world.project.developer, name="第二个哈尔滨项目")
    Project.objects.filter(pk=second.pk).update(floor_area=Decimal("20000"))
    quiet = make_project(make_org(OrganisationType.DEVELOPER), name="安静的项目")
    Project.objects.filter(pk=quiet.pk).update(floor_area=Decimal("50000"))
    for i, kind in enumerate([QuestionKind.COMPLAINT, QuestionKind.QUESTION] * 3):
        Question.objects.create(
            project=world.project if i % 3 else second,
            kind=kind,
            body=f"楼道渗水无人处理{i}",
            contact="buyer@example.com",
            contact_kind="email",
            asker_token_hash=secrets.token_hex(32),
            asked_at=timezone.now(),
            deadline_working_days=5,
        )
    client = world.client("regulator")
    # 6 questions over 40,000 m² of the developer's two projects: 1.5 per 10,000 m².
    rows = client.get("/api/v1/supervision/enterprises/?sort=complaints").json()
    assert [(r["name"], r["complaint_frequency"]) for r in rows] == [
        (world.project.developer.name, 1.5),
        (quiet.developer.name, 0.0),
    ]
    page = client.get("/supervision/enterprises/?sort=complaints").content.decode()
    assert "咨询投诉频次 = 该建设单位在本辖区内全部项目收到的咨询和投诉件数 × 10000" in page
    assert '<a href="?sort=complaints">咨询投诉频次（件/万平方米）</a>' in page
    assert "1.50" in page
    csv = client.get("/supervision/enterprises/?format=csv&sort=complaints")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert "咨询投诉频次（件/万平方米）" in lines[0]
    assert lines[1].split(",")[5] == "1.5"
