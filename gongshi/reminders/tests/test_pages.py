"""/notifications/, marking read, the channel choices and the developer's reminder history."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gongshi.core.testing import assert_matrix
from gongshi.reminders.models import Notification, NotificationPreference, ReminderSent
from gongshi.reminders.sending import send_reminders
from gongshi.reminders.tests.conftest import start_project

pytestmark = pytest.mark.usefixtures("frozen_now")


def _note(user, subject="“测试花园一期”的公示事项将于 2026-11-27 到期，请及时公示。"):
    return Notification.objects.create(
        recipient=user,
        kind="item_due_soon",
        subject=subject,
        link="/workspace/",
        created_at=timezone.now(),
    )


def test_the_header_counts_unread_notifications(world):
    client = world.client("developer")
    assert "条未读" not in client.get("/workspace/").content.decode()
    _note(world.users["developer"])
    _note(world.users["developer"])
    page = client.get("/workspace/").content.decode()
    assert "2 条未读" in page and 'href="/notifications/"' in page
    assert "条未读" not in world.client("regulator").get("/").content.decode()


def test_the_list_marks_one_and_all_read(world):
    developer = world.users["developer"]
    first, second = _note(developer, "第一条提醒"), _note(developer, "第二条提醒")
    client = world.client("developer")
    page = client.get("/notifications/").content.decode()
    assert "第一条提醒" in page and "第二条提醒" in page and "全部标为已读" in page
    response = client.post(reverse("reminders:mark_read", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_read and not second.is_read
    # "查看" marks read and opens the link.
    response = client.post(reverse("reminders:mark_read", args=[second.pk]), {"open": "1"})
    assert response["Location"] == "/workspace/"
    third = _note(developer, "第三条提醒")
    client.post(reverse("reminders:mark_all_read"))
    third.refresh_from_db()
    assert third.is_read
    assert "条未读" not in client.get("/notifications/").content.decode()


def test_nobody_reads_or_marks_another_users_notification(world):
    note = _note(world.users["developer"], "只给建设单位的提醒")
    for role in ("outsider", "unit", "regulator", "admin"):
        client = world.client(role)
        assert "只给建设单位的提醒" not in client.get("/notifications/").content.decode()
        assert client.post(reverse("reminders:mark_read", args=[note.pk])).status_code == 404
        client.post(reverse("reminders:mark_all_read"))
    note.refresh_from_db()
    assert not note.is_read


def test_marking_needs_post_and_csrf(world):
    from django.test import Client

    from gongshi.core.testing import login_client

    note = _note(world.users["developer"])
    client = login_client(Client(enforce_csrf_checks=True), world.users["developer"])
    assert client.get(reverse("reminders:mark_read", args=[note.pk])).status_code == 405
    assert client.post(reverse("reminders:mark_read", args=[note.pk])).status_code == 403
    note.refresh_from_db()
    assert not note.is_read


def test_preferences_save_and_validate(world):
    developer = world.users["developer"]
    client = world.client("developer")
    import re

    def email_box(page):
        return re.search(r'<input type="checkbox" name="email"[^>]*>', page).group(0)

    page = client.get("/notifications/preferences/").content.decode()
    assert "checked" not in email_box(page)  # no address: email is not ticked
    developer.email = "dev@example.com"
    developer.save()
    page = client.get("/notifications/preferences/").content.decode()
    assert "dev@example.com" in page and "checked" in email_box(page)
    developer.email = ""
    developer.save()
    response = client.post("/notifications/preferences/", {"sms": "on", "mobile": ""})
    assert response.status_code == 400
    assert "选择短信通知须填写手机号码。" in response.content.decode()
    response = client.post("/notifications/preferences/", {"sms": "on", "mobile": "12345"})
    assert "请填写 11 位手机号码" in response.content.decode()
    response = client.post("/notifications/preferences/", {"email": "on"})
    assert "没有登记电子邮箱" in response.content.decode()
    assert not NotificationPreference.objects.exists()  # nothing saved half-way
    response = client.post("/notifications/preferences/", {"sms": "on", "mobile": "138 1234 5678"})
    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=developer)
    assert (pref.email, pref.sms, pref.mobile) == (False, True, "13812345678")


def test_the_developer_sees_what_was_sent_to_whom_when_and_how(world, frozen_now):
    from gongshi.participation.models import Question

    developer = world.users["developer"]
    developer.email = "dev@example.com"
    developer.save()
    start_project(world.project, dt.date(2026, 11, 20))
    Question.objects.create(
        project=world.project,
        body="何时交房？请说明。",
        contact="13812345678",
        contact_kind="mobile",
        deadline_working_days=5,
        asker_token_hash="q" * 64,
        asked_at=timezone.now() - dt.timedelta(days=5),
    )
    send_reminders()
    page = world.client("developer").get("/workspace/reminders/").content.decode()
    assert "developer" in page and "提问人（138****5678）" in page
    assert "13812345678" not in page  # the asker's contact stays hidden
    assert "站内通知" in page and "电子邮件 · 已送达" in page and "短信 · 已送达" in page
    own = world.client("developer").get("/notifications/").content.decode()
    assert "发给我的提醒" in own and "电子邮件 · 已送达" in own
    # Another developer sees none of it.
    other = world.client("outsider").get("/workspace/reminders/").content.decode()
    assert "还没有发送过提醒" in other
    assert ReminderSent.objects.exists()


def test_page_queries_do_not_grow_with_notifications(world, django_assert_max_num_queries):
    from gongshi.participation.models import Question

    developer = world.users["developer"]
    client = world.client("developer")
    Question.objects.create(
        project=world.project,
        body="何时交房？请说明。",
        contact="asker@example.com",
        contact_kind="email",
        deadline_working_days=5,
        asker_token_hash="q" * 64,
        asked_at=timezone.now() - dt.timedelta(days=5),
    )
    send_reminders()  # one reminder to the developer, one to the asker
    client.get("/notifications/")
    with django_assert_max_num_queries(16) as few:
        client.get("/notifications/")
        client.get("/workspace/reminders/")
    for n in range(30):
        _note(developer, f"提醒 {n}")
    start_project(world.project, dt.date(2026, 11, 20))
    assert send_reminders().reminders > 5
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/notifications/")
        client.get("/workspace/reminders/")


def test_permission_matrix(world):
    note = _note(world.users["developer"])
    signed_in = {
        "outsider": 200,
        "unit": 200,
        "developer": 200,
        "other_regulator": 200,
        "regulator": 200,
        "admin": 200,
    }
    assert_matrix(world, "get", "/notifications/", {"anonymous": 302, **signed_in})
    assert_matrix(world, "get", "/notifications/preferences/", {"anonymous": 302, **signed_in})
    assert_matrix(
        world,
        "get",
        "/workspace/reminders/",
        {
            "anonymous": 302,
            "outsider": 200,  # another developer: its own (empty) history
            "unit": 404,
            "developer": 200,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 404,
        },
    )
    # Someone else's notification does not exist for them; the recipient marks it.
    assert_matrix(
        world,
        "post",
        f"/notifications/{note.pk}/read/",
        {
            "anonymous": 302,
            "outsider": 404,
            "unit": 404,
            "developer": 302,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 404,
        },
    )
    assert_matrix(
        world,
        "post",
        "/notifications/preferences/",
        {"anonymous": 302, **dict.fromkeys(signed_in, 302)},
        data={"mobile": ""},
    )
    signed_in_post = dict.fromkeys(signed_in, 302)
    assert_matrix(world, "post", "/notifications/read-all/", {"anonymous": 302, **signed_in_post})


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_workspace_links_to_the_reminder_history(world):
    assert (
        'href="/workspace/reminders/"'
        in world.client("developer").get("/workspace/").content.decode()
    )
    assert (
        'href="/workspace/reminders/"'
        not in world.client("unit").get("/workspace/").content.decode()
    )


def test_staff_read_the_history_in_the_admin(world):
    start_project(world.project, dt.date(2026, 11, 20))
    send_reminders()
    reminder = ReminderSent.objects.first()
    admin = world.client("admin")
    page = admin.get("/admin/reminders/remindersent/").content.decode()
    assert world.project.name in page
    assert admin.get(f"/admin/reminders/remindersent/{reminder.pk}/change/").status_code == 200
    assert admin.get("/admin/reminders/remindersent/add/").status_code == 403
    assert world.client("developer").get("/admin/reminders/remindersent/").status_code == 302
