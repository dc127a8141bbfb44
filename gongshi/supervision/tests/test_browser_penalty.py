"""A regulator, in a real browser, records a penalty and later accepts its rectification."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from gongshi.core.testing import PASSWORD, build_world, totp_now
from gongshi.files.testing import make_pdf_bytes
from gongshi.supervision.models import RegulatorRecord
from gongshi.supervision.rectification import report_rectification

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


def test_a_regulator_records_a_penalty_and_later_accepts_its_rectification(page, live_server):
    world = build_world()
    regulator = world.users["regulator"]
    device = TOTPDevice.objects.create(user=regulator, name="phone", confirmed=True)

    page.goto(f"/accounts/login/?next=/supervision/p/{world.project.code}/")
    page.get_by_label("用户名").fill("regulator")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_label("6 位验证码").fill(totp_now(device))
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**/supervision/p/{world.project.code}/")

    page.get_by_label("措施类型").select_option("penalty")
    page.get_by_label("事由").fill("未按规定公示分户验收信息")
    page.get_by_label("决定书文号（行政处罚必填）").fill("哈建罚字〔2026〕第 18 号")
    page.get_by_label("法律依据（行政处罚必填）").fill("《建设工程质量管理条例》第五十六条")
    page.get_by_label("处罚或惩戒内容（行政处罚必填）").fill("罚款并责令限期改正")
    page.get_by_label("罚款金额（元）").fill("200000")
    page.get_by_label("整改期限（责令整改必填）").fill("2026-12-31")
    page.get_by_role("button", name="记录并公开").click()
    expect(page.get_by_text("已记录并公开。")).to_be_visible()
    expect(page.get_by_text("哈建罚字〔2026〕第 18 号").first).to_be_visible()

    # The developer reports what it rectified (its own door: the rectification page).
    penalty = RegulatorRecord.objects.get(kind="penalty")
    report_rectification(
        penalty,
        organisation=world.project.developer,
        user=world.users["developer"],
        text="已补充公示全部 480 户分户验收信息",
    )

    page.get_by_role("link", name="整改情况").first.click()
    page.wait_for_url(f"**/records/{penalty.pk}/rectification/")
    expect(page.get_by_text("已报告，待主管部门验收").first).to_be_visible()
    page.get_by_label("验收结论").select_option("1")
    page.get_by_label("验收意见（公开）").fill("经现场核查，整改到位")
    page.get_by_role("button", name="记录验收意见并公开").click()
    expect(page.get_by_text("验收意见已记录并公开。")).to_be_visible()
    expect(page.get_by_text("整改验收通过").first).to_be_visible()

    # The public sees the penalty and its accepted rectification on the project page.
    page.goto(f"/p/{world.project.code}/")
    records = page.locator("#regulator-records")
    expect(records.get_by_text("哈建罚字〔2026〕第 18 号")).to_be_visible()
    expect(records.get_by_text("经现场核查，整改到位")).to_be_visible()


def test_a_developer_discloses_the_penalty_with_its_scan_and_the_public_sees_both(
    page, live_server, tmp_path
):
    from gongshi.supervision.tests.penalty_helpers import NUMBER, record_penalty

    world = build_world()
    record_penalty(world)
    scan = tmp_path / "处罚决定书.pdf"
    scan.write_bytes(make_pdf_bytes([NUMBER]))

    page.goto("/accounts/login/?next=/workspace/")
    page.get_by_label("用户名").fill("developer")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workspace/")
    page.goto(f"/workspace/p/{world.project.code}/items/other.penalties/")
    warning = page.locator("#undisclosed-penalties")
    expect(warning.get_by_text(NUMBER)).to_be_visible()

    page.get_by_label("是否受到处罚或惩戒").select_option(label="有")
    page.get_by_label("决定日期 1").fill("2026-11-01")
    page.get_by_label("作出决定的机关 1").fill("哈尔滨市住房和城乡建设局")
    page.get_by_label("类型 1").select_option(label="行政处罚")
    page.get_by_label("被处罚单位 1").fill(world.project.developer.name)
    page.get_by_label("决定文书编号 1").fill("哈建罚字[2026]第18号")  # typed another way
    page.get_by_label("质量问题 1").fill("未按规定公示分户验收信息")
    page.get_by_label("整改情况 1").fill("已补充公示分户验收汇总表")
    page.get_by_label("整改状态 1").select_option(label="整改中")
    page.get_by_label("信息形成日期").fill("2026-11-20")
    page.get_by_role("button", name="保存并公示").click()
    # Refused for the missing scan, with the rows kept as a draft.
    expect(page.get_by_text("须上传处罚决定书或信用惩戒决定书的扫描件").first).to_be_visible()
    assert page.get_by_label("决定文书编号 1").input_value() == "哈建罚字[2026]第18号"

    page.get_by_label("选择文件（PDF、JPG、PNG，可多选）").set_input_files(str(scan))
    page.get_by_role("button", name="上传", exact=True).click()
    expect(page.get_by_text("已上传 1 个文件。")).to_be_visible()
    page.get_by_role("button", name="保存并公示").click()
    expect(page.get_by_text("已公示。")).to_be_visible()
    assert page.locator("#undisclosed-penalties").count() == 0

    page.goto(f"/p/{world.project.code}/i/other.penalties/")
    expect(page.get_by_text("处罚决定书.pdf").first).to_be_visible()
    regulator = page.locator("#regulator-penalties")
    expect(regulator.get_by_text("公示方：主管部门")).to_be_visible()
    expect(regulator.get_by_text("已在建设单位公示中列出")).to_be_visible()
    expect(regulator.get_by_text("待整改")).to_be_visible()
