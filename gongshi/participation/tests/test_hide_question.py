"""An administrator hides a question with a reason; a placeholder with the reason stays."""

from django.urls import reverse

from gongshi.participation.models import Question


def test_a_hidden_question_leaves_a_placeholder_with_the_reason(world, asked):
    question, _ = asked
    response = world.client("admin").post(
        reverse("participation:admin_question", args=[question.pk]),
        {"action": "hide", "reason": "含有对他人的人身攻击"},
    )
    assert response.status_code == 302
    page = world.client("anonymous").get(
        reverse("participation:questions", args=[world.project.code])
    )
    text = page.content.decode()
    assert "已被平台管理员屏蔽" in text and "含有对他人的人身攻击" in text
    assert question.body not in text
    api = world.client("anonymous").get(f"/api/v1/projects/{world.project.code}/questions/").json()
    assert api["count"] == 1
    assert api["results"][0]["hidden"] is True and api["results"][0]["body"] is None
    assert api["results"][0]["hidden_reason"] == "含有对他人的人身攻击"


def test_hiding_needs_a_reason(world, asked):
    question, _ = asked
    response = world.client("admin").post(
        reverse("participation:admin_question", args=[question.pk]),
        {"action": "hide", "reason": ""},
    )
    assert response.status_code == 400
    assert "请填写屏蔽原因" in response.content.decode()
    assert Question.objects.get().hidden_at is None


def test_only_an_administrator_hides(world, asked):
    question, _ = asked
    for role in ["developer", "regulator"]:
        response = world.client(role).post(
            reverse("participation:admin_question", args=[question.pk]),
            {"action": "hide", "reason": "不想看到"},
        )
        assert response.status_code == 404
    assert Question.objects.get().hidden_at is None
