"""Worklists are derived from dates: the boundary of completion acceptance + 6 months."""

import datetime as dt

from gongshi.core.choices import Stage
from gongshi.core.testing import make_project
from gongshi.projects.models import Project
from gongshi.supervision.dashboard import online_disclosure_cutoff, online_disclosure_required


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
