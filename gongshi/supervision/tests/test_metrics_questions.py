"""Area question figures computed in SQL agree with the participation app's own derivation."""

import datetime as dt

import pytest
from django.utils import timezone

from gongshi.participation.models import Question, QuestionKind, Resolution
from gongshi.participation.questions import with_deadlines
from gongshi.participation.testing import make_question
from gongshi.regions.models import Region
from gongshi.supervision.metrics import overdue_cutoff, question_figures

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

HARBIN = "230100"


def _ask(
    project,
    asked: dt.datetime,
    *,
    answered: dt.datetime | None = None,
    kind=QuestionKind.QUESTION,
    days=5,
    **extra,
):
    return make_question(
        project, asked, answered_at=answered, kind=kind, days=days,
        body="请问外墙保温材料的检测报告在哪里可以看到？", **extra,
    )  # fmt: skip


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_the_overdue_cutoff_spans_the_national_day_holiday(db):
    # Asked Monday 2026-09-28 … 5 working days land after the 10/1–10/7 holiday.
    today = dt.date(2026, 10, 12)
    cutoff = overdue_cutoff(5, today)
    from gongshi.participation.workdays import WorkingCalendar

    cal = WorkingCalendar()
    assert (
        cal.add_working_days(cutoff, 5)
        < today
        <= cal.add_working_days(cutoff + dt.timedelta(days=1), 5)
    )


def test_figures_match_the_question_by_question_derivation(world):
    today = dt.date(2026, 10, 20)
    project = world.project
    days = [dt.date(2026, 9, d) for d in (1, 10, 25, 28, 29, 30)] + [
        dt.date(2026, 10, d) for d in (8, 9, 13, 19)
    ]
    for n, day in enumerate(days):
        answered = at(day + dt.timedelta(days=3)) if n % 3 == 0 else None
        _ask(
            project,
            at(day),
            answered=answered,
            kind=QuestionKind.COMPLAINT if n % 4 == 0 else QuestionKind.QUESTION,
            resolution=Resolution.RESOLVED if n == 0 else "",
            days=5 if n % 2 else 3,
        )
    _ask(world.other_project, at(dt.date(2026, 9, 1)))  # Daqing: outside Harbin's area
    now = at(today, 12)
    expected = with_deadlines(Question.objects.filter(project=project), now=now)
    figures = question_figures(Region.objects.get(code=HARBIN), today=today)
    assert figures["asked"] == len(days)
    assert figures["overdue"] == sum(s.is_overdue for s in expected)
    assert figures["answered"] == sum(1 for n in range(len(days)) if n % 3 == 0)
    assert figures["complaints"] == sum(1 for n in range(len(days)) if n % 4 == 0)
    assert figures["resolved"] == 1
    assert 0 < figures["overdue"] < len(days)


def test_an_area_without_questions_has_zero_figures(world):
    assert question_figures(Region.objects.get(code="230200"))["overdue"] == 0


def test_hidden_questions_are_not_counted(world):
    today = dt.date(2026, 10, 20)
    _ask(world.project, at(dt.date(2026, 9, 1)))
    _ask(
        world.project,
        at(dt.date(2026, 9, 2)),
        hidden_at=at(dt.date(2026, 9, 3)),
        hidden_reason="与本项目无关的装修广告",
    )
    figures = question_figures(Region.objects.get(code=HARBIN), today=today)
    assert (figures["asked"], figures["overdue"]) == (1, 1)
