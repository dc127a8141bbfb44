"""The regulator's participation page: rates, overdue questions, open discrepancies, the
city's answer deadline."""

import datetime as dt

import pytest
from django.urls import reverse

from gongshi.core.testing import assert_matrix
from gongshi.participation import opendays, questions
from gongshi.participation.models import DeadlineSetting, Finding, Question
from gongshi.participation.tests.conftest import verify

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

URL = "/participation/regulator/"
MATRIX = {
    "anonymous": 302,
    "outsider": 404,
    "unit": 404,
    "developer": 404,
    "other_regulator": 200,
    "regulator": 200,
    "admin": 404,
}


def test_only_regulators_open_it(world):
    assert_matrix(world, "get", URL, MATRIX)


def test_it_shows_overdue_questions_of_its_area_only(world, calendar_2026):
    token = verify()
    question, _ = questions.ask_question(world.project, token, body="请问何时交付？")
    Question.objects.filter(pk=question.pk).update(
        asked_at=question.asked_at - dt.timedelta(days=30)
    )
    harbin = world.client("regulator").get(URL).content.decode()
    daqing = world.client("other_regulator").get(URL).content.decode()
    assert world.project.name in harbin and "逾期未答复的问题" in harbin
    assert world.project.name not in daqing


def test_it_counts_open_discrepancies_of_its_area(world, open_day, supervisor, disclosed):
    opendays.record_finding(
        open_day, supervisor, version_id=disclosed.pk, result="discrepancy", note="型号不符"
    )
    assert "型号不符" in world.client("regulator").get(URL).content.decode()
    assert "型号不符" not in world.client("other_regulator").get(URL).content.decode()
    assert Finding.objects.open_discrepancies().within(world.other_project.region).count() == 0


def test_the_city_regulator_sets_the_answer_deadline(world):
    assert_matrix(
        world,
        "post",
        URL,
        {**MATRIX, "regulator": 302, "other_regulator": 302},
        data={"working_days": "3"},
    )
    assert DeadlineSetting.objects.get(region__code="230100").working_days == 3
    assert DeadlineSetting.objects.get(region__code="230600").working_days == 3
    question, _ = questions.ask_question(world.project, verify(), body="请问何时交付？")
    assert question.deadline_working_days == 3


def test_a_deadline_out_of_range_is_refused_with_a_sentence(world):
    response = world.client("regulator").post(URL, {"working_days": "0"})
    assert response.status_code == 400
    assert "答复时限至少 1 个工作日。" in response.content.decode()
    assert not DeadlineSetting.objects.exists()


def test_the_close_link_is_offered_once_the_developer_responded(
    world, open_day, supervisor, disclosed
):
    finding = opendays.record_finding(
        open_day, supervisor, version_id=disclosed.pk, result="discrepancy", note="型号不符"
    )
    assert (
        reverse("participation:close_finding", args=[finding.pk])
        not in world.client("regulator").get(URL).content.decode()
    )
    opendays.respond(finding, world.users["developer"], "已整改。")
    assert (
        reverse("participation:close_finding", args=[finding.pk])
        in world.client("regulator").get(URL).content.decode()
    )


def test_a_hidden_question_is_not_counted_as_on_the_dashboard(world, calendar_2026):
    from django.utils import timezone

    for n, body in enumerate(["请问何时交付？", "推广：低价装修请联系"]):
        token = verify(contact=f"asker{n}@example.com")
        question, _ = questions.ask_question(world.project, token, body=body)
        Question.objects.filter(pk=question.pk).update(
            asked_at=question.asked_at - dt.timedelta(days=30)
        )
    Question.objects.filter(body__startswith="推广").update(
        hidden_at=timezone.now(), hidden_reason="广告"
    )
    response = world.client("regulator").get(URL)
    assert response.context["rates"]["total"] == 1
    assert [s.question.body for s in response.context["overdue"]] == ["请问何时交付？"]
