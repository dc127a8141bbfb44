"""A developer, in a real browser: fill a table item, attach a PDF, publish, see it in public."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongshi.core.testing import PASSWORD, build_world, scroll_width
from gongshi.disclosures.models import DisclosureVersion, VersionStatus
from gongshi.files.testing import make_pdf_bytes
from gongshi.workspace.testing import household_item

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


def test_a_developer_fills_a_table_uploads_a_pdf_publishes_and_the_public_sees_it(
    page, live_server, tmp_path
):
    world = build_world()
    item = household_item(supplier="developer", scan_required=True, title="分户验收汇总表（测试）")
    pdf = tmp_path / "分户验收记录.pdf"
    pdf.write_bytes(make_pdf_bytes(["Household acceptance", "分户验收记录"]))

    page.goto("/accounts/login/?next=/workspace/")
    page.get_by_label("用户名").fill("developer")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/workspace/")
    page.get_by_role("link", name=world.project.name).click()
    page.get_by_role("link", name=item.title).click()
    expect(page.get_by_role("heading", name=item.title)).to_be_visible()

    # Row 1, then a second row added with the button.
    page.get_by_label("楼栋 1").fill("1号楼")
    page.get_by_label("单元 1").fill("1单元")
    page.get_by_label("房号 1").fill("0101")
    page.get_by_label("验收结论 1").select_option(label="合格")
    page.get_by_label("验收日期 1").fill("2025-06-18")
    page.get_by_role("button", name="添加一行").click()
    page.get_by_label("楼栋 2").fill("1号楼")
    page.get_by_label("单元 2").fill("1单元")
    page.get_by_label("房号 2").fill("0102")
    page.get_by_label("验收结论 2").select_option(label="不合格")
    page.get_by_label("验收日期 2").fill("2025-06-18")
    page.get_by_label("整改情况 2").fill("卫生间渗水，已整改复验")
    information_date = timezone.localdate() - dt.timedelta(days=2)
    page.get_by_label("信息形成日期").fill(information_date.isoformat())
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存。")).to_be_visible()

    page.get_by_label("选择文件（PDF、JPG、PNG，可多选）").set_input_files(str(pdf))
    page.get_by_role("button", name="上传", exact=True).click()
    expect(page.get_by_text("已上传 1 个文件。")).to_be_visible()
    expect(page.get_by_role("link", name="分户验收记录.pdf")).to_be_visible()

    page.get_by_role("button", name="保存并公示").click()
    expect(page.get_by_text("已公示。")).to_be_visible()
    version = DisclosureVersion.objects.get(disclosure__item=item)
    assert version.status == VersionStatus.PUBLISHED
    assert version.timeliness_days == 2
    assert [r["room"] for r in version.values["households"]] == ["0101", "0102"]

    # The public project page lists the item as published; its page shows rows and the scan.
    page.goto(f"/p/{world.project.code}/")
    expect(page.get_by_text(item.title).first).to_be_visible()
    page.goto(f"/p/{world.project.code}/i/{item.code}/")
    expect(page.get_by_text("卫生间渗水，已整改复验").first).to_be_visible()
    expect(page.get_by_text("分户验收记录.pdf").first).to_be_visible()


def test_a_unit_works_on_a_phone_and_sees_a_send_back_reason(mobile_page, live_server):
    world = build_world()
    item = household_item(title="分户验收汇总表（手机）")
    page = mobile_page
    page.goto("/accounts/login/?next=/workspace/")
    page.get_by_label("用户名").fill("unit")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name=world.project.name).click()
    page.get_by_role("link", name=item.title).click()
    page.get_by_label("楼栋 1").fill("2号楼")
    page.get_by_label("单元 1").fill("1单元")
    page.get_by_label("房号 1").fill("0301")
    page.get_by_label("验收结论 1").select_option(label="合格")
    page.get_by_label("验收日期 1").fill("2025-06-18")
    page.get_by_label("信息形成日期").fill("2025-06-20")
    # The editable table scrolls inside its box; the page itself stays phone-wide.
    assert scroll_width(page) <= 375 + 1
    page.get_by_role("button", name="保存并提交建设单位审核").click()
    expect(page.get_by_text("已提交建设单位审核。")).to_be_visible()
    # The page fits the phone: the wide table scrolls inside its box, not the whole page.
    assert scroll_width(page) <= 375 + 1

    from gongshi.disclosures import workflow
    from gongshi.workspace.testing import access

    version = workflow.pending_version(world.project, item)
    workflow.send_back(access(world, "developer"), version, "验收日期与记录不符，请核对。")
    page.reload()
    expect(page.get_by_text("验收日期与记录不符，请核对。")).to_be_visible()
    expect(page.get_by_role("button", name="保存并提交建设单位审核")).to_be_visible()
