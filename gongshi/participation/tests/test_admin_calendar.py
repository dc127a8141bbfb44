"""The administrator edits the holiday calendar in the admin site."""

import datetime as dt

import pytest

from gongshi.core.testing import assert_matrix
from gongshi.participation.models import CalendarDay

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

NOT_ADMIN = dict.fromkeys(
    ["anonymous", "outsider", "unit", "developer", "other_regulator", "regulator"], 302
)


def test_only_the_administrator_opens_the_calendar(world, calendar_2026):
    assert_matrix(world, "get", "/admin/participation/calendarday/", {**NOT_ADMIN, "admin": 200})


def test_an_admin_edit_is_marked_as_maintained_by_hand(world, calendar_2026):
    day = CalendarDay.objects.get(date=dt.date(2026, 10, 10))
    assert day.from_package
    response = world.client("admin").post(
        f"/admin/participation/calendarday/{day.pk}/change/",
        {"date": "2026-10-10", "kind": "holiday", "name": "国庆节（调整）"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    day.refresh_from_db()
    assert day.kind == "holiday" and not day.from_package
