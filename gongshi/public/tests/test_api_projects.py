import datetime as dt

import pytest
from django.core.cache import cache

from gongshi.catalogue.tests.factories import make_item, publish
from gongshi.core.testing import ROLES, assert_matrix, make_project
from gongshi.public.tests.conftest import (
    household_rows,
    publish_households,
    publish_permit,
    publish_with_file,
)

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


def test_everyone_may_read_the_open_data_api(world, catalogue):
    assert_matrix(world, "get", "/api/v1/projects/", dict.fromkeys(ROLES, 200))
    assert_matrix(
        world, "get", f"/api/v1/projects/{world.project.code}/", dict.fromkeys(ROLES, 200)
    )


def test_nobody_may_write_through_it(world, catalogue):
    # Reads are open; the list and detail have no write methods for anyone.
    expected = {"anonymous": (401, 403), **{r: 405 for r in ROLES if r != "anonymous"}}
    assert_matrix(
        world, "post", "/api/v1/projects/", expected, data={}, content_type="application/json"
    )
    assert_matrix(world, "delete", f"/api/v1/projects/{world.project.code}/", expected)


def test_the_list_is_paginated_with_count_next_and_previous(world, catalogue, client):
    for i in range(22):
        make_project(world.project.developer, name=f"分页项目{i}")
    body = client.get("/api/v1/projects/", {"q": "分页"}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 22 and len(body["results"]) == 20 and body["previous"] is None
    assert "page=2" in body["next"]


def test_the_list_searches_by_pinyin_initials_and_filters(world, catalogue, client):
    body = client.get("/api/v1/projects/", {"q": "hrb", "stage": "under_construction"}).json()
    assert [p["name"] for p in body["results"]] == ["测试花园一期"]
    assert (
        client.get("/api/v1/projects/", {"city": "230600"}).json()["results"][0]["name"]
        == "大庆测试家园"
    )
    assert client.get("/api/v1/projects/", {"housing_type": "affordable"}).json()["count"] == 0
    assert client.get("/api/v1/projects/", {"delivery_standard": "shell"}).json()["count"] == 2


def test_a_list_result_carries_place_developer_and_completeness(world, catalogue, client, settings):
    settings.SITE_URL = "https://gongshi.hlj.example.cn"
    publish_permit(world, catalogue["planning"])
    [result] = client.get("/api/v1/projects/", {"q": "测试花园"}).json()["results"]
    assert result["city"] == {"code": "230100", "name": "哈尔滨市"}
    assert result["district"] == {"code": "230103", "name": "南岗区"}
    assert result["developer"]["name"] == "哈尔滨测试置业有限公司"
    assert result["completeness"] == 33
    assert result["status"] == {"word": "缺 2 项", "tone": "bad"}
    assert result["url"] == f"https://gongshi.hlj.example.cn/p/{world.project.code}/"


def test_a_bad_filter_answers_in_the_one_error_shape(world, client):
    response = client.get("/api/v1/projects/", {"stage": "nonsense"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and "stage" in error["fields"]
    assert error["message"].startswith("提交的内容有误")


def test_the_detail_has_every_item_version_and_file_hash(world, catalogue, client, settings):
    settings.SITE_URL = "https://gongshi.hlj.example.cn"
    first = publish_with_file(
        world, catalogue["planning"], {"certificate_number": "A-1"}, name="许可证.pdf"
    )
    publish_permit(world, catalogue["planning"], number="A-2", reason="更正编号")
    body = client.get(f"/api/v1/projects/{world.project.code}/").json()
    assert [c["code"] for c in body["categories"]] == [
        "procedure",
        "parties",
        "materials",
        "acceptance",
        "warranty",
        "other",
    ]
    items = {i["code"]: i for c in body["categories"] for i in c["items"]}
    planning = items["t.planning_permit"]
    assert [v["number"] for v in planning["versions"]] == [1, 2]
    assert [v["values"]["certificate_number"] for v in planning["versions"]] == ["A-1", "A-2"]
    assert planning["versions"][1]["reason"] == "更正编号"
    [file] = planning["versions"][0]["files"]
    sha = first.attachments.get().file.sha256
    assert file["sha256"] == sha
    assert file["url"] == f"https://gongshi.hlj.example.cn/files/{sha}/"
    assert items["t.household_acceptance"]["versions"] == []
    assert len(body["units"]) == 7


def test_an_unknown_project_is_a_404_in_the_error_shape(world, client):
    response = client.get("/api/v1/projects/ZZZZZZ/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_detail_runs_the_same_number_of_queries_for_small_and_large_projects(
    world, catalogue, client, django_assert_max_num_queries
):
    url = f"/api/v1/projects/{world.project.code}/"
    publish_with_file(world, catalogue["planning"], {"certificate_number": "S"})
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for i in range(10):
        item = make_item(code=f"t.api_extra_{i}")
        publish(world.project, item, world.users["developer"])
        publish(world.project, item, world.users["developer"], reason="更正")
    publish_with_file(world, catalogue["construction"], {"certificate_number": "B"}, name="b.pdf")
    publish_households(
        world, catalogue["households"], household_rows(buildings=3, units=2, floors=10, per_floor=4)
    )
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_list_runs_the_same_number_of_queries_for_few_and_many_projects(
    world, catalogue, client, django_assert_max_num_queries
):
    publish_permit(world, catalogue["planning"])
    with django_assert_max_num_queries(20) as few:
        client.get("/api/v1/projects/")
    for i in range(30):
        make_project(world.project.developer, name=f"批量{i}")
    # Cold again, as the first time: the cards of the first page's projects are cached
    # (gongshi/public/cards.py), which would spare the checklists' queries for them.
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        client.get("/api/v1/projects/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_detail_gives_each_warranty_period_and_how_long_items_stay_online(
    world, catalogue, client
):
    from gongshi.catalogue.models import CatalogueItem

    CatalogueItem.objects.filter(code="warranty.service").update(active=True)
    project = world.project
    project.stage = "handed_over"
    project.completion_accepted_on = dt.date(2025, 8, 31)
    project.handed_over_on = dt.date(2025, 9, 30)
    project.save()
    body = client.get(f"/api/v1/projects/{project.code}/").json()
    retention = body["retention"]
    assert retention["handed_over_on"] == "2025-09-30"
    assert retention["online_until"] == "2026-02-28"
    assert retention["warranty_until"] == "2075-09-30"
    terms = {t["part"]: t for t in retention["warranty"]}
    assert terms["waterproofing"] | {"items": None} == {
        "part": "waterproofing",
        "title": terms["waterproofing"]["title"],
        "measure": "years",
        "length": 5,
        "default_design_life": False,
        "runs_until": "2030-09-30",
        "items": None,
    }
    assert "warranty.service" in terms["waterproofing"]["items"]
    assert terms["heating_cooling"]["runs_until"] == "2027-04-20"
    assert terms["structure"]["default_design_life"] is True
    items = {i["code"]: i for c in body["categories"] for i in c["items"]}
    assert items["warranty.service"]["retained_until"] == "2075-09-30"
    assert items["t.planning_permit"]["retained_until"] is None
