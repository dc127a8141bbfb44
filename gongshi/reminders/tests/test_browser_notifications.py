"""In a real browser, on a phone: a developer's clerk reads a reminder, opens the item it is
about, and chooses to get reminders by text message as well."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from gongshi.core.testing import FROZEN_NOW, PASSWORD, build_world, scroll_width
from gongshi.reminders.models import NotificationPreference
from gongshi.reminders.sending import send_reminders
from gongshi.reminders.tests.conftest import start_project

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


def test_a_clerk_reads_a_reminder_opens_its_item_and_adds_text_messages(make_page):
    world = build_world()
    # Started Friday 11-20: construction items fall due Friday 11-27, two working days ahead.
    start_project(world.project, dt.date(2026, 11, 20))
    sent = send_reminders(now=FROZEN_NOW).reminders
    assert sent > 0
    page = make_page(width=375, height=740)

    page.goto("/accounts/login/?next=/notifications/")
    page.get_by_label("用户名").fill("developer")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/notifications/")
    header = page.get_by_role("link", name=f"通知 {sent} 条未读")
    expect(header).to_be_visible()

    first = page.locator("li.notification.unread").first
    subject = first.locator("p").nth(1).inner_text()
    assert "2026-11-27" in subject and world.project.name in subject
    first.get_by_role("button", name="查看").click()
    page.wait_for_url(f"**/workspace/p/{world.project.code}/items/**")

    page.goto("/notifications/")
    assert page.locator("li.notification.unread").count() == sent - 1
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.get_by_text(f"已将 {sent - 1} 条通知标为已读。")).to_be_visible()
    assert page.locator("li.notification.unread").count() == 0
    expect(page.get_by_role("link", name="通知", exact=True)).to_be_visible()

    # Text messages too: without a number the form says what to fix and keeps the choice.
    page.get_by_role("link", name="通知方式").click()
    page.get_by_label("同时发送短信").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("选择短信通知须填写手机号码。")).to_be_visible()
    assert page.get_by_label("同时发送短信").is_checked()
    page.get_by_label("接收短信的手机号码").fill("138 1234 5678")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("通知方式已保存。")).to_be_visible()
    preference = NotificationPreference.objects.get(user=world.users["developer"])
    assert (preference.sms, preference.mobile) == (True, "13812345678")
    width = scroll_width(page)
    assert width <= 375, f"the preferences page scrolls sideways on a phone ({width} px)"
