"""How long a project's online disclosure is guaranteed (guidance §5.2), derived from its dates.

Online disclosure lasts at least until six months after completion acceptance (竣工验收合格).
Warranty information is kept longer: at least until the end of the longest fixed statutory
warranty period that runs from completion acceptance — five years, for the waterproofing of
roofs, rooms with water and external walls (建设工程质量管理条例 第四十条); the foundation and
main structure are warranted for their design service life. Nothing published is ever
removed from the archive: the dates say what is *guaranteed* online, not when pages vanish.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

ONLINE_MONTHS_AFTER_COMPLETION = 6
WARRANTY_YEARS_AFTER_COMPLETION = 5


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Retention:
    completion_accepted_on: dt.date | None
    online_until: dt.date | None  # None: completion acceptance has not happened yet
    warranty_until: dt.date | None
    today: dt.date

    @property
    def online_period_ended(self) -> bool:
        return self.online_until is not None and self.today > self.online_until

    @property
    def warranty_period_ended(self) -> bool:
        return self.warranty_until is not None and self.today > self.warranty_until


def retention_for(project, today: dt.date | None = None) -> Retention:
    accepted = project.completion_accepted_on
    return Retention(
        completion_accepted_on=accepted,
        online_until=add_months(accepted, ONLINE_MONTHS_AFTER_COMPLETION) if accepted else None,
        warranty_until=add_months(accepted, 12 * WARRANTY_YEARS_AFTER_COMPLETION)
        if accepted
        else None,
        today=today or timezone.localdate(),
    )
