"""Worklists are derived from dates: the boundary of completion acceptance + 6 months."""

import datetime as dt

import pytest
from django.utils import timezone

from gongshi.core.choices import Stage
from gongshi.core.testing import make_project
from gongshi.projects.models import Project
from gongshi.supervision.dashboard import online_disclosure_cutoff, online_disclosure_required

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


def test_online_disclosure_is_required_through_the_last_day_and_not_after(world):
    project = make_project(
        world.project.developer,
        stage=Stage.COMPLETED,
        completion_accepted_on=dt.date(2026, 3, 31),
        name="边界项目",
    )

    def required(today):
        return online_disclosure_required(Project.objects.filter(pk=project.pk), today).exists()  # noqa: E731

    # 2026-03-31 + 6 months = 2026-09-30 (September has no 31st).
    assert required(dt.date(2026, 9, 29))
    assert required(dt.date(2026, 9, 30))
    assert not required(dt.date(2026, 10, 1))


def test_projects_not_yet_completed_always_need_online_disclosure(world):
    assert online_disclosure_required(
        Project.objects.filter(pk=world.project.pk), dt.date(2040, 1, 1)
    ).exists()


def test_the_cutoff_is_the_earliest_completion_still_covered():
    cutoff = online_disclosure_cutoff(dt.date(2026, 10, 1))
    assert cutoff == dt.date(2026, 4, 1)


def test_a_project_building_over_six_months_without_an_open_day_is_listed(world):
    from gongshi.participation import opendays
    from gongshi.supervision.dashboard import without_open_day

    today = timezone.localdate()
    project = world.project
    Project.objects.filter(pk=project.pk).update(
        stage="under_construction", started_on=today - dt.timedelta(days=180)
    )
    listed = without_open_day(Project.objects.filter(pk=project.pk), today)
    assert list(listed) == [project]  # exactly six months: due
    day_before = without_open_day(Project.objects.filter(pk=project.pk), today - dt.timedelta(1))
    assert list(day_before) == []
    opendays.schedule(
        project, world.users["developer"], date=today + dt.timedelta(days=7),
        start_time=dt.time(9), end_time=dt.time(11), place="售楼处", stage_of_work="主体施工",
        capacity=10, showing="钢筋、混凝土",
    )  # fmt: skip
    assert list(without_open_day(Project.objects.filter(pk=project.pk), today)) == []
    page = world.client("regulator").get("/supervision/projects/?worklist=without_open_day")
    assert "开工半年以上仍未举办工地开放日的项目" in page.content.decode()
