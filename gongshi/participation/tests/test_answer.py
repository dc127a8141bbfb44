"""Only members of the project's developer answer; an answer stands once given."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from gongshi.core.testing import ROLES, assert_matrix
from gongshi.participation import questions
from gongshi.participation.models import Event


def test_only_the_developer_sees_the_answering_page(world, asked):
    url = reverse("participation:dev_questions", args=[world.project.code])
    assert_matrix(
        world,
        "get",
        url,
        {
            "anonymous": 302,
            "outsider": 404,
            "unit": 404,
            "developer": 200,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 404,
        },
    )


def test_only_the_developer_may_answer(world, asked):
    question, _ = asked
    url = reverse("participation:dev_answer", args=[question.pk])
    assert_matrix(
        world,
        "post",
        url,
        {
            "anonymous": 302,
            "outsider": 404,
            "unit": 404,
            "developer": 302,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 404,
        },
        data={"answer": "采用 SBS 改性沥青防水卷材，报告见材料公示。"},
    )
    question.refresh_from_db()
    assert question.answered_by == world.users["developer"]


def test_the_answer_api_matrix(world, asked):
    question, _ = asked
    url = f"/api/v1/questions/{question.pk}/answer/"
    assert_matrix(
        world,
        "post",
        url,
        {
            "anonymous": 401,
            "outsider": 404,
            "unit": 404,
            "developer": 200,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 404,
        },
        data={"answer": "采用 SBS 改性沥青防水卷材。"},
        content_type="application/json",
    )


def test_an_answer_cannot_be_changed(world, asked):
    question, _ = asked
    questions.answer_question(question, world.users["developer"], "第一次答复。")
    with pytest.raises(ValidationError) as excinfo:
        questions.answer_question(question, world.users["developer"], "改一下。")
    assert "不能修改" in excinfo.value.messages[0]


def test_an_empty_answer_is_refused_with_a_sentence(world, asked):
    question, _ = asked
    client = world.client("developer")
    response = client.post(reverse("participation:dev_answer", args=[question.pk]), {"answer": " "})
    assert response.status_code == 400
    assert "请填写答复内容。" in response.content.decode()


def test_an_answer_tells_the_followers(world, asked):
    question, _ = asked
    questions.answer_question(question, world.users["developer"], "十月底交付。")
    assert Event.objects.filter(kind="question.answered", project=world.project).exists()


def test_the_public_page_shows_the_answer(world, asked):
    question, _ = asked
    questions.answer_question(question, world.users["developer"], "采用 SBS 改性沥青防水卷材。")
    page = world.client("anonymous").get(
        reverse("participation:questions", args=[world.project.code])
    )
    text = page.content.decode()
    assert "采用 SBS 改性沥青防水卷材。" in text and "已答复" in text


def test_the_question_list_is_public(world, asked):
    url = reverse("participation:questions", args=[world.project.code])
    assert_matrix(world, "get", url, dict.fromkeys(ROLES, 200))


def test_the_api_answers_400_with_the_reason_on_a_second_answer(world, asked):
    question, _ = asked
    client = APIClient()
    client.force_authenticate(world.users["developer"])
    url = f"/api/v1/questions/{question.pk}/answer/"
    assert client.post(url, {"answer": "第一次。"}, format="json").status_code == 200
    response = client.post(url, {"answer": "第二次。"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "already_answered"
