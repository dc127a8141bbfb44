"""The reminder rules on the frozen clock (Wednesday 2026-11-25), idempotency and channels."""

import datetime as dt
import logging

import pytest
from django.core import mail

from gongshi.participation.models import Question
from gongshi.reminders.models import (
    Channel,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    ReminderDelivery,
    ReminderSent,
    Rule,
)
from gongshi.reminders.sending import send_reminders
from gongshi.reminders.tests.conftest import start_project

pytestmark = pytest.mark.usefixtures("frozen_now")


def _rules_for(user) -> set[str]:
    return set(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_members_hear_three_working_days_before_an_item_falls_due(world, now):
    # Started Friday 11-20: construction items are due Friday 11-27, two working days ahead.
    start_project(world.project, dt.date(2026, 11, 20))
    report = send_reminders(now=now)
    developer = world.users["developer"]
    notes = Notification.objects.filter(recipient=developer)
    assert _rules_for(developer) == {Rule.ITEM_DUE_SOON}
    assert report.by_rule[Rule.ITEM_DUE_SOON] == notes.count() > 0
    note = notes.first()
    assert "2026-11-27" in note.subject and world.project.name in note.subject
    assert note.link.startswith(f"/workspace/p/{world.project.code}/items/")
    # Nobody else: not the units, not the regulators, not the other developer.
    for role in ("unit", "outsider", "regulator", "other_regulator", "admin"):
        assert not Notification.objects.filter(recipient=world.users[role]).exists()


def test_no_reminder_further_ahead_than_n_working_days(world, now, settings):
    # Due Monday 11-30: Thursday, Friday, Monday = 3 working days ahead.
    start_project(world.project, dt.date(2026, 11, 23))
    settings.GONGSHI_REMIND_ITEM_WORKING_DAYS = 2
    assert send_reminders(now=now).reminders == 0
    settings.GONGSHI_REMIND_ITEM_WORKING_DAYS = 3
    assert send_reminders(now=now).by_rule[Rule.ITEM_DUE_SOON] > 0


def test_the_day_an_item_becomes_overdue_the_developer_hears_again(world, now):
    start_project(world.project, dt.date(2026, 11, 17))  # due Tuesday 11-24, overdue today
    send_reminders(now=now)
    assert _rules_for(world.users["developer"]) == {Rule.ITEM_OVERDUE}
    assert not Notification.objects.filter(recipient=world.users["regulator"]).exists()


def test_regulators_of_the_area_get_items_overdue_more_than_m_working_days(world, now):
    start_project(world.project, dt.date(2026, 11, 9))  # due 11-16: 7 working days ago
    send_reminders(now=now)
    regulator = world.users["regulator"]
    assert _rules_for(regulator) == {Rule.ITEM_ESCALATED}
    note = Notification.objects.filter(recipient=regulator).first()
    assert note.subject.startswith("督办") and note.link == f"/supervision/p/{world.project.code}/"
    # The Daqing regulator does not supervise Harbin; the developer was told on the day.
    assert not Notification.objects.filter(recipient=world.users["other_regulator"]).exists()
    assert not Notification.objects.filter(recipient=world.users["developer"]).exists()


def test_escalation_waits_m_working_days(world, now, settings):
    start_project(world.project, dt.date(2026, 11, 9))  # 7 working days overdue
    settings.GONGSHI_ESCALATE_AFTER_WORKING_DAYS = 7
    send_reminders(now=now)
    assert _rules_for(world.users["regulator"]) == set()
    assert _rules_for(world.users["developer"]) == {Rule.ITEM_OVERDUE}


def _question(world, asked_at, contact="asker@example.com", kind="email"):
    return Question.objects.create(
        project=world.project,
        body="何时交房？请说明具体日期。",
        contact=contact,
        contact_kind=kind,
        deadline_working_days=5,
        asker_token_hash=f"{asked_at:%Y%m%d}".ljust(64, "x"),
        asked_at=asked_at,
    )


def test_developer_and_asker_hear_before_an_answer_deadline(world, now):
    # Asked Friday 11-20: 5 working days → Friday 11-27, two working days ahead (K = 2).
    question = _question(world, now - dt.timedelta(days=5))
    _question(world, now - dt.timedelta(days=2))  # Monday 11-23: due 11-30, 3 days ahead
    report = send_reminders(now=now)
    assert report.by_rule == {Rule.QUESTION_DEADLINE: 2}
    note = Notification.objects.get(recipient=world.users["developer"])
    assert note.kind == Rule.QUESTION_DEADLINE and "2026-11-27" in note.subject
    assert note.link == f"/participation/workspace/p/{world.project.code}/questions/"
    asker = ReminderSent.objects.get(recipient_key=f"asker:{question.pk}")
    assert asker.recipient is None and asker.notification is None
    [message] = mail.outbox  # the developer has no email address; the asker gets one mail
    assert message.to == ["asker@example.com"] and "2026-11-27" in message.body
    assert f"#q{question.pk}" in message.body
    delivery = asker.deliveries.get()
    assert delivery.status == DeliveryStatus.DELIVERED
    # The contact stays with the question (encrypted, erased on time): here only masked.
    assert delivery.address == "a***@example.com"


def test_an_erased_asker_contact_is_not_written_to(world, now, settings):
    settings.GONGSHI_SMS_BACKEND = "gongshi.reminders.tests.test_rules.FailingGateway"
    FailingGateway.calls = 0
    question = _question(world, now - dt.timedelta(days=5), contact="13812345678", kind="mobile")
    send_reminders(now=now)  # the first text fails
    Question.objects.filter(pk=question.pk).update(contact="")
    send_reminders(now=now + dt.timedelta(hours=1))
    delivery = ReminderDelivery.objects.get()
    assert delivery.status == DeliveryStatus.GAVE_UP and FailingGateway.calls == 1


def test_an_answered_question_reminds_nobody(world, now):
    question = _question(world, now - dt.timedelta(days=5))
    Question.objects.filter(pk=question.pk).update(answer="下月交房。", answered_at=now)
    assert send_reminders(now=now).reminders == 0


def test_askers_are_left_alone_when_the_platform_says_so(world, now, settings):
    settings.GONGSHI_REMIND_ASKERS = False
    _question(world, now - dt.timedelta(days=5))
    assert send_reminders(now=now).reminders == 1
    assert not ReminderSent.objects.filter(recipient_key__startswith="asker:").exists()


def test_running_twice_sends_nothing_new(world, now):
    start_project(world.project, dt.date(2026, 11, 20))
    world.users["developer"].email = "dev@example.com"
    world.users["developer"].save()
    _question(world, now - dt.timedelta(days=5))
    first = send_reminders(now=now)
    counts = (Notification.objects.count(), ReminderSent.objects.count(), len(mail.outbox))
    second = send_reminders(now=now + dt.timedelta(hours=1))
    assert first.reminders > 0 and second.reminders == 0 and second.delivered == 0
    assert (Notification.objects.count(), ReminderSent.objects.count(), len(mail.outbox)) == counts


def test_a_new_due_date_is_a_new_reminder(world, now):
    start_project(world.project, dt.date(2026, 11, 20))
    first = send_reminders(now=now).reminders
    start_project(world.project, dt.date(2026, 11, 19))  # the stage date corrected
    assert send_reminders(now=now).reminders == first


def test_channels_follow_the_users_choice(world, now, caplog):
    developer = world.users["developer"]
    developer.email = "dev@example.com"
    developer.save()
    NotificationPreference.objects.create(
        user=developer, email=False, sms=True, mobile="13812345678"
    )
    start_project(world.project, dt.date(2026, 11, 20))
    with caplog.at_level(logging.INFO, logger="gongshi.sms"):
        send_reminders(now=now)
    assert mail.outbox == []  # email turned off
    channels = set(ReminderDelivery.objects.values_list("channel", flat=True))
    assert channels == {Channel.SMS}
    assert "SMS to 13812345678" in caplog.text and "2026-11-27" in caplog.text
    # Every reminder is in the app too, whatever the choice.
    assert Notification.objects.filter(recipient=developer).count() == ReminderSent.objects.count()


def test_email_is_the_default_for_a_user_with_an_address(world, now):
    developer = world.users["developer"]
    developer.email = "dev@example.com"
    developer.save()
    start_project(world.project, dt.date(2026, 11, 20))
    send_reminders(now=now)
    assert mail.outbox and all(m.to == ["dev@example.com"] for m in mail.outbox)
    assert "/workspace/p/" in mail.outbox[0].body


class FailingGateway:
    calls = 0

    def send(self, mobile, message):
        from gongshi.participation.sms import SmsError

        FailingGateway.calls += 1
        if FailingGateway.calls == 1:
            raise SmsError("gateway down")


def test_a_failed_text_is_retried_at_a_later_run(world, now, settings):
    settings.GONGSHI_SMS_BACKEND = "gongshi.reminders.tests.test_rules.FailingGateway"
    FailingGateway.calls = 0
    _question(world, now - dt.timedelta(days=5), contact="13812345678", kind="mobile")
    first = send_reminders(now=now)
    delivery = ReminderDelivery.objects.get()
    assert first.failed == 1 and delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 1 and "gateway down" in delivery.last_error
    assert send_reminders(now=now).failed == 0  # not due yet: nothing tried
    second = send_reminders(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert second.delivered == 1 and delivery.status == DeliveryStatus.DELIVERED
    assert ReminderSent.objects.filter(recipient_key__startswith="asker:").count() == 1


def test_the_command_runs_under_its_lock(world, now):
    from io import StringIO

    from django.core.management import call_command

    start_project(world.project, dt.date(2026, 11, 20))
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "新提醒" in out.getvalue()
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "新提醒 0 条" in out.getvalue()


def test_each_recipient_reads_the_reminder_in_their_language(world, now):
    developer = world.users["developer"]
    developer.preferred_language = "en"
    developer.save()
    start_project(world.project, dt.date(2026, 11, 20))
    send_reminders(now=now)
    note = Notification.objects.filter(recipient=developer).first()
    assert "falls due on 2026-11-27" in note.subject


def test_a_run_costs_the_same_queries_for_more_projects(world, now, django_assert_max_num_queries):
    from gongshi.core.testing import make_project

    start_project(world.project, dt.date(2026, 11, 20))
    send_reminders(now=now)
    with django_assert_max_num_queries(40) as few:
        send_reminders(now=now)
    for n in range(5):
        other = make_project(world.project.developer, name=f"批量项目{n}")
        start_project(other, dt.date(2026, 11, 20 - n))
    send_reminders(now=now)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert send_reminders(now=now).reminders == 0
