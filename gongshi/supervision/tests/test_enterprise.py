"""The enterprise page /e/<credit code>/ and /api/v1/enterprises/<credit code>/."""

import datetime as dt

import pytest

from gongshi.core.choices import UnitRole
from gongshi.core.testing import assert_matrix, make_project
from gongshi.projects.models import Participation
from gongshi.supervision import services
from gongshi.supervision.models import ActionKind

pytestmark = pytest.mark.usefixtures("frozen_now")

EVERYONE = dict.fromkeys(
    ["anonymous", "outsider", "unit", "developer", "other_regulator", "regulator", "admin"], 200
)


def test_everyone_reads_an_enterprise_page_and_its_api(world):
    code = world.project.developer.credit_code
    assert_matrix(world, "get", f"/e/{code}/", EVERYONE)
    assert_matrix(world, "get", f"/api/v1/enterprises/{code}/", EVERYONE)


def test_an_unknown_credit_code_is_not_found(world, client):
    assert client.get("/e/91230103000000000X/").status_code == 404
    assert client.get("/api/v1/enterprises/91230103000000000X/").status_code == 404


def test_it_lists_projects_across_cities_with_scores_and_records(world, harbin_regulator, client):
    developer = world.project.developer
    daqing = make_project(developer, "230602", name="大庆第二期", address="大庆市测试路2号")
    services.make_action(
        kind=ActionKind.BAD_CONDUCT,
        project=world.project,
        subject=developer,
        regulator=harbin_regulator,
        user=world.users["regulator"],
        decided_on=dt.date(2026, 9, 1),
        reason="未按方案公示分户验收信息",
    )
    page = client.get(f"/e/{developer.credit_code.lower()}/").content.decode()
    assert world.project.name in page and daqing.name in page
    assert "哈尔滨市" in page and "大庆市" in page
    assert "未按方案公示分户验收信息" in page
    assert world.other_project.name not in page
    data = client.get(f"/api/v1/enterprises/{developer.credit_code}/").json()
    assert {p["code"] for p in data["projects"]} == {world.project.code, daqing.code}
    harbin = next(p for p in data["projects"] if p["code"] == world.project.code)
    assert harbin["roles"] == [UnitRole.DEVELOPER.label] and harbin["city"] == "哈尔滨市"
    assert 0 <= harbin["score"] <= 100 and harbin["open_questions"] == 0
    assert [r["reason"] for r in data["records"]] == ["未按方案公示分户验收信息"]


def test_a_participating_unit_sees_its_projects_and_role(world, client):
    contractor = world.units[UnitRole.CONTRACTOR]
    data = client.get(f"/api/v1/enterprises/{contractor.credit_code}/").json()
    assert [(p["code"], p["roles"]) for p in data["projects"]] == [
        (world.project.code, [UnitRole.CONTRACTOR.label])
    ]


def test_the_project_page_links_every_unit_to_its_enterprise_page(world, client):
    page = client.get(f"/p/{world.project.code}/").content.decode()
    assert f'href="/e/{world.project.developer.credit_code}/"' in page
    assert f'href="/e/{world.units[UnitRole.CONTRACTOR].credit_code}/"' in page


def test_renaming_a_unit_changes_the_project_pages_tag(world, client):
    first = client.get(f"/p/{world.project.code}/")
    contractor = world.units[UnitRole.CONTRACTOR]
    contractor.name = "改名后的施工单位"
    contractor.save()
    second = client.get(f"/p/{world.project.code}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and "改名后的施工单位" in second.content.decode()


def test_the_enterprise_page_runs_a_constant_number_of_queries(world, client):
    developer = world.project.developer
    code = developer.credit_code

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/e/{code}/").status_code == 200
            assert client.get(f"/api/v1/enterprises/{code}/").status_code == 200
        return len(captured)

    few = count()
    for n in range(8):
        project = make_project(developer, "230602" if n % 2 else "230103", name=f"项目{n}")
        Participation.objects.create(
            project=project, organisation=developer, role=UnitRole.DEVELOPER
        )
    assert count() == few
