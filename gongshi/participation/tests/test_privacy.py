"""The asker's contact is never shown but to administrators, and each reading is recorded."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongshi.core.testing import ROLES, assert_matrix
from gongshi.integrity.models import AuditEvent
from gongshi.participation import questions
from gongshi.participation.models import Question

CONTACT = "asker@example.com"


def test_the_contact_is_in_no_public_page_or_api(world, asked):
    question, _ = asked
    questions.answer_question(question, world.users["developer"], "已安排答复。")
    code = world.project.code
    for role in ROLES:
        client = world.client(role)
        for url in [
            reverse("participation:questions", args=[code]),
            f"/api/v1/projects/{code}/questions/",
            f"/api/v1/projects/{code}/open-days/",
        ]:
            assert CONTACT not in client.get(url).content.decode(), (role, url)


def test_the_developer_does_not_see_the_contact(world, asked):
    page = world.client("developer").get(
        reverse("participation:dev_questions", args=[world.project.code])
    )
    assert page.status_code == 200 and CONTACT not in page.content.decode()


def test_the_admin_question_list_does_not_show_the_contact(world, asked):
    page = world.client("admin").get("/admin/participation/question/")
    assert page.status_code == 200 and CONTACT not in page.content.decode()
    question, _ = asked
    page = world.client("admin").get(f"/admin/participation/question/{question.pk}/change/")
    assert page.status_code == 200 and CONTACT not in page.content.decode()


def test_only_an_administrator_opens_the_question_management_page(world, asked):
    question, _ = asked
    url = reverse("participation:admin_question", args=[question.pk])
    assert_matrix(
        world,
        "get",
        url,
        {
            "anonymous": 302,
            "outsider": 404,
            "unit": 404,
            "developer": 404,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 200,
        },
    )
    assert CONTACT not in world.client("admin").get(url).content.decode()


def test_reading_the_contact_needs_a_reason_and_is_recorded(world, asked):
    question, _ = asked
    url = reverse("participation:admin_question", args=[question.pk])
    client = world.client("admin")
    refused = client.post(url, {"action": "reveal", "reason": ""})
    assert refused.status_code == 400 and CONTACT not in refused.content.decode()
    assert "请填写查看原因" in refused.content.decode()
    shown = client.post(url, {"action": "reveal", "reason": "核实恶意投诉"})
    assert shown.status_code == 200 and CONTACT in shown.content.decode()
    access = AuditEvent.objects.get(action="question.contact_viewed")
    assert access.actor == world.users["admin"] and access.details["reason"] == "核实恶意投诉"
    assert access.object_id == str(question.pk) and access.ip_address == "127.0.0.1"
    assert "核实恶意投诉" in client.get(url).content.decode()


def test_nobody_else_can_reveal_a_contact(world, asked):
    question, _ = asked
    with pytest.raises(ValidationError):
        questions.reveal_contact(question, world.users["regulator"], where="test", reason="x")
    assert not AuditEvent.objects.filter(action="question.contact_viewed").exists()


def test_questions_cannot_be_deleted(world, asked):
    question, _ = asked
    with pytest.raises(PermissionError):
        question.delete()
    assert Question.objects.filter(pk=question.pk).exists()
    page = world.client("admin").get(f"/admin/participation/question/{question.pk}/delete/")
    assert page.status_code == 403
