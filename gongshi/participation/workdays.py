"""Working-day arithmetic on the holiday calendar held as data (:class:`CalendarDay`).

A day is a working day if the calendar says "adjusted working day" (调休上班), or it is
Monday–Friday and the calendar does not say "holiday". Deadlines are derived from this at
read time, so an administrator's edit to the calendar moves every open question's deadline.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongshi.participation.models import CalendarDay, DayKind, DeadlineSetting

logger = logging.getLogger(__name__)

DEFAULT_ANSWER_DEADLINE_WORKING_DAYS = 5
# How far ahead one calendar query reaches; a longer run of days loads the next block.
BLOCK_DAYS = 120


class WorkingCalendar:
    """The calendar's exceptional days, loaded a block at a time (one query per block)."""

    def __init__(self) -> None:
        self._kinds: dict[dt.date, str] = {}
        self._loaded: list[tuple[dt.date, dt.date]] = []

    def load(self, start: dt.date, end: dt.date) -> WorkingCalendar:
        rows = CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list(
            "date", "kind"
        )
        self._kinds.update(dict(rows))
        self._loaded.append((start, end))
        return self

    def _is_loaded(self, day: dt.date) -> bool:
        return any(start <= day <= end for start, end in self._loaded)

    def is_working_day(self, day: dt.date) -> bool:
        if not self._is_loaded(day):
            self.load(day, day + dt.timedelta(days=BLOCK_DAYS))
        kind = self._kinds.get(day)
        if kind == DayKind.WORKDAY:
            return True
        if kind == DayKind.HOLIDAY:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``start`` (``start`` itself is not counted)."""
        day, counted = start, 0
        while counted < n:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count


def calendar_for(dates: list[dt.date], max_working_days: int = 30) -> WorkingCalendar:
    """A calendar preloaded (one query) for deadlines counted from any of ``dates``."""
    cal = WorkingCalendar()
    if dates:
        # 30 working days never span more than ~60 calendar days, even across Spring Festival.
        cal.load(min(dates), max(dates) + dt.timedelta(days=max_working_days * 2 + 20))
    return cal


def answer_deadline(
    asked_at: dt.datetime, working_days: int, cal: WorkingCalendar | None = None
) -> dt.date:
    """The last local date on which an answer is on time."""
    asked_on = timezone.localdate(asked_at)
    return (cal or WorkingCalendar()).add_working_days(asked_on, working_days)


def answer_deadline_working_days(region) -> int:
    """The deadline in force for a region: its own setting, else its city's, else default.

    Costs one query.
    """
    codes = {region.code, region.code[:4] + "00", region.code[:2] + "0000"}
    found = dict(
        DeadlineSetting.objects.filter(region__code__in=codes).values_list(
            "region__code", "working_days"
        )
    )
    for code in (region.code, region.code[:4] + "00", region.code[:2] + "0000"):
        if code in found:
            return found[code]
    return getattr(
        settings, "GONGSHI_ANSWER_DEADLINE_WORKING_DAYS", DEFAULT_ANSWER_DEADLINE_WORKING_DAYS
    )


def package_days(year: int) -> list[tuple[dt.date, str, str]]:
    """(date, kind, name) for a year from the ``chinesecalendar`` package; empty if unknown."""
    from chinese_calendar import constants

    days = [
        (d, DayKind.HOLIDAY.value, str(name))
        for d, name in constants.holidays.items()
        if d.year == year
    ]
    days += [
        (d, DayKind.WORKDAY.value, str(name))
        for d, name in constants.workdays.items()
        if d.year == year
    ]
    return sorted(days)


def seed_from_package(
    years: list[int] | None = None, *, only_empty_years: bool = False, using: str = "default"
) -> dict[int, int]:
    """Import the package's holidays for ``years`` (default: this year and next).

    Returns rows written per year. A year the package does not know yet is logged and left
    for the administrator to enter when the State Council publishes it.
    """
    if years is None:
        this_year = timezone.localdate().year
        years = [this_year, this_year + 1]
    written: dict[int, int] = {}
    with transaction.atomic(using=using):
        for year in years:
            existing = CalendarDay.objects.using(using).filter(date__year=year)
            if only_empty_years and existing.exists():
                continue
            days = package_days(year)
            if not days:
                logger.warning(
                    "chinesecalendar has no holiday data for %s; enter it in the admin.", year
                )
                written[year] = 0
                continue
            count = 0
            for day, kind, name in days:
                CalendarDay.objects.using(using).update_or_create(
                    date=day, defaults={"kind": kind, "name": name, "from_package": True}
                )
                count += 1
            written[year] = count
    return written
