import pytest

from gongshi.core.testing import ROLES, assert_matrix
from gongshi.public.tests.conftest import household_rows, publish_households, publish_permit

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


def url(world, code: str = "t.household_acceptance") -> str:
    return f"/p/{world.project.code}/i/{code}/"


def test_everyone_may_read_a_published_item(world, catalogue):
    publish_permit(world, catalogue["planning"])
    assert_matrix(world, "get", url(world, "t.planning_permit"), dict.fromkeys(ROLES, 200))


def test_an_item_never_disclosed_is_not_found(world, catalogue, client):
    assert client.get(url(world, "t.planning_permit")).status_code == 404
    assert client.get(url(world, "no.such_item")).status_code == 404


def test_it_pages_a_big_household_table(world, catalogue, client):
    publish_households(
        world, catalogue["households"], household_rows(buildings=2, units=2, floors=10, per_floor=3)
    )
    first = client.get(url(world))
    table = first.context["view"].tables[0]
    assert (table.total, table.pages, len(table.rows)) == (120, 3, 50)
    last = client.get(url(world), {"page": 3})
    table = last.context["view"].tables[0]
    assert (table.page, len(table.rows), table.first_row_number) == (3, 20, 101)
    assert "第 3 / 3 页" in last.content.decode()
    # Out of range or nonsense page numbers show the nearest page instead of an error.
    assert client.get(url(world), {"page": 99}).context["view"].tables[0].page == 3
    assert client.get(url(world), {"page": "abc"}).context["view"].tables[0].page == 1


def test_it_shows_a_readable_diff_between_versions(world, catalogue, client):
    rows = household_rows(units=1, floors=1, per_floor=2)
    publish_households(world, catalogue["households"], rows)
    corrected = [
        dict(rows[0], result="fail", rectification="卫生间渗水，已整改"),
        rows[1],
        dict(rows[1], room="201"),
    ]
    publish_households(
        world, catalogue["households"], corrected, reason="补充 201 室并更正 101 室结论"
    )
    html = client.get(url(world)).content.decode()
    assert "补充 201 室并更正 101 室结论" in html
    assert "新增 1 行，删除 0 行，修改 1 行" in html
    assert "<del>合格</del>" in html and "<ins>不合格</ins>" in html
    assert "卫生间渗水，已整改" in html
    assert "首次公示的内容" in html


def test_a_correction_of_a_scalar_field_shows_old_and_new(world, catalogue, client):
    publish_permit(world, catalogue["planning"], number="旧编号001")
    publish_permit(world, catalogue["planning"], number="新编号002", reason="编号录错")
    html = client.get(url(world, "t.planning_permit")).content.decode()
    assert "<del>旧编号001</del>" in html and "<ins>新编号002</ins>" in html


def test_a_withdrawn_items_content_stays_readable_in_its_history(world, catalogue, client):
    from gongshi.catalogue.tests.factories import withdraw

    publish_permit(world, catalogue["planning"], number="建字第230103202500777号")
    withdraw(world.project, catalogue["planning"], world.users["developer"])
    html = client.get(url(world, "t.planning_permit")).content.decode()
    assert "撤回" in html
    assert "建字第230103202500777号" in html  # the first version, shown whole
    assert "哈尔滨市自然资源和规划局" in html


def test_the_first_version_of_a_table_item_gives_its_row_count(world, catalogue, client):
    rows = household_rows(units=1, floors=3, per_floor=4)
    publish_households(world, catalogue["households"], rows)
    html = client.get(url(world)).content.decode()
    assert f"共 {len(rows)} 行（可在开放数据中导出）" in html


def test_each_version_names_who_approved_its_publication(world, catalogue, client):
    developer = world.users["developer"]
    developer.display_name = "王建国"
    developer.save()
    publish_permit(world, catalogue["planning"])
    assert "审核公示人 王建国" in client.get(url(world, "t.planning_permit")).content.decode()
    assert "审核公示人 王建国" in client.get(f"/p/{world.project.code}/").content.decode()
