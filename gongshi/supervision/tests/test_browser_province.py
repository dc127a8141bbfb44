"""The provincial department on a phone: the city comparison fits and drills into a city."""

from playwright.sync_api import expect

from gongshi.core.choices import OrganisationType
from gongshi.core.testing import build_world, make_org, make_user, scroll_width


def test_the_province_compares_cities_on_a_phone_and_opens_one(mobile_page, log_in, live_server):
    world = build_world()
    province = make_org(OrganisationType.REGULATOR, "230000", name="黑龙江省住房和城乡建设厅")
    page = mobile_page
    log_in(page, make_user("province", province))
    page.goto("/supervision/")
    table = page.locator("#table-city")
    expect(table.get_by_role("link", name="哈尔滨市")).to_be_visible()
    # The 13-row, 6-column table scrolls in its box; the page stays phone-wide.
    assert scroll_width(page) <= 375 + 1
    table.get_by_role("link", name="哈尔滨市").click()
    page.wait_for_url("**/supervision/projects/?city=2301")
    expect(page.get_by_role("link", name=world.project.name)).to_be_visible()
    assert page.get_by_text(world.other_project.name).count() == 0
