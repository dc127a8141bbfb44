"""In a real browser at phone width: a developer who declared how many pre-sale permits the
project needs, and has published one, goes back to one per sales batch."""

from playwright.sync_api import expect

from gongshi.catalogue.models import CatalogueItem, DueStage
from gongshi.catalogue.tests.factories import SIMPLE_FIELDS, only_items, publish
from gongshi.core.testing import PASSWORD, build_world, scroll_width
from gongshi.disclosures.workflow import ProjectAccess, set_required
from gongshi.workspace import buildings as rules


def test_the_developer_follows_the_sales_batches_again_after_publishing_a_permit(mobile_page):
    world = build_world()
    permit = CatalogueItem.objects.get(code="procedure.presale_permit")
    permit.fields, permit.scan_required, permit.scans = SIMPLE_FIELDS, False, []
    permit.due_stage, permit.repeatable, permit.covers_buildings = DueStage.BEFORE_START, True, True
    permit.save()
    only_items(permit)
    developer = world.users["developer"]
    access = ProjectAccess.for_user(world.project, developer)
    for n in range(1, 7):  # six buildings sold in three batches
        data = {"name": f"{n}号楼", "units": 2, "floors_above": 18, "sales_batch": (n + 1) // 2}
        rules.save_building(access, data)
    set_required(access, permit, 2)
    publish(world.project, permit, developer, values={"note": "哈预2026001"})

    page = mobile_page
    page.goto(f"/accounts/login/?next=/workspace/p/{world.project.code}/items/{permit.code}/")
    page.get_by_label("用户名").fill("developer")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**/workspace/p/{world.project.code}/items/{permit.code}/")
    expect(page.get_by_text("本项目应公示 2 份", exact=False)).to_be_visible()
    note = "份数由您填报；按销售批次或楼栋计算应为 3 份（每个销售批次一份，共3个批次）。"
    expect(page.get_by_text(note)).to_be_visible()

    page.get_by_role("button", name="恢复按销售批次或楼栋计算").click()
    expect(page.get_by_text("应公示份数已恢复按销售批次或楼栋计算。")).to_be_visible()
    expect(page.get_by_text("本项目应公示 3 份", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="恢复按销售批次或楼栋计算")).to_have_count(0)
    width = scroll_width(page)
    assert width <= 375, f"the item page scrolls sideways on a phone ({width} px)"
