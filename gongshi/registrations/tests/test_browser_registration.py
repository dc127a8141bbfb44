"""On a phone (375 px): a company registers, cannot publish yet, the city's regulator approves,
the company signs in and publishes."""

import pytest
from playwright.sync_api import expect

from gongshi.catalogue.models import DueStage
from gongshi.catalogue.tests.factories import make_item
from gongshi.core.choices import UnitRole
from gongshi.core.testing import build_world, make_project, scroll_width
from gongshi.disclosures.models import DisclosureVersion, VersionStatus
from gongshi.files.testing import make_pdf_bytes
from gongshi.organisations.credit_codes import make_credit_code
from gongshi.organisations.models import Organisation, RegistrationStatus
from gongshi.projects.models import Participation

# Names calendar dates (the information date): the suite's fixed "now".
pytestmark = pytest.mark.usefixtures("frozen_now")

PASSWORD = "a-long-enough-pass-phrase"


def _fits(page) -> None:
    assert scroll_width(page) <= 375 + 1


def test_a_company_registers_is_approved_signs_in_and_publishes(make_page, log_in, tmp_path):
    world = build_world()
    code = make_credit_code("230103", 8181)
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(make_pdf_bytes(["Business licence", "营业执照"]))

    page = make_page(width=375, height=740)
    page.goto("/accounts/login/")
    page.get_by_role("link", name="注册单位").click()
    page.get_by_label("单位类型").select_option(label="建设单位")
    page.get_by_label("统一社会信用代码").fill(code)
    page.get_by_label("单位名称（与营业执照一致）").fill("哈尔滨手机注册置业有限公司")
    page.get_by_label("注册地（区县）").select_option(value="230103")
    page.get_by_label("法定代表人").fill("赵立新")
    page.get_by_label("营业执照扫描件（PDF、JPG 或 PNG）").set_input_files(str(licence))
    page.locator("#id_contact_name").fill("钱明")
    page.get_by_label("联系电话").fill("0451-86000000")
    page.get_by_label("联系邮箱（审核结果发到此邮箱）").fill("qian@example.com")
    page.get_by_label("登录用户名").fill("phonedev")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_label("再次输入密码").fill(PASSWORD)
    _fits(page)
    page.get_by_role("button", name="提交注册").click()
    page.wait_for_load_state()
    errors = page.locator(".form-error, .message-error").all_inner_texts()
    assert not errors, errors
    expect(page.get_by_text("注册已提交，等待所在城市主管部门审核。")).to_be_visible()
    _fits(page)

    # Meanwhile it prepares: a project with an item of its own, which it may not publish yet.
    organisation = Organisation.objects.get(credit_code=code)
    assert organisation.registration_status == RegistrationStatus.PENDING
    project = make_project(organisation, name="手机注册家园")
    Participation.objects.create(
        project=project, organisation=organisation, role=UnitRole.DEVELOPER, leader_name="赵立新"
    )
    item = make_item(title="工程概况（手机注册）", due_stage=DueStage.BEFORE_START)
    page.goto("/workspace/")
    expect(page.get_by_text("正在等待主管部门审核")).to_be_visible()
    page.get_by_role("link", name="手机注册家园").click()
    page.get_by_role("link", name=item.title).click()
    page.get_by_label("说明").fill("住宅 6 栋，剪力墙结构")
    page.get_by_label("信息形成日期").fill("2026-11-20")
    page.get_by_role("button", name="保存并公示").click()
    expect(page.get_by_text("尚待所在城市主管部门审核").first).to_be_visible()
    assert not DisclosureVersion.objects.filter(status=VersionStatus.PUBLISHED).exists()

    # Harbin's regulator finds it on the worklist, reads the licence and approves.
    regulator = log_in(make_page(width=375, height=740), world.users["regulator"])
    regulator.goto("/supervision/")
    regulator.get_by_role("link", name="单位注册审核（1）").click()
    regulator.get_by_role("link", name="哈尔滨手机注册置业有限公司").click()
    expect(regulator.get_by_role("link", name="营业执照.pdf")).to_be_visible()
    regulator.get_by_label("通过", exact=True).check()
    regulator.get_by_role("button", name="提交审核结论").click()
    expect(
        regulator.get_by_text("已审核通过：哈尔滨手机注册置业有限公司 现在可以公示。")
    ).to_be_visible()
    _fits(regulator)

    # The company signs in again and publishes.
    company = make_page(width=375, height=740)
    company.goto("/accounts/login/?next=/workspace/")
    company.get_by_label("用户名").fill("phonedev")
    company.get_by_label("密码").fill(PASSWORD)
    company.get_by_role("button", name="登录").click()
    company.get_by_role("link", name="手机注册家园").click()
    company.get_by_role("link", name=item.title).click()
    company.get_by_label("说明").fill("住宅 6 栋，剪力墙结构")
    company.get_by_label("信息形成日期").fill("2026-11-20")
    company.get_by_role("button", name="保存并公示").click()
    expect(company.get_by_text("已公示。")).to_be_visible()
    _fits(company)
    assert DisclosureVersion.objects.get(disclosure__item=item).status == VersionStatus.PUBLISHED
