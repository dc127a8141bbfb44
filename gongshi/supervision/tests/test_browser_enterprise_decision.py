"""In a real browser: a regulator commends an enterprise; the public finds it from a project page."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from gongshi.core.testing import PASSWORD, build_world, totp_now

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


def test_a_regulator_commends_an_enterprise_and_the_public_finds_it_from_a_project(
    page, live_server
):
    world = build_world()
    developer = world.project.developer
    regulator = world.users["regulator"]
    device = TOTPDevice.objects.create(user=regulator, name="phone", confirmed=True)

    page.goto(f"/accounts/login/?next=/supervision/e/{developer.credit_code}/")
    page.get_by_label("用户名").fill("regulator")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_label("6 位验证码").fill(totp_now(device))
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**/supervision/e/{developer.credit_code}/")

    page.get_by_label("措施类型").select_option("commendation")
    page.get_by_label("事由").fill("各项目公示完整、及时")
    page.get_by_label("信用激励措施（通报表扬时填写）").fill("评优评先优先推荐")
    page.get_by_role("button", name="记录并公开").click()
    expect(page.get_by_text("已记录并公开，并显示在该企业的每个项目页面上。")).to_be_visible()

    # The public, on the project page, sees the decision and follows it to the enterprise.
    page.context.clear_cookies()
    page.goto(f"/p/{world.project.code}/")
    records = page.locator("#regulator-records")
    expect(records.get_by_text("各项目公示完整、及时")).to_be_visible()
    records.get_by_role("link", name=f"查看{developer.name}的企业页").click()
    page.wait_for_url(f"**/e/{developer.credit_code}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith(developer.name)
    expect(page.get_by_text("评优评先优先推荐").first).to_be_visible()
    expect(page.get_by_role("link", name=world.project.name).first).to_be_visible()
