"""The asker says whether the answer resolved the question: answered ≠ resolved."""

from django.urls import reverse
from rest_framework.test import APIClient

from gongshi.core.testing import ROLES, assert_matrix
from gongshi.participation import questions


def test_the_private_link_works_for_anyone_who_holds_it_and_404s_otherwise(world, asked):
    _question, token = asked
    assert_matrix(
        world, "get", reverse("participation:asker", args=[token]), dict.fromkeys(ROLES, 200)
    )
    assert_matrix(
        world, "get", reverse("participation:asker", args=["guess"]), dict.fromkeys(ROLES, 404)
    )


def test_it_cannot_be_rated_before_an_answer(world, asked):
    _question, token = asked
    response = world.client("anonymous").post(
        reverse("participation:asker", args=[token]), {"resolved": "yes"}
    )
    assert response.status_code == 400
    assert "答复后才能评价" in response.content.decode()


def test_the_asker_marks_an_answer_not_resolving(world, asked):
    question, token = asked
    questions.answer_question(question, world.users["developer"], "请咨询售楼处。")
    response = world.client("anonymous").post(
        reverse("participation:asker", args=[token]), {"resolved": "no"}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.is_answered and question.resolution == "not_resolved"
    rates = questions.rates(type(question).objects.all())
    assert rates["answered"] == 1 and rates["resolved"] == 0
    assert rates["answer_rate"] == 1.0 and rates["resolve_rate"] == 0.0


def test_the_asker_marks_resolved_through_the_api(world, asked):
    question, token = asked
    questions.answer_question(question, world.users["developer"], "防水卷材为 SBS 改性沥青。")
    response = APIClient().post(
        "/api/v1/questions/resolution/", {"asker_token": token, "resolved": True}, format="json"
    )
    assert response.status_code == 200 and response.json()["resolution"] == "resolved"
    bad = APIClient().post(
        "/api/v1/questions/resolution/", {"asker_token": "x", "resolved": True}, format="json"
    )
    assert bad.status_code == 404


def test_the_resolution_api_matrix(world, asked):
    question, token = asked
    questions.answer_question(question, world.users["developer"], "已答复。")
    assert_matrix(
        world,
        "post",
        "/api/v1/questions/resolution/",
        dict.fromkeys(ROLES, 200),
        data={"asker_token": token, "resolved": True},
        content_type="application/json",
    )
