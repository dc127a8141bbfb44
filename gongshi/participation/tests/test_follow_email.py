"""Email following: double opt-in, mails sent by the background worker, one-click unsubscribe."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from gongshi.catalogue.tests.factories import make_item, publish
from gongshi.core.testing import ROLES, assert_matrix
from gongshi.participation import follow, questions
from gongshi.participation.models import Delivery, EmailSubscription

# The worker closes connections that are inside a transaction (as after a request), so these
# tests run outside the per-test transaction, against committed rows, like the real worker.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_worker() -> None:
    """Process every queued task once, as ``gongshi db_worker`` does."""
    call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0
    )


def _link(pattern: str) -> str:
    return re.search(pattern, mail.outbox[-1].body).group(0).replace("http://127.0.0.1:8000", "")


def test_the_follow_page_is_public(world):
    assert_matrix(
        world,
        "get",
        reverse("participation:follow", args=[world.project.code]),
        dict.fromkeys(ROLES, 200),
    )
    page = world.client("anonymous").get(reverse("participation:follow", args=[world.project.code]))
    assert f"POST /api/v1/projects/{world.project.code}/webhooks/" in page.content.decode()


def test_double_opt_in_then_mail_then_one_click_unsubscribe(
    world, django_capture_on_commit_callbacks
):
    client = world.client("anonymous")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("participation:follow", args=[world.project.code]),
            {"email": "reader@example.com"},
        )
    assert response.status_code == 200 and "确认邮件已发出" in response.content.decode()
    assert not mail.outbox  # nothing is sent in the request: the worker sends it
    run_worker()
    assert mail.outbox[-1].to == ["reader@example.com"]
    confirm = _link(r"http://\S+/participation/follow/confirm/\S+/")
    subscription = EmailSubscription.objects.get()
    assert not subscription.is_active

    # Before confirming, a publication mails nobody.
    with django_capture_on_commit_callbacks(execute=True):
        publish(world.project, make_item(title="施工许可证"), world.users["developer"])
    assert not Delivery.objects.filter(email_subscription=subscription).exists()

    assert client.get(confirm).status_code == 200
    subscription.refresh_from_db()
    assert subscription.is_active

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(world.project, make_item(title="预售许可证"), world.users["developer"])
    run_worker()
    message = mail.outbox[-1]
    assert "预售许可证" in message.subject
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = _link(r"http://\S+/participation/follow/unsubscribe/\S+/")
    assert client.get(unsubscribe).status_code == 200
    assert EmailSubscription.objects.get().is_active  # a GET (e.g. a link scanner) changes nothing
    # The mail client's one-click POST carries no CSRF token.
    from django.test import Client

    assert Client(enforce_csrf_checks=True).post(unsubscribe).status_code == 200
    assert not EmailSubscription.objects.get().is_active


def test_a_tampered_link_is_refused_with_a_sentence(world):
    response = world.client("anonymous").get("/participation/follow/confirm/abc/")
    assert response.status_code == 400 and "确认链接无效或已过期" in response.content.decode()
    response = world.client("anonymous").get("/participation/follow/unsubscribe/abc/")
    assert response.status_code == 400 and "退订链接无效" in response.content.decode()


def test_a_bad_address_is_refused(world):
    response = world.client("anonymous").post(
        reverse("participation:follow", args=[world.project.code]), {"email": "nope"}
    )
    assert response.status_code == 400 and "邮箱地址格式不对" in response.content.decode()


def test_an_answer_reaches_confirmed_followers(world, asked, django_capture_on_commit_callbacks):
    subscription = follow.subscribe_email(world.project, "reader@example.com")
    follow.confirm_subscription(follow.confirm_token(subscription))
    question, _ = asked
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        questions.answer_question(question, world.users["developer"], "十月底交付。")
    run_worker()
    assert any("答复" in m.subject for m in mail.outbox)
    assert Delivery.objects.get(email_subscription=subscription).status == "delivered"


def test_the_subscription_api_is_open_to_everyone(world):
    assert_matrix(
        world,
        "post",
        f"/api/v1/projects/{world.project.code}/subscriptions/",
        {**dict.fromkeys(ROLES, 400), "anonymous": 202},
        data={"email": "reader@example.com"},
        content_type="application/json",
    )


def test_the_asker_is_told_of_the_answer(world, asked, django_capture_on_commit_callbacks):
    question, _ = asked
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        questions.answer_question(question, world.users["developer"], "采用 SBS 改性沥青卷材。")
    run_worker()
    notices = [m for m in mail.outbox if m.to == ["asker@example.com"]]
    assert len(notices) == 1
    assert "已有答复" in notices[0].body
    assert f"/participation/p/{world.project.code}/questions/#q{question.pk}" in notices[0].body
