"""``gongshi seed_demo`` as ``make run`` runs it: committed, so every on-commit hook runs.

The module's other tests seed inside a transaction that is rolled back, where the hooks that
run after a commit (follow events, checkpoints) never fire; this one catches what breaks there.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from gongshi.demo.tests.conftest import TEST_LOG_SIGNING_KEY

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_command_seeds_and_commits_with_every_hook(settings, tmp_path, capsys):
    from django.utils import timezone

    from gongshi.disclosures import tallies
    from gongshi.integrity.models import Checkpoint
    from gongshi.participation.models import Event, EventKind

    settings.MEDIA_ROOT = tmp_path
    settings.GONGSHI_LOG_SIGNING_KEY = TEST_LOG_SIGNING_KEY
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "gongshi-demo" in out and "开放数据包已生成" in out
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {EventKind.DISCLOSURE_PUBLISHED, EventKind.DISCLOSURE_INAPPLICABLE} <= kinds
    assert Checkpoint.objects.exists()
    assert tallies.differences() == []
    _assert_alive_on(timezone.localdate())


def _assert_alive_on(today) -> None:
    """The demo's timeline ends at ``today``: nothing in the future that should be past, and
    the things a visitor expects to find on a live platform are there."""
    import datetime as dt

    from django.db.models import Max, Q

    from gongshi.disclosures.models import Disclosure, DisclosureVersion
    from gongshi.participation.models import OpenDay, Question
    from gongshi.participation.questions import with_deadlines
    from gongshi.projects.models import Project

    assert not DisclosureVersion.objects.filter(information_date__gt=today).exists()
    latest = Disclosure.objects.aggregate(at=Max("last_published_at"))["at"]
    assert today - dt.timedelta(days=45) <= latest.date() <= today
    assert not Project.objects.filter(
        Q(started_on__gt=today) | Q(completion_accepted_on__gt=today) | Q(handed_over_on__gt=today)
    ).exists()
    assert OpenDay.objects.filter(date__gt=today).exists(), "an open day to sign up for"
    assert OpenDay.objects.filter(date__lt=today).exists(), "an open day that took place"
    states = with_deadlines(Question.objects.filter(answered_at__isnull=True, hidden_at=None))
    assert any(s.is_overdue for s in states), "an overdue question for the regulator"
    assert any(not s.is_overdue for s in states), "a question still within its deadline"


@pytest.mark.one_database  # the demo's dates are worked out in Python; the test above seeds on both
def test_a_demo_seeded_in_2028_is_as_alive_as_one_seeded_today(settings, tmp_path):
    """`make run` in a year the holiday package does not know yet still seeds a live demo."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine
    from django.utils import timezone

    settings.MEDIA_ROOT = tmp_path
    settings.GONGSHI_LOG_SIGNING_KEY = TEST_LOG_SIGNING_KEY
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with time_machine.travel(dt.datetime(2028, 3, 15, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))):
        call_command("seed_demo", stdout=StringIO())
        today = timezone.localdate()
        assert today == dt.date(2028, 3, 15)
        _assert_alive_on(today)
