import xml.etree.ElementTree as ET

import pytest

from gongshi.catalogue.tests.factories import publish
from gongshi.core.testing import ROLES, assert_matrix
from gongshi.public.tests.conftest import publish_permit

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response) -> list[str]:
    root = ET.fromstring(response.content)
    return [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]


def test_everyone_may_subscribe(world, catalogue):
    assert_matrix(world, "get", f"/p/{world.project.code}/feed.atom", dict.fromkeys(ROLES, 200))
    assert_matrix(world, "get", "/feeds/city/230100.atom", dict.fromkeys(ROLES, 200))


def test_the_project_feed_lists_publications_and_corrections_newest_first(world, catalogue, client):
    publish_permit(world, catalogue["planning"])
    publish_permit(world, catalogue["planning"], number="新", reason="更正证书编号")
    response = client.get(f"/p/{world.project.code}/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert entries(response) == [
        "测试花园一期：建设工程规划许可证（第 2 版，更正）",
        "测试花园一期：建设工程规划许可证（第 1 版，首次公示）",
    ]
    assert "更正证书编号" in response.content.decode()


def test_the_city_feed_covers_its_districts_only(world, catalogue, client):
    publish_permit(world, catalogue["planning"])
    publish(
        world.other_project,
        catalogue["planning"],
        world.users["outsider"],
        values={"certificate_number": "D"},
    )
    assert entries(client.get("/feeds/city/230100.atom")) == [
        "测试花园一期：建设工程规划许可证（第 1 版，首次公示）"
    ]
    assert entries(client.get("/feeds/city/230600.atom")) == [
        "大庆测试家园：建设工程规划许可证（第 1 版，首次公示）"
    ]


def test_an_unknown_city_has_no_feed(world, client):
    assert client.get("/feeds/city/999999.atom").status_code == 404


def test_the_project_feed_also_carries_answers_and_regulator_records(
    world, catalogue, client, django_capture_on_commit_callbacks
):
    import datetime as dt

    from gongshi.participation import questions
    from gongshi.participation.tests.conftest import verify
    from gongshi.supervision.models import ActionKind
    from gongshi.supervision.services import make_action

    publish_permit(world, catalogue["planning"])
    question, _ = questions.ask_question(world.project, verify(), body="请问何时交付？")
    questions.answer_question(question, world.users["developer"], "预计明年六月交付。")
    regulator = world.users["regulator"]
    with django_capture_on_commit_callbacks(execute=True):  # events follow the commit
        make_action(
            kind=ActionKind.COMMENDATION, project=world.project, subject=world.project.developer,
            regulator=regulator.organisations.get(), user=regulator,
            decided_on=dt.date(2026, 11, 2), reason="公示及时完整", credit_incentive="信用评价加分",
        )  # fmt: skip
    titles = entries(client.get(f"/p/{world.project.code}/feed.atom"))
    assert "测试花园一期：建设工程规划许可证（第 1 版，首次公示）" in titles
    assert any("答复" in t for t in titles)
    assert any("表扬" in t for t in titles)
    assert len(titles) == 3  # the publication once, not also as an event


def test_a_search_by_city_links_to_its_feed(world, client):
    html = client.get("/", {"city": "230100"}).content.decode()
    assert 'href="/feeds/city/230100.atom"' in html
    assert "/feeds/city/" not in client.get("/").content.decode()
