"""Working-day arithmetic on the holiday calendar held as data (:class:`CalendarDay`).

A day is a working day if the calendar says "adjusted working day" (调休上班), or it is
Monday–Friday and the calendar does not say "holiday". Deadlines are derived from this at
read time, so an administrator's edit to the calendar moves every open question's deadline.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongshi.core.signals import site_content_changed
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


def package_years() -> list[int]:
    """The years for which the ``chinesecalendar`` package holds the State Council's arrangement."""
    from chinese_calendar import constants

    return sorted({d.year for d in constants.holidays})


def default_seed_years() -> list[int]:
    """Every year the package knows, plus this year and next (reported when missing)."""
    this_year = timezone.localdate().year
    return sorted(set(package_years()) | {this_year, this_year + 1})


def seed_from_package(
    years: list[int] | None = None, *, only_empty_years: bool = False, using: str = "default"
) -> dict[int, int]:
    """Import the package's holidays for ``years`` (default: :func:`default_seed_years`).

    Returns rows written per year. A year the package does not know yet is logged and left
    for the administrator to enter when the State Council publishes it (0 in the result).
    """
    if years is None:
        years = default_seed_years()
    known = set(package_years())
    written: dict[int, int] = {}
    days_table = CalendarDay.objects.using(using)
    with transaction.atomic(using=using):
        filled = {d.year for d in days_table.filter(date__year__in=years).dates("date", "year")}
        for year in years:
            if only_empty_years and year in filled:
                continue
            days = package_days(year) if year in known else []
            if not days:
                logger.warning(
                    "chinesecalendar has no holiday data for %s; enter it in the admin.", year
                )
                written[year] = 0
                continue
            if year in filled:
                for day, kind, name in days:
                    days_table.update_or_create(
                        date=day, defaults={"kind": kind, "name": name, "from_package": True}
                    )
            else:  # an empty year (a fresh install): one insert, not one per day
                days_table.bulk_create(
                    CalendarDay(date=day, kind=kind, name=name, from_package=True)
                    for day, kind, name in days
                )
            written[year] = len(days)
        if any(written.values()):
            site_content_changed.send(sender=CalendarDay)  # deadlines on every project page
    forget_holiday_years()
    return written


# --- Years whose arrangement is not known yet ----------------------------------------------
# The State Council publishes next year's holidays in November or December. Until an
# administrator (or `gongshi seed_holidays`) enters them, deadlines that fall in that year are
# counted on weekends alone and are shown as provisional.

HOLIDAY_YEARS_CACHE_KEY = "gongshi:calendar:holiday-years"
# The administrators' warning (context_processors.calendar_warning) caches its years here.
MISSING_YEARS_CACHE_KEY = "gongshi:calendar:missing-years"
PROVISIONAL_DEADLINE_NOTE = _("节假日安排未公布，截止日期按周末推算，可能调整")


def holiday_years() -> frozenset[int]:
    """Years for which the calendar holds at least one public holiday; one cache get."""
    years = cache.get(HOLIDAY_YEARS_CACHE_KEY)
    if years is None:
        years = frozenset(
            d.year for d in CalendarDay.objects.filter(kind=DayKind.HOLIDAY).dates("date", "year")
        )
        cache.set(HOLIDAY_YEARS_CACHE_KEY, years, 3600)
    return years


def forget_holiday_years(**kwargs) -> None:
    """Drop the cached years (a calendar day was saved or deleted); a signal receiver too."""
    cache.delete_many([HOLIDAY_YEARS_CACHE_KEY, MISSING_YEARS_CACHE_KEY])


def is_provisional(start: dt.date, deadline: dt.date) -> bool:
    """True when a deadline counted from ``start`` crosses a year without holiday data."""
    known = holiday_years()
    return any(year not in known for year in range(start.year, deadline.year + 1))


def years_missing_holidays(now: dt.datetime | None = None) -> list[int]:
    """Years an open or a new deadline reaches into that have no holiday rows.

    Covers this year, the year a question asked today would be due in, and the year of the
    latest deadline among unanswered questions (the newest one asked, with the longest
    deadline in force, bounds them all).
    """
    from django.db.models import Max

    from gongshi.participation.models import Question

    today = timezone.localdate(now or timezone.now())
    longest = max(
        DeadlineSetting.objects.aggregate(n=Max("working_days"))["n"] or 0,
        getattr(
            settings, "GONGSHI_ANSWER_DEADLINE_WORKING_DAYS", DEFAULT_ANSWER_DEADLINE_WORKING_DAYS
        ),
    )
    cal = WorkingCalendar()
    reach = cal.add_working_days(today, longest)
    latest = Question.objects.filter(answered_at__isnull=True).aggregate(
        at=Max("asked_at"), days=Max("deadline_working_days")
    )
    if latest["at"] is not None:
        reach = max(reach, answer_deadline(latest["at"], max(longest, latest["days"]), cal))
    known = holiday_years()
    return [year for year in range(today.year, reach.year + 1) if year not in known]
