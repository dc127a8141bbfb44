"""Working-day deadlines on the holiday calendar held as data."""

import datetime as dt

import pytest
from django.core.management import call_command

from gongshi.participation import questions
from gongshi.participation.models import CalendarDay, DayKind, DeadlineSetting
from gongshi.participation.tests.conftest import at, verify
from gongshi.participation.workdays import (
    WorkingCalendar,
    answer_deadline,
    answer_deadline_working_days,
    package_days,
    package_years,
)
from gongshi.regions.models import Region

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


def test_it_counts_five_working_days_across_national_day_with_the_adjusted_saturday(calendar_2026):
    # Asked on Wednesday 30 September, the day before the holiday (1–7 October).
    # Working days after it: Thu 8, Fri 9, Sat 10 (调休上班), Mon 12, Tue 13.
    assert answer_deadline(at(2026, 9, 30, 16), 5) == dt.date(2026, 10, 13)


def test_it_counts_the_adjusted_sunday_before_national_day(calendar_2026):
    # Friday 18 September: Sun 20 is a working day (调休), so day 1 is Sunday 20.
    cal = WorkingCalendar()
    assert cal.is_working_day(dt.date(2026, 9, 20))
    assert cal.add_working_days(dt.date(2026, 9, 18), 1) == dt.date(2026, 9, 20)


def test_it_does_not_count_the_day_of_asking(calendar_2026):
    assert answer_deadline(at(2026, 11, 2, 9), 1) == dt.date(2026, 11, 3)


def test_it_uses_the_local_date_of_the_question(calendar_2026):
    # 23:30 in Beijing on Friday 6 November is still Friday locally (15:30 UTC).
    asked = dt.datetime(2026, 11, 6, 15, 30, tzinfo=dt.UTC)
    assert answer_deadline(asked, 1) == dt.date(2026, 11, 9)


def test_without_calendar_rows_weekends_are_the_only_rest_days(db):
    CalendarDay.objects.all().delete()
    assert answer_deadline(at(2026, 9, 30), 5) == dt.date(2026, 10, 7)


def test_editing_the_calendar_moves_the_deadline_of_an_open_question(world, calendar_2026):
    token = verify(now=at(2026, 9, 30, 15))
    question, _ = questions.ask_question(
        world.project, token, body="开放日什么时候举办？", now=at(2026, 9, 30, 16)
    )
    before = questions.with_deadlines([question], now=at(2026, 10, 9))[0]
    assert before.deadline == dt.date(2026, 10, 13)
    # The administrator learns that Saturday 10 October is not a working day after all.
    CalendarDay.objects.filter(date=dt.date(2026, 10, 10)).delete()
    after = questions.with_deadlines([question], now=at(2026, 10, 9))[0]
    assert after.deadline == dt.date(2026, 10, 14)
    # And declares Thursday 8 October a holiday too.
    CalendarDay.objects.create(date=dt.date(2026, 10, 8), kind=DayKind.HOLIDAY, name="测试")
    assert questions.with_deadlines([question])[0].deadline == dt.date(2026, 10, 15)


def test_overdue_is_derived_from_the_clock_not_stored(world, calendar_2026):
    token = verify(now=at(2026, 9, 30, 15))
    question, _ = questions.ask_question(
        world.project, token, body="开放日什么时候举办？", now=at(2026, 9, 30, 16)
    )
    on_deadline = questions.with_deadlines([question], now=at(2026, 10, 13, 23, 59))[0]
    assert not on_deadline.is_overdue and on_deadline.status == "waiting"
    day_after = questions.with_deadlines([question], now=at(2026, 10, 14, 0, 1))[0]
    assert day_after.is_overdue and day_after.status == "overdue"


def test_an_answer_after_the_deadline_is_answered_late(world, calendar_2026):
    token = verify(now=at(2026, 9, 30, 15))
    question, _ = questions.ask_question(
        world.project, token, body="开放日什么时候举办？", now=at(2026, 9, 30, 16)
    )
    questions.answer_question(
        question, world.users["developer"], "十月底举办。", now=at(2026, 10, 14, 9)
    )
    state = questions.with_deadlines([question], now=at(2026, 10, 20))[0]
    assert not state.is_overdue
    assert state.answered_late and state.status == "answered_late"


def test_a_city_setting_applies_to_its_districts(world):
    harbin = Region.objects.get(code="230100")
    assert answer_deadline_working_days(world.project.region) == 5
    DeadlineSetting.objects.create(region=harbin, working_days=3)
    assert answer_deadline_working_days(world.project.region) == 3
    assert answer_deadline_working_days(world.other_project.region) == 5


def test_a_question_keeps_the_deadline_in_force_when_it_was_asked(world):
    harbin = Region.objects.get(code="230100")
    DeadlineSetting.objects.create(region=harbin, working_days=3)
    question, _ = questions.ask_question(world.project, verify(), body="请问何时交付？")
    DeadlineSetting.objects.filter(region=harbin).update(working_days=10)
    question.refresh_from_db()
    assert question.deadline_working_days == 3


def test_the_package_knows_2026_national_day():
    days = {d: kind for d, kind, _ in package_days(2026)}
    assert days[dt.date(2026, 10, 1)] == DayKind.HOLIDAY
    assert days[dt.date(2026, 10, 10)] == DayKind.WORKDAY


def test_the_seed_command_fills_a_year_and_keeps_edits_when_asked(db, capsys):
    CalendarDay.objects.all().delete()
    call_command("seed_holidays", "2026")
    assert CalendarDay.objects.filter(date__year=2026, kind=DayKind.WORKDAY).count() == 6
    CalendarDay.objects.filter(date=dt.date(2026, 10, 10)).delete()
    call_command("seed_holidays", "2026", "--keep-edits")
    assert not CalendarDay.objects.filter(date=dt.date(2026, 10, 10)).exists()
    call_command("seed_holidays", "2026")
    assert CalendarDay.objects.filter(date=dt.date(2026, 10, 10)).exists()


def test_the_seed_command_says_when_the_package_lacks_a_year(db, capsys):
    call_command("seed_holidays", "2099")
    assert "2099" in capsys.readouterr().out
    assert not CalendarDay.objects.filter(date__year=2099).exists()


def test_migrations_seed_every_year_the_package_knows(db):
    # Every year, not only the current one: a suite (or a server) whose clock runs in a year the
    # package does not know yet still counts 2026's National Day right.
    seeded = {d.year for d in CalendarDay.objects.dates("date", "year")}
    assert set(package_years()) <= seeded
    assert {2024, 2025, 2026} <= seeded
