"""The home page and login in a real browser (Chromium), as a phone user sees them."""

from playwright.sync_api import expect

from gongshi.core.choices import OrganisationType
from gongshi.core.testing import PASSWORD, make_org, make_project, make_user, scroll_width


def test_the_home_page_fits_a_phone_and_lists_projects(mobile_page):
    developer = make_org(OrganisationType.DEVELOPER, name="哈尔滨浏览器置业有限公司")
    make_project(developer, name="松花江畔浏览器测试家园")

    mobile_page.goto("/")

    expect(mobile_page.get_by_text("松花江畔浏览器测试家园")).to_be_visible()
    page_width = scroll_width(mobile_page)
    client_width = mobile_page.evaluate("document.documentElement.clientWidth")
    assert client_width == 375
    assert page_width <= client_width, f"页面横向溢出：{page_width}px > {client_width}px"


def test_a_developer_logs_in_with_the_form(mobile_page, live_server):
    developer = make_org(OrganisationType.DEVELOPER)
    make_user("liwei", developer, display_name="李伟")

    mobile_page.goto("/accounts/login/")
    mobile_page.get_by_label("用户名").fill("liwei")
    mobile_page.get_by_label("密码").fill(PASSWORD)
    mobile_page.get_by_role("button", name="登录").click()

    mobile_page.wait_for_url(f"{live_server.url}/workspace/")  # straight to their work
    expect(mobile_page.get_by_role("button", name="退出")).to_be_visible()


def test_a_wrong_password_is_refused_with_a_message(mobile_page):
    developer = make_org(OrganisationType.DEVELOPER)
    make_user("liwei", developer)

    mobile_page.goto("/accounts/login/")
    mobile_page.get_by_label("用户名").fill("liwei")
    mobile_page.get_by_label("密码").fill("not-the-password")
    mobile_page.get_by_role("button", name="登录").click()

    expect(mobile_page.get_by_role("alert")).to_be_visible()
    assert mobile_page.get_by_role("button", name="退出").count() == 0


def test_a_regulator_signed_in_by_the_fixture_sees_the_admin_refused(page, log_in, live_server):
    regulator = make_user("inspector", make_org(OrganisationType.REGULATOR, "230100"))
    log_in(page, regulator)

    page.goto("/")
    expect(page.get_by_role("button", name="退出")).to_be_visible()

    page.goto("/admin/")  # a regulator is not staff: sent to sign in, not into the admin
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
