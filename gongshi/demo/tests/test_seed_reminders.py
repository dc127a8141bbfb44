"""seed_demo leaves an item falling due tomorrow and notifications for the demo developer."""

from django.utils import timezone

from gongshi.accounts.models import User
from gongshi.demo.reminders import DUE_TOMORROW_PROJECT, seed_reminders
from gongshi.demo.tests.conftest import SEED_NOW
from gongshi.participation.workdays import WorkingCalendar
from gongshi.reminders.models import Notification, ReminderSent, Rule


def test_an_item_falls_due_tomorrow_and_the_developer_was_reminded(demo):
    tomorrow = WorkingCalendar().add_working_days(timezone.localdate(SEED_NOW), 1)
    due = ReminderSent.objects.filter(
        project__code=DUE_TOMORROW_PROJECT, rule=Rule.ITEM_DUE_SOON, due_on=tomorrow
    )
    assert due.exists()
    developer = User.objects.get(username="demo-hongtai")
    notes = Notification.objects.filter(recipient=developer)
    assert notes.filter(kind=Rule.ITEM_DUE_SOON, subject__contains=tomorrow.isoformat()).exists()
    assert 3 <= notes.count() <= 200 and notes.filter(read_at__isnull=True).count() == notes.count()
    assert demo.reminders == ReminderSent.objects.count()


def test_regulators_see_escalations_in_the_demo(demo):
    regulator = User.objects.get(username="demo-harbin")
    assert Notification.objects.filter(recipient=regulator, kind=Rule.ITEM_ESCALATED).exists()


def test_seeding_reminders_again_sends_nothing(demo):
    developer = User.objects.get(username="demo-hongtai")
    before = ReminderSent.objects.count()
    assert seed_reminders(SEED_NOW, developer) == 0
    assert ReminderSent.objects.count() == before
