"""Every instance of a repeatable item, with its label, wherever the public reads a project:
the open data API (and one endpoint per building), the printed board, the CSV and Excel
exports, the Atom feed, the display screen, the kiosk and the widget — at a cost that does not
grow with the number of instances."""

import csv
import io

import pytest
from django.core.cache import cache
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from gongshi.core.testing import ROLES, assert_matrix
from gongshi.public.tests.test_instances_page import add_buildings, publish_batch

pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def two_batches(world, presale):
    """Two pre-sale permits: 1号楼、2号楼 in the first batch, 3号楼 in the second."""
    buildings = add_buildings(world.project, 3)
    publish_batch(world, presale, 1, buildings[:2], "哈预2025001")
    publish_batch(world, presale, 2, buildings[2:], "哈预2025002")
    return buildings


def detail(client, world) -> dict:
    response = client.get(f"/api/v1/projects/{world.project.code}/")
    assert response.status_code == 200
    return response.json()


def api_item(body: dict, code: str) -> dict:
    return next(i for c in body["categories"] for i in c["items"] if i["code"] == code)


def test_the_api_lists_every_instance_with_its_label_buildings_and_history(
    world, presale, two_batches, client, settings
):
    settings.SITE_URL = "https://gongshi.hlj.example.cn"
    code = world.project.code
    item = api_item(detail(client, world), "t.presale_permit")
    assert item["repeatable"] is True
    first, second = item["instances"]
    assert (first["number"], first["label"]) == (1, "第1批")
    assert [b["name"] for b in first["buildings"]] == ["1号楼", "2号楼"]
    assert second["label"] == "第2批" and second["current_version"] == 1
    assert [b["name"] for b in second["buildings"]] == ["3号楼"]
    assert second["status"]["tone"] == "ok"
    base = f"https://gongshi.hlj.example.cn/p/{code}/i/t.presale_permit/2/"
    assert second["url"] == base and second["history_url"] == base + "#history"
    # Each version says which instance it belongs to.
    numbers = {(v["instance"], v["values"]["certificate_number"]) for v in item["versions"]}
    assert numbers == {(1, "哈预2025001"), (2, "哈预2025002")}


def test_the_api_detail_lists_the_projects_buildings(world, presale, two_batches, client):
    body = detail(client, world)
    assert [b["name"] for b in body["buildings"]] == ["1号楼", "2号楼", "3号楼"]
    assert body["buildings"][0]["floors_above"] == 18
    assert body["buildings"][2]["api_url"].endswith(
        f"/api/v1/projects/{world.project.code}/buildings/{two_batches[2].pk}/"
    )


def test_an_item_disclosed_once_is_one_instance(world, catalogue, client):
    from gongshi.public.tests.conftest import publish_permit

    publish_permit(world, catalogue["planning"], number="规划-1")
    item = api_item(detail(client, world), catalogue["planning"].code)
    assert item["repeatable"] is False
    [only] = item["instances"]
    assert only["number"] == 1 and only["label"] == "" and only["current_version"] == 1
    assert item["versions"][0]["instance"] == 1


def test_everyone_reads_a_building_with_the_instances_that_cover_it(
    world, presale, two_batches, client
):
    code = world.project.code
    url = f"/api/v1/projects/{code}/buildings/{two_batches[2].pk}/"
    assert_matrix(world, "get", url, dict.fromkeys(ROLES, 200))
    body = client.get(url).json()
    assert body["name"] == "3号楼" and body["project"] == code
    [permit] = body["instances"]
    assert (permit["item"], permit["number"], permit["label"]) == ("t.presale_permit", 2, "第2批")
    assert permit["version"]["values"]["certificate_number"] == "哈预2025002"
    first = client.get(f"/api/v1/projects/{code}/buildings/{two_batches[0].pk}/").json()
    assert [i["label"] for i in first["instances"]] == ["第1批"]


