"""Asking from the web: verify a contact, then ask; the private link is shown once."""

import re

from django.core import mail
from django.urls import reverse

from gongshi.core.testing import assert_matrix
from gongshi.participation.models import Question
from gongshi.participation.tests.conftest import code_from_outbox


def test_every_persona_may_open_the_ask_page(world):
    url = reverse("participation:ask", args=[world.project.code])
    assert_matrix(
        world,
        "get",
        url,
        dict.fromkeys(
            ["anonymous", "outsider", "unit", "developer", "other_regulator", "regulator", "admin"],
            200,
        ),
    )


def test_an_unknown_project_is_404(world):
    assert world.client("anonymous").get("/participation/p/NOPE99/ask/").status_code == 404


def test_it_asks_for_a_contact_first(world):
    response = world.client("anonymous").get(
        reverse("participation:ask", args=[world.project.code])
    )
    assert "获取验证码" in response.content.decode()


def test_a_member_of_the_public_verifies_and_asks(world):
    client = world.client("anonymous")
    code = world.project.code
    response = client.post(
        reverse("participation:verify", args=[code]),
        {"contact": "asker@example.com", "next": f"/participation/p/{code}/ask/"},
    )
    assert response.status_code == 200
    assert "验证码已发送到您的邮箱" in response.content.decode()
    response = client.post(
        reverse("participation:verify_confirm", args=[code]),
        {
            "contact": "asker@example.com",
            "code": code_from_outbox(),
            "next": f"/participation/p/{code}/ask/",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("participation:ask", args=[code]),
        {"kind": "complaint", "body": "工地夜间施工噪音很大。"},
    )
    assert response.status_code == 201
    question = Question.objects.get()
    assert question.kind == "complaint" and question.contact == "asker@example.com"
    private = re.search(
        r'href="(http://testserver/participation/q/[^"]+)"', response.content.decode()
    )
    assert private
    assert client.get(private.group(1)).status_code == 200


def test_a_wrong_code_says_what_to_do(world):
    client = world.client("anonymous")
    code = world.project.code
    client.post(reverse("participation:verify", args=[code]), {"contact": "asker@example.com"})
    right = code_from_outbox()
    response = client.post(
        reverse("participation:verify_confirm", args=[code]),
        {"contact": "asker@example.com", "code": "000000" if right != "000000" else "111111"},
    )
    assert response.status_code == 400
    assert "验证码不正确，请检查后重新输入。" in response.content.decode()


def test_a_bad_contact_is_refused_with_a_sentence(world):
    response = world.client("anonymous").post(
        reverse("participation:verify", args=[world.project.code]), {"contact": "abc"}
    )
    assert response.status_code == 400
    assert "请填写电子邮箱或 11 位手机号码。" in response.content.decode()
    assert not mail.outbox


def test_a_question_with_a_mobile_number_in_it_is_refused(world):
    client = world.client("anonymous")
    code = world.project.code
    client.post(reverse("participation:verify", args=[code]), {"contact": "asker@example.com"})
    client.post(
        reverse("participation:verify_confirm", args=[code]),
        {"contact": "asker@example.com", "code": code_from_outbox()},
    )
    response = client.post(
        reverse("participation:ask", args=[code]),
        {"kind": "question", "body": "请回电 13812345678 谢谢"},
    )
    assert response.status_code == 400
    assert "请删去其中的身份证号码或手机号码" in response.content.decode()
    assert not Question.objects.exists()


def test_a_too_short_question_is_refused(world):
    client = world.client("anonymous")
    code = world.project.code
    client.post(reverse("participation:verify", args=[code]), {"contact": "asker@example.com"})
    client.post(
        reverse("participation:verify_confirm", args=[code]),
        {"contact": "asker@example.com", "code": code_from_outbox()},
    )
    response = client.post(
        reverse("participation:ask", args=[code]), {"kind": "question", "body": "你好"}
    )
    assert response.status_code == 400
    assert "至少 5 个字" in response.content.decode()


def test_the_verify_endpoints_accept_only_post(world):
    url = reverse("participation:verify", args=[world.project.code])
    assert_matrix(
        world,
        "get",
        url,
        dict.fromkeys(
            ["anonymous", "outsider", "unit", "developer", "other_regulator", "regulator", "admin"],
            405,
        ),
    )
    url = reverse("participation:verify_confirm", args=[world.project.code])
    assert_matrix(
        world,
        "get",
        url,
        dict.fromkeys(
            ["anonymous", "outsider", "unit", "developer", "other_regulator", "regulator", "admin"],
            405,
        ),
    )


def test_errors_are_in_english_when_english_is_chosen(world):
    response = world.client("anonymous").post(
        reverse("participation:verify", args=[world.project.code]),
        {"contact": "abc"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Enter an email address or an 11-digit mobile number." in response.content.decode()
