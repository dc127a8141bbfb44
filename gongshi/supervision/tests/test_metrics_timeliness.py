import datetime as dt

import pytest

from gongshi.catalogue.models import CatalogueItem
from gongshi.disclosures import tallies
from gongshi.disclosures.models import Disclosure, DisclosureVersion
from gongshi.regions.models import Region
from gongshi.supervision.metrics import timeliness_histogram

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


def _version(project, item, user, days):
    disclosure = Disclosure.objects.create(project=project, item=item)
    # A bare published row, then the derived state recounted from the versions, as after a
    # bulk import: the histogram reads the tallies, whatever produced the versions.
    version = DisclosureVersion.objects.create(
        disclosure=disclosure,
        status="published",
        number=1,
        published_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC),
        timeliness_days=days,
        supplied_by=project.developer,
        created_by=user,
    )
    tallies.rebuild()
    return version


def test_it_counts_first_publications_by_delay(world):
    items = list(CatalogueItem.objects.all()[:6])
    for item, days in zip(items, [0, 2, 5, 5, 40, 200], strict=True):
        _version(world.project, item, world.users["developer"], days)
    _version(world.other_project, items[0], world.users["outsider"], 0)
    histogram = dict(timeliness_histogram(Region.objects.get(code="230100")))
    assert histogram == {"0": 1, "1–3": 1, "4–7": 2, "8–30": 0, "31–90": 1, ">90": 1}
    province = dict(timeliness_histogram(Region.objects.get(code="230000")))
    assert province["0"] == 2


def test_late_publications_follow_each_citys_threshold(world):
    from gongshi.supervision.dashboard import late_first_publications
    from gongshi.supervision.models import TimelinessSetting

    items = list(CatalogueItem.objects.all()[:2])
    _version(world.project, items[0], world.users["developer"], 5)
    _version(world.other_project, items[0], world.users["outsider"], 5)
    province = Region.objects.get(code="230000")
    assert late_first_publications(province).count() == 0  # default threshold 7 days
    TimelinessSetting.objects.create(region=Region.objects.get(code="230100"), threshold_days=3)
    late = list(late_first_publications(province))
    assert [d.project for d in late] == [world.project]
