"""An administrator's first sign-in in a real browser: password, scan the QR code, code, admin."""

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from gongshi.accounts.models import User
from gongshi.core.testing import PASSWORD, totp_now


def test_an_administrator_enrols_totp_and_reaches_the_admin(page, live_server):
    User.objects.create_superuser("root", "root@example.com", PASSWORD)

    page.goto("/admin/")
    page.wait_for_url(f"{live_server.url}/accounts/login/?next=/admin/")
    page.get_by_label("用户名").fill("root")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.wait_for_url(f"{live_server.url}/accounts/login/otp/setup/")
    expect(page.locator(".otp-qr svg")).to_be_visible()
    secret = page.locator(".otp-secret").inner_text().replace(" ", "")
    device = TOTPDevice.objects.get(user__username="root")
    assert secret in device.config_url

    page.get_by_label("6 位验证码").fill(totp_now(device))
    page.get_by_role("button", name="完成设置并登录").click()

    page.wait_for_url(f"{live_server.url}/admin/")
    expect(page.get_by_role("heading", name="站点管理")).to_be_visible()
