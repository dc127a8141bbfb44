"""A regulator, in a real browser: dashboard → overdue question's project → key supervision → public page."""

import datetime as dt
import secrets

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from gongshi.core.testing import PASSWORD, build_world, totp_now
from gongshi.participation.models import Question

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


def test_a_regulator_puts_a_project_with_an_overdue_question_under_key_supervision(
    page, live_server
):
    world = build_world()
    regulator = world.users["regulator"]
    device = TOTPDevice.objects.create(user=regulator, name="phone", confirmed=True)
    Question.objects.create(
        project=world.project,
        body="分户验收汇总表什么时候公示？已经问了一个月了。",
        contact="buyer@example.com",
        contact_kind="email",
        asker_token_hash=secrets.token_hex(32),
        asked_at=timezone.now() - dt.timedelta(days=40),
        deadline_working_days=5,
    )

    page.goto("/accounts/login/?next=/supervision/")
    page.get_by_label("用户名").fill("regulator")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_label("6 位验证码").fill(totp_now(device))
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/supervision/")
    expect(page.get_by_role("heading", name="监管工作台")).to_be_visible()

    # The overdue figure links to the projects behind it.
    page.locator("#table-questions").get_by_role("link", name="逾期未答复").click()
    page.wait_for_url("**/supervision/projects/?worklist=overdue_questions")
    page.get_by_role("link", name=world.project.name).click()
    page.wait_for_url(f"**/supervision/p/{world.project.code}/")

    page.get_by_label("措施类型").select_option("key_supervision")
    page.get_by_label("事由").fill("咨询逾期未答复，公示更新不及时")
    page.get_by_label("检查频次，每隔多少天（重点监管时填写）").fill("14")
    page.get_by_role("button", name="记录并公开").click()
    expect(page.get_by_text("已记录并公开。")).to_be_visible()
    expect(page.get_by_text("待检查")).to_be_visible()

    page.goto(f"/p/{world.project.code}/")
    records = page.locator("#regulator-records")
    expect(records.get_by_text("重点监管").first).to_be_visible()
    expect(records.get_by_text("咨询逾期未答复，公示更新不及时")).to_be_visible()
