import xml.etree.ElementTree as ET

from gongshi.catalogue.tests.factories import publish
from gongshi.core.testing import ROLES, assert_matrix
from gongshi.public.tests.conftest import publish_permit

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
