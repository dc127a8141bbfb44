"""When the holiday calendar runs out: deadlines in a year without holiday rows are provisional.

The State Council publishes next year's arrangement in November or December; until it is
entered, a deadline counted into that year follows weekends alone. The public is told so, and
administrators are told which years to enter.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from gongshi.participation import questions
from gongshi.participation.checks import holiday_calendar_check
from gongshi.participation.models import CalendarDay, DayKind
from gongshi.participation.tests.conftest import at, verify
from gongshi.participation.workdays import years_missing_holidays

NOTE = "节假日安排未公布，截止日期按周末推算，可能调整"
NOTE_EN = "The holiday arrangement has not been published"

pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def late_december_question(frozen_now, world, calendar_2026):
    """A question asked on Monday 28 December 2026: its five working days run into 2027."""
    frozen_now.move_to(at(2026, 12, 28, 10))
    question, _token = questions.ask_question(
        world.project, verify(), body="请问外墙保温的检测报告何时公示？", ip="203.0.113.7"
    )
    return question


def enter_new_year_holidays(world) -> None:
    """The administrator enters 1–3 January 2027 as holidays in the admin."""
    admin = world.client("admin")
    for day in (1, 2, 3):
        response = admin.post(
            "/admin/participation/calendarday/add/",
            {"date": f"2027-01-0{day}", "kind": DayKind.HOLIDAY, "name": "元旦"},
        )
        assert response.status_code == 302, response.content.decode()


def test_a_deadline_into_a_year_without_holiday_rows_is_shown_as_provisional(
    world, late_december_question
):
    page = world.client("anonymous").get(f"/participation/p/{world.project.code}/questions/")
    assert NOTE in page.content.decode()
    api = world.client("anonymous").get(f"/api/v1/projects/{world.project.code}/questions/")
    [entry] = api.json()["results"]
    assert entry["deadline"] == "2027-01-04"  # weekends only: Tue 29 … Mon 4 January
    assert entry["deadline_provisional"] is True
    assert entry["deadline_note"] == NOTE


def test_the_warning_is_in_english_for_an_english_reader(world, late_december_question):
    client = world.client("anonymous")
    client.cookies["django_language"] = "en"
    page = client.get(f"/participation/p/{world.project.code}/questions/").content.decode()
    assert NOTE_EN in page
    api = client.get(f"/api/v1/projects/{world.project.code}/questions/", HTTP_ACCEPT_LANGUAGE="en")
    assert api.json()["results"][0]["deadline_note"].startswith(NOTE_EN)


def test_it_disappears_and_the_deadline_moves_once_the_holidays_are_entered(
    world, late_december_question
):
    enter_new_year_holidays(world)
    page = world.client("anonymous").get(f"/participation/p/{world.project.code}/questions/")
    assert NOTE not in page.content.decode()
    api = world.client("anonymous").get(f"/api/v1/projects/{world.project.code}/questions/")
    [entry] = api.json()["results"]
    assert entry["deadline"] == "2027-01-05"  # New Year's Day (Friday) is no longer counted
    assert entry["deadline_provisional"] is False
    assert entry["deadline_note"] is None


def test_the_project_page_shows_the_note_and_drops_it_once_the_holidays_are_entered(
    world, late_december_question
):
    client = world.client("anonymous")
    before = client.get(f"/p/{world.project.code}/")
    assert NOTE in before.content.decode()
    enter_new_year_holidays(world)
    after = client.get(f"/p/{world.project.code}/", headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200  # not a stale 304
    assert NOTE not in after.content.decode()


def test_a_deadline_inside_a_known_year_is_not_provisional(frozen_now, world, calendar_2026):
    frozen_now.move_to(at(2026, 12, 1, 10))
    question, _token = questions.ask_question(
        world.project, verify(), body="请问主体结构验收在哪一天？", ip="203.0.113.7"
    )
    [state] = questions.with_deadlines([question])
    assert state.deadline == dt.date(2026, 12, 8)
    assert not state.provisional
    page = world.client("anonymous").get(f"/participation/p/{world.project.code}/questions/")
    assert NOTE not in page.content.decode()


def test_gongshi_check_names_the_missing_year_until_it_is_entered(world, late_december_question):
    assert years_missing_holidays() == [2027]
    [warning] = holiday_calendar_check()
    assert warning.id == "gongshi.participation.W001"
    assert "2027" in warning.msg and "/admin/participation/calendarday/" in warning.msg
    out = StringIO()
    call_command("check", stdout=out, stderr=out)
    assert "gongshi.participation.W001" in out.getvalue()
    enter_new_year_holidays(world)
    assert years_missing_holidays() == []
    assert holiday_calendar_check() == []


def test_an_open_question_reaching_into_next_year_is_what_makes_it_missing(
    frozen_now, world, calendar_2026
):
    # On 25 November nothing reaches into 2027 yet: a question asked today is due in 2026.
    assert years_missing_holidays() == []


def test_administrators_see_the_warning_on_staff_pages_and_others_do_not(
    world, late_december_question
):
    page = world.client("admin").get("/admin/").content.decode()
    assert "节假日安排缺少 2027 年" in page
    assert "/admin/participation/calendarday/" in page
    listing = world.client("admin").get("/admin/participation/calendarday/").content.decode()
    assert "节假日安排缺少 2027 年" in listing
    for role in ("developer", "regulator"):
        assert "节假日安排缺少" not in world.client(role).get("/workspace/").content.decode()
    enter_new_year_holidays(world)
    assert "节假日安排缺少" not in world.client("admin").get("/admin/").content.decode()


def test_seed_holidays_says_which_years_the_package_lacks(db):
    CalendarDay.objects.filter(date__year__gte=2026).delete()
    out = StringIO()
    call_command("seed_holidays", "--keep-edits", stdout=out)
    text = out.getvalue()
    assert "已导入 2026 年" in text
    assert "尚无 2027 年的数据" in text
    assert CalendarDay.objects.filter(date=dt.date(2026, 10, 1), kind=DayKind.HOLIDAY).exists()
