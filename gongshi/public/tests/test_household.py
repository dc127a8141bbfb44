import pytest

from gongshi.core.testing import ROLES, assert_matrix
from gongshi.public.household import normalise
from gongshi.public.tests.conftest import household_rows, publish_households, publish_with_file

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


def url(world) -> str:
    return f"/p/{world.project.code}/household/"


def test_everyone_may_look_up_a_household(world, catalogue):
    publish_households(world, catalogue["households"], household_rows())
    assert_matrix(
        world, "get", url(world) + "?building=1&unit=1&room=101", dict.fromkeys(ROLES, 200)
    )


def test_it_finds_the_households_row_and_the_file_it_comes_from(world, catalogue, client):
    rows = household_rows(buildings=2, units=2, floors=3, per_floor=2)
    rows[5] = dict(rows[5], result="fail", rectification="窗户渗水，已于3月20日整改")
    version = publish_with_file(
        world, catalogue["households"], {"households": rows}, name="分户验收汇总表.pdf"
    )
    target = rows[5]
    response = client.get(
        url(world), {"building": target["building"], "unit": target["unit"], "room": target["room"]}
    )
    html = response.content.decode()
    [result] = response.context["results"]
    assert result.rows == [
        [
            target["building"],
            target["unit"],
            target["room"],
            "不合格",
            "2025-03-18",
            "窗户渗水，已于3月20日整改",
        ]
    ]
    sha = version.attachments.get().file.sha256
    assert f"/files/{sha}/" in html and "分户验收汇总表.pdf" in html


def test_it_accepts_the_ways_people_write_building_and_room(world, catalogue, client):
    publish_households(world, catalogue["households"], household_rows())
    response = client.get(url(world), {"building": "1号楼", "unit": "2单元", "room": "0302室"})
    assert len(response.context["results"]) == 1
    assert "1 栋 2 单元 302 室" in response.content.decode()  # not "1号楼 栋"
    full_width = client.get(url(world), {"building": "１", "unit": "２", "room": "３０２"})
    assert len(full_width.context["results"]) == 1
    assert normalise(" 3栋 ") == "3" and normalise("0501") == "501"


def test_an_unknown_household_is_told_plainly(world, catalogue, client):
    publish_households(world, catalogue["households"], household_rows())
    html = client.get(url(world), {"building": "9", "unit": "1", "room": "101"}).content.decode()
    assert "没有找到 9 栋 1 单元 101 室的分户验收记录" in html


def test_building_and_room_are_both_needed(world, catalogue, client):
    publish_households(world, catalogue["households"], household_rows())
    html = client.get(url(world), {"building": "1"}).content.decode()
    assert "请同时填写楼栋号和房号" in html


def test_without_a_published_table_it_says_the_lookup_is_not_available_yet(
    world, catalogue, client
):
    html = client.get(url(world), {"building": "1", "room": "101"}).content.decode()
    assert "本项目尚未公示分户验收汇总表" in html
