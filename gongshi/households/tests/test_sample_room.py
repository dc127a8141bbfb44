"""A sample room's page: the published fit-out materials used in that room."""

import pytest

from gongshi.core.testing import ROLES, assert_matrix
from gongshi.households import samples
from gongshi.households.tests.conftest import publish_fitout

pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def sample(world):
    return samples.create_sample(world.project, name="A户型样板间", layout="三室两厅 118㎡")


def room_url(world, sample, name: str) -> str:
    room = sample.rooms.get(name=name)
    return f"/p/{world.project.code}/s/{room.code}/"


def test_everyone_reads_a_room_page(world, sample):
    publish_fitout(world)
    assert_matrix(world, "get", room_url(world, sample, "厨房"), dict.fromkeys(ROLES, 200))


def test_the_kitchen_lists_the_kitchens_products_with_brand_model_grade_and_origin(
    world, sample, client
):
    publish_fitout(world)
    html = client.get(room_url(world, sample, "厨房")).content.decode()
    for expected in ("整体橱柜", "欧派", "OP-K2026", "E0级", "广东广州", "燃气灶", "方太"):
        assert expected in html
    assert "坐便器" not in html and "实木复合地板" not in html


def test_a_room_can_name_the_locations_it_shows(world, sample, client):
    publish_fitout(world)
    room = samples.add_room(sample, name="主卧", locations="卧室")
    html = client.get(f"/p/{world.project.code}/s/{room.code}/").content.decode()
    assert "实木复合地板" in html and "整体橱柜" not in html


def test_without_a_published_list_it_says_so(world, sample, client):
    html = client.get(room_url(world, sample, "客厅")).content.decode()
    assert "建设单位尚未公示全装修主要材料" in html


def test_the_api_gives_the_same_products(world, sample, client):
    publish_fitout(world)
    room = sample.rooms.get(name="卫生间")
    body = client.get(f"/api/v1/projects/{world.project.code}/sample-rooms/{room.code}/").json()
    assert [p["cells"][0] for p in body["products"]] == ["坐便器"]
    assert body["item"] == "materials.fitout"


def test_only_the_developer_manages_sample_flats(world, sample):
    assert_matrix(
        world,
        "get",
        f"/workspace/p/{world.project.code}/samples/",
        {
            "anonymous": 302,
            "outsider": 404,
            "unit": 403,
            "developer": 200,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 404,
        },
    )
    response = world.client("developer").post(
        f"/workspace/p/{world.project.code}/samples/",
        {"action": "sample", "name": "B户型样板间", "layout": "", "rooms": "客厅、厨房"},
    )
    assert response.status_code == 302
    assert world.project.sample_flats.get(name="B户型样板间").rooms.count() == 2
