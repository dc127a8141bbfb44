"""A developer, on a phone, declares that an item does not apply; the public page says why."""

from playwright.sync_api import expect

from gongshi.catalogue.models import CatalogueItem
from gongshi.core.testing import build_world, scroll_width

REASON = "本项目为公共租赁住房，只租不售，不办理商品房预售许可。"


def test_a_developer_declares_an_item_not_applicable_on_a_phone(mobile_page, log_in):
    world = build_world()
    item = CatalogueItem.objects.get(code="procedure.presale_permit")
    page = mobile_page
    log_in(page, world.users["developer"])
    page.goto(f"/workspace/p/{world.project.code}/items/{item.code}/")
    page.get_by_text("此事项不适用于本项目？").click()
    page.get_by_label("不适用的原因").fill(REASON)
    page.get_by_role("button", name="声明不适用").click()
    expect(page.get_by_text("已声明不适用，声明和原因向公众公开。")).to_be_visible()
    assert scroll_width(page) <= 375 + 1

    page.goto(f"/p/{world.project.code}/")
    expect(page.get_by_text(f"声明此事项不适用于本项目。 原因：{REASON}")).to_be_visible()
