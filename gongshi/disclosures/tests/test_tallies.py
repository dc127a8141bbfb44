"""The counts publish_version keeps for area-wide figures agree with the versions."""

import datetime as dt

import pytest
from django.utils import timezone

from gongshi.catalogue.tests.factories import make_item, only_items, publish, withdraw
from gongshi.disclosures import tallies
from gongshi.disclosures.models import Disclosure, PublicationTally, TimelinessTally
from gongshi.regions.models import Region
from gongshi.workspace.projects import update_project

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def items(world):
    made = [make_item(), make_item()]
    only_items(*made)
    return made


def _months(region) -> dict:
    return {
        (t.month, t.kind): t.count
        for t in PublicationTally.objects.filter(region=region).exclude(count=0)
    }


def _days(region) -> dict:
    return {t.days: t.count for t in TimelinessTally.objects.filter(region=region).exclude(count=0)}


def test_publishing_correcting_and_withdrawing_count_in_the_local_month(world, items):
    developer = world.users["developer"]
    region = world.project.region
    publish(world.project, items[0], developer, days_after=3, now=at(dt.date(2026, 10, 31), 1))
    publish(world.project, items[1], developer, days_after=12, now=at(dt.date(2026, 10, 20)))
    # 31 October 17:00 UTC is 1 November 01:00 in Beijing: the November tally.
    late_night = dt.datetime(2026, 10, 31, 17, tzinfo=dt.UTC)
    publish(
        world.project, items[1], developer, days_after=0, now=late_night, reason="更正：面积有误"
    )
    withdraw(world.project, items[0], developer)
    this_month = timezone.localdate().replace(day=1)

    assert _months(region) == {
        (dt.date(2026, 10, 1), "publication"): 2,
        (dt.date(2026, 11, 1), "correction"): 1,
        (this_month, "withdrawal"): 1,
    }
    # Only first publications count for timeliness; the correction's 0 days does not.
    assert _days(region) == {3: 1, 12: 1}
    first, second = Disclosure.objects.order_by("item__sort_order")
    assert (first.is_public, first.first_timeliness_days) == (False, 3)
    assert (second.is_public, second.first_timeliness_days) == (True, 12)
    assert second.first_published_at == at(dt.date(2026, 10, 20))
    assert second.last_published_at == late_night
    assert second.first_information_date == dt.date(2026, 10, 8)
    assert tallies.differences() == []


def test_a_project_moving_county_takes_its_counts_along(world, items):
    from gongshi.disclosures.workflow import ProjectAccess

    developer = world.users["developer"]
    old = world.project.region
    publish(world.project, items[0], developer, days_after=2)
    publish(world.other_project, items[0], world.users["outsider"], days_after=2)
    new = Region.objects.get(code="230109")
    update_project(ProjectAccess.for_user(world.project, developer), {"region": new})

    assert _days(old) == {}
    assert _days(new) == {2: 1}
    assert sum(_months(new).values()) == 1
    assert tallies.differences() == []


def test_the_project_keeps_its_latest_publication_of_every_kind(world, items):
    from gongshi.catalogue.tests.factories import make_version
    from gongshi.disclosures.models import VersionKind
    from gongshi.disclosures.services import publish_version
    from gongshi.projects.models import Project

    developer = world.users["developer"]
    project = world.project

    def kept() -> dt.datetime | None:
        return Project.objects.values_list("last_published_at", flat=True).get(pk=project.pk)

    assert kept() is None
    publish(project, items[0], developer, now=at(dt.date(2026, 10, 20)))
    assert kept() == at(dt.date(2026, 10, 20))
    # A publication dated earlier (an import of older records) does not move it back.
    publish(project, items[1], developer, now=at(dt.date(2026, 10, 2)))
    assert kept() == at(dt.date(2026, 10, 20))
    publish(project, items[1], developer, now=at(dt.date(2026, 10, 25)), reason="更正：面积有误")
    assert kept() == at(dt.date(2026, 10, 25))
    stale = Project.objects.get(pk=project.pk)  # loaded before the withdrawal
    withdrawal = make_version(
        project, items[0], developer, values={}, kind=VersionKind.WITHDRAWAL, reason="撤回核实"
    )
    publish_version(withdrawal, developer, now=at(dt.date(2026, 10, 28)))
    assert kept() == at(dt.date(2026, 10, 28))
    inapplicable = make_version(
        project, items[1], developer, values={}, kind=VersionKind.INAPPLICABLE, reason="不适用"
    )
    publish_version(inapplicable, developer, now=at(dt.date(2026, 10, 29)))
    assert kept() == at(dt.date(2026, 10, 29))
    # Saving project facts loaded earlier does not write the older time back.
    stale.name = "改名后的项目"
    stale.save()
    assert kept() == at(dt.date(2026, 10, 29))
    assert Project.objects.get(pk=world.other_project.pk).last_published_at is None
    assert tallies.differences() == []

    Project.objects.filter(pk=project.pk).update(last_published_at=None)
    Project.objects.filter(pk=world.other_project.pk).update(
        last_published_at=at(timezone.localdate())
    )
    found = tallies.differences()
    assert f"Project {project.pk}: last_published_at disagrees with its versions" in found
    assert f"Project {world.other_project.pk}: last_published_at disagrees" in " ".join(found)
    tallies.rebuild()
    assert tallies.differences() == []
    assert kept() == at(dt.date(2026, 10, 29))
