"""In a real browser: a member of the public asks, the developer answers, the page shows it."""

import re

from django.core import mail
from playwright.sync_api import expect

from gongshi.core.testing import PASSWORD, build_world
from gongshi.participation.models import Question


def test_the_public_asks_the_developer_answers_and_the_project_page_shows_it(
    make_page, live_server
):
    world = build_world()
    code = world.project.code

    # A buyer at the sales office, on a phone.
    buyer = make_page(width=375, height=740)
    buyer.goto(f"/p/{code}/")
    buyer.get_by_role("link", name="我要咨询或投诉").click()
    buyer.get_by_label("电子邮箱或手机号码").fill("buyer@example.com")
    buyer.get_by_role("button", name="获取验证码").click()
    expect(buyer.get_by_text("验证码已发送到您的邮箱")).to_be_visible()
    code_in_mail = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    buyer.get_by_label("验证码").fill(code_in_mail)
    buyer.get_by_role("button", name="验证", exact=True).click()
    buyer.get_by_label("类型").select_option(label="咨询")
    buyer.get_by_label("内容").fill("请问外墙保温材料的燃烧性能等级是多少？")
    buyer.get_by_role("button", name="提交").click()
    expect(buyer.get_by_role("heading", name="已提交")).to_be_visible()
    private_link = buyer.locator("a.private-link").get_attribute("href")
    assert Question.objects.get().contact == "buyer@example.com"

    # The developer signs in and answers.
    developer = make_page()
    developer.goto(f"/accounts/login/?next=/participation/workspace/p/{code}/questions/")
    developer.get_by_label("用户名").fill("developer")
    developer.get_by_label("密码").fill(PASSWORD)
    developer.get_by_role("button", name="登录").click()
    developer.wait_for_url(f"{live_server.url}/participation/workspace/p/{code}/questions/")
    expect(developer.get_by_text("请问外墙保温材料的燃烧性能等级是多少？")).to_be_visible()
    assert developer.get_by_text("buyer@example.com").count() == 0
    developer.get_by_label("答复").fill("外墙保温采用 A 级不燃岩棉板，检测报告见材料公示。")
    developer.get_by_role("button", name="发布答复").click()
    expect(developer.get_by_text("外墙保温采用 A 级不燃岩棉板")).to_be_visible()

    # The public page shows the answer; the buyer rates it through the private link.
    buyer.goto(f"/p/{code}/")
    expect(buyer.get_by_text("外墙保温采用 A 级不燃岩棉板，检测报告见材料公示。")).to_be_visible()
    assert buyer.get_by_text("buyer@example.com").count() == 0
    buyer.goto(private_link)
    buyer.get_by_label("已解决").check()
    buyer.get_by_role("button", name="提交评价").click()
    expect(buyer.get_by_text("提问人：已解决")).to_be_visible()
