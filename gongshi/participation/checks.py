"""`gongshi check`: warn when the holiday calendar has no arrangement for a year that deadlines
reach into (the State Council publishes next year's only in November or December)."""

from __future__ import annotations

from django.core.checks import Warning as CheckWarning
from django.db import DatabaseError
from django.utils.translation import gettext as _


def missing_holiday_years_message(years: list[int]) -> str:
    from gongshi.participation.workdays import package_years

    known = set(package_years())
    in_package = [y for y in years if y in known]
    text = _("节假日安排缺少 %(years)s 年：这些年份的答复期限只按周末推算，公开页面标为暂定。") % {
        "years": "、".join(str(y) for y in years)
    }
    if in_package:
        text += _("运行 gongshi seed_holidays %(years)s 导入；") % {
            "years": " ".join(map(str, in_package))
        }
    return text + _("或在后台“节假日安排”（/admin/participation/calendarday/）中录入。")


def holiday_calendar_check(app_configs=None, **kwargs):
    from gongshi.participation.workdays import years_missing_holidays

    try:
        years = years_missing_holidays()
    except DatabaseError:  # not migrated yet (the check runs before `migrate` too)
        return []
    if not years:
        return []
    return [CheckWarning(missing_holiday_years_message(years), id="gongshi.participation.W001")]
