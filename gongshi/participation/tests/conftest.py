"""Fixtures of the participation tests: a controlled calendar, verified contacts, a published
disclosure, an open day with a supervisor."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from gongshi.catalogue.tests.factories import make_item, publish
from gongshi.core.testing import make_user
from gongshi.participation import opendays, questions
from gongshi.participation.models import CalendarDay
from gongshi.participation.workdays import seed_from_package

TZ = dt.timezone(dt.timedelta(hours=8))


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A moment in Beijing time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def calendar_2026(db):
    """The State Council's 2026 holidays, as chinesecalendar has them, and nothing else."""
    CalendarDay.objects.all().delete()
    seed_from_package([2026])


def code_from_outbox() -> str:
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def verify(contact: str = "asker@example.com", ip: str = "203.0.113.7", now=None) -> str:
    """Verify a contact through the real code path; returns the verification token."""
    mail.outbox.clear()
    questions.send_verification_code(contact, ip, now=now)
    return questions.confirm_code(contact, code_from_outbox(), now=now)


@pytest.fixture
def asked(world):
    """A question on the world's project, asked now; returns (question, asker_token)."""
    token = verify()
    return questions.ask_question(
        world.project, token, body="请问地下室防水用的是什么材料？", ip="203.0.113.7"
    )


@pytest.fixture
def disclosed(world):
    """A published disclosure version on the world's project."""
    item = make_item(title="预拌混凝土强度评定")
    return publish(world.project, item, world.users["developer"])


@pytest.fixture
def open_day(world):
    return opendays.schedule(
        world.project,
        world.users["developer"],
        date=timezone.localdate() + dt.timedelta(days=7),
        start_time=dt.time(9, 30),
        end_time=dt.time(11, 30),
        place="项目东门售楼处",
        stage_of_work="主体结构施工至 12 层",
        capacity=2,
        showing="钢筋绑扎、混凝土试块、防水材料进场记录",
    )


@pytest.fixture
def supervisor(world, open_day):
    """A supervisor who joined the open day through an invitation link."""
    invitation, token = opendays.invite(
        open_day, world.users["developer"], name="赵监督", kind="expert"
    )
    return opendays.accept_invitation(
        opendays.invitation_for(token), username="zhao", password="a-long-enough-password-42"
    )


@pytest.fixture
def held(open_day):
    """The open day moved into the past (it took place yesterday)."""
    open_day.date = timezone.localdate() - dt.timedelta(days=1)
    open_day.save(update_fields=["date"])
    return open_day


@pytest.fixture
def other_user(db):
    return make_user("someone")


def code_of(exc) -> str:
    """The code of a ValidationError, whether it names a field or not."""
    if hasattr(exc, "error_dict"):
        return next(e.code for errors in exc.error_dict.values() for e in errors)
    return next(e.code for e in exc.error_list)