def test_a_building_of_another_project_or_unknown_is_not_found(world, presale, two_batches):
    other = add_buildings(world.other_project, 1)[0]
    for url in [
        f"/api/v1/projects/{world.project.code}/buildings/{other.pk}/",
        f"/api/v1/projects/{world.project.code}/buildings/999999/",
    ]:
        assert_matrix(world, "get", url, dict.fromkeys(ROLES, 404))
    response = Client().get(f"/api/v1/projects/{world.project.code}/buildings/999999/")
    assert response.json()["error"]["code"] == "not_found"


def test_nobody_writes_a_building_through_the_open_api(world, presale, two_batches):
    url = f"/api/v1/projects/{world.project.code}/buildings/{two_batches[0].pk}/"
    expected = {"anonymous": (401, 403), **{r: 405 for r in ROLES if r != "anonymous"}}
    assert_matrix(world, "post", url, expected, data={}, content_type="application/json")


def test_the_board_prints_the_second_permit_with_its_label(world, presale, two_batches, client):
    response = client.get(f"/p/{world.project.code}/board.pdf", {"size": "A4"})
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) == 1
    assert "第2批" in text and "哈预2025002" in text and "3号楼" in text
    assert "第1批" in text and "哈预2025001" in text


def test_the_a1_board_prints_every_permit_too(world, presale, two_batches, client):
    response = client.get(f"/p/{world.project.code}/board.pdf", {"size": "A1"})
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "第2批" in text and "哈预2025002" in text


def _rows_of(world, client) -> list[list[str]]:
    response = client.get(f"/p/{world.project.code}/disclosures.csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_the_exports_say_which_instance_each_value_belongs_to(world, presale, two_batches, client):
    header, *rows = _rows_of(world, client)
    assert header[-3:] == ["第几份", "份名称", "涵盖楼栋"]
    numbers = [r for r in rows if r[1] == "t.presale_permit" and r[9] == "证书编号"]
    assert [(r[12], r[13], r[14], r[15]) for r in numbers] == [
        ("哈预2025001", "1", "第1批", "1号楼、2号楼"),
        ("哈预2025002", "2", "第2批", "3号楼"),
    ]
    sheet = load_workbook(
        io.BytesIO(client.get(f"/p/{world.project.code}/disclosures.xlsx").content)
    ).active
    lines = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[12] == "哈预2025002"]
    assert [(r[13], r[14], r[15]) for r in lines] == [(2, "第2批", "3号楼")]


def test_the_feed_names_the_instance_and_links_to_its_page(world, presale, two_batches, client):
    feed = client.get(f"/p/{world.project.code}/feed.atom").content.decode()
    assert "商品房预售许可证 · 第2批（第 1 版" in feed
    assert f"/p/{world.project.code}/i/t.presale_permit/2/#v1" in feed


def test_the_screen_widget_and_kiosk_show_every_instance(world, presale, two_batches, client):
    code = world.project.code
    screen = client.get(f"/p/{code}/screen/").content.decode()
    assert "商品房预售许可证 · 第1批" in screen and "商品房预售许可证 · 第2批" in screen
    widget = client.get(f"/p/{code}/widget/").content.decode()
    assert "商品房预售许可证 · 第2批" in widget
    kiosk = client.get(f"/kiosk/p/{code}/").content.decode()
    assert "第2批" in kiosk and "哈预2025002" in kiosk


def _publish_batches(world, presale, buildings, numbers) -> None:
    for number in numbers:
        publish_batch(world, presale, number, buildings[number - 1 : number], f"哈预20250{number}")


@pytest.mark.parametrize("path", ["/p/{code}/", "/api/v1/projects/{code}/"])
def test_the_page_and_the_api_cost_the_same_at_one_and_five_instances(
    world, presale, path, django_assert_num_queries, django_assert_max_num_queries
):
    buildings = add_buildings(world.project, 5)
    url = path.format(code=world.project.code)
    _publish_batches(world, presale, buildings, [1])
    cache.clear()
    client = Client()
    with django_assert_max_num_queries(40) as one:
        assert client.get(url).status_code == 200
    _publish_batches(world, presale, buildings, [2, 3, 4, 5])
    cache.clear()
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert "哈预202505" in response.content.decode()
