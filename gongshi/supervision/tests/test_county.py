"""The dashboard's per-county tallies equal the live counts after every kind of write, and as
days pass without one (supervision.county)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gongshi.catalogue.models import DueStage, RequirementLevel
from gongshi.catalogue.tests.factories import make_item, only_items, publish, withdraw
from gongshi.core.choices import Stage
from gongshi.core.testing import make_project
from gongshi.disclosures import tallies
from gongshi.participation.models import Finding, OpenDay, QuestionKind, Resolution
from gongshi.participation.testing import make_question
from gongshi.regions.models import Region
from gongshi.supervision import county, figures
from gongshi.supervision.dashboard import build_dashboard, kept_figures, live_figures
from gongshi.supervision.models import CountyShare, CountyTally

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

AREAS = ["230000", "230100", "230103", "230200"]


@pytest.fixture
def items(world):
    made = [
        make_item(),
        make_item(),
        make_item(due_stage=DueStage.CONSTRUCTION),
        make_item(requirement=RequirementLevel.OPTIONAL),
    ]
    only_items(*made)
    figures.rebuild()
    return made


def _plain(found: county.AreaFigures) -> dict:
    cities = {
        city: (
            t.projects,
            pytest.approx(t.floor_area),
            t.missing,
            pytest.approx(t.completeness_sum),
            {k: n for k, n in t.bands.items() if n},
        )
        for city, t in found.by_city.items()
        if t.projects
    }
    return {
        "by_stage": +found.by_stage,
        "by_type": +found.by_type,
        "by_city": cities,
        "questions": found.questions,
        "complaints_by_city": +found.complaints_by_city,
        "asked_by_month": +found.asked_by_month,
        "online_required": found.online_required,
        "without_open_day": found.without_open_day,
        "open_discrepancies": found.open_discrepancies,
    }


def assert_kept_is_live() -> dict:
    """Every area's kept figures equal the live ones, and recount agrees."""
    assert figures.differences() == []
    for code in AREAS:
        region = Region.objects.get(code=code)
        assert _plain(kept_figures(region)) == _plain(live_figures(region)), code
    return _plain(kept_figures(Region.objects.get(code="230000")))


def at(days_ago: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days_ago)


def test_questions_asked_answered_resolved_and_hidden(world, items):
    project = world.project
    complaint = make_question(project, at(40), kind=QuestionKind.COMPLAINT)
    make_question(project, at(2))
    make_question(project, at(70), days=10)
    found = assert_kept_is_live()
    assert found["questions"]["asked"] == 3 and found["questions"]["complaints"] == 1
    assert found["questions"]["overdue"] == 2
    complaint.answer, complaint.answered_at = "已整改", timezone.now()
    complaint.save()
    assert assert_kept_is_live()["questions"]["answered"] == 1
    complaint.resolution, complaint.resolution_at = Resolution.RESOLVED, timezone.now()
    complaint.save()
    assert assert_kept_is_live()["questions"]["resolved"] == 1
    complaint.hidden_at, complaint.hidden_reason = timezone.now(), "广告"
    complaint.save()
    found = assert_kept_is_live()
    assert found["questions"]["asked"] == 2 and found["complaints_by_city"] == {}


def test_projects_created_changed_moved_and_deleted(world, items):
    developer = world.project.developer
    other = make_project(developer, name="测试二期", stage=Stage.NOT_STARTED)
    make_question(other, at(5), kind=QuestionKind.COMPLAINT)
    publish(world.project, items[0], world.users["developer"])
    assert_kept_is_live()
    other.stage, other.started_on = Stage.UNDER_CONSTRUCTION, timezone.localdate()
    other.save()
    assert assert_kept_is_live()["by_stage"][Stage.UNDER_CONSTRUCTION] >= 1
    other.floor_area = Decimal("1234.56")
    other.region = Region.objects.get(code="230202")  # a corrected address: another city
    other.save()
    found = assert_kept_is_live()
    assert found["complaints_by_city"] == {"2302": 1}
    assert "2302" in found["by_city"]
    other.stage, other.completion_accepted_on = Stage.COMPLETED, timezone.localdate()
    other.save()
    assert_kept_is_live()
    bare = make_project(developer, name="测试三期", region_code="230202")
    assert_kept_is_live()
    bare.delete()
    assert_kept_is_live()
    withdraw(world.project, items[0], world.users["developer"])
    assert_kept_is_live()


def test_open_days_and_findings(world, items):
    project = world.project
    project.started_on = timezone.localdate() - dt.timedelta(days=400)
    project.save()
    assert assert_kept_is_live()["without_open_day"] == 1
    open_day = OpenDay.objects.create(
        project=project,
        date=timezone.localdate(),
        start_time=dt.time(9),
        end_time=dt.time(11),
        place="售楼处",
        stage_of_work="主体施工",
        capacity=20,
        showing="钢筋",
        scheduled_by=world.users["developer"],
    )
    assert assert_kept_is_live()["without_open_day"] == 0
    version = publish(project, items[0], world.users["developer"])
    finding = Finding.objects.create(
        open_day=open_day,
        supervisor=world.users["developer"],
        version=version,
        result="discrepancy",
        note="现场钢筋规格与公示不符",
    )
    assert assert_kept_is_live()["open_discrepancies"] == 1
    finding.developer_response, finding.responded_at = "已整改", timezone.now()
    finding.closed_at = timezone.now()
    finding.save()
    assert assert_kept_is_live()["open_discrepancies"] == 0


def test_nothing_kept_goes_wrong_as_days_pass(world, items, frozen_now):
    project = world.project
    project.started_on = timezone.localdate() - dt.timedelta(days=150)
    project.save()
    done = make_project(
        project.developer,
        name="已竣工",
        stage=Stage.COMPLETED,
        completion_accepted_on=timezone.localdate() - dt.timedelta(days=150),
    )
    make_question(done, at(1))
    make_question(project, at(0), days=15)
    before = assert_kept_is_live()
    assert before["questions"]["overdue"] == 0
    for days in (10, 20, 25, 40, 90):  # deadlines, the open-day limit, the six months pass
        frozen_now.shift(dt.timedelta(days=days))
        assert_kept_is_live()
    after = assert_kept_is_live()
    assert after["online_required"] == before["online_required"] - 1  # six months after
    assert after["without_open_day"] == before["without_open_day"] + 1  # building 180 days
    assert after["questions"]["overdue"] == 2


def test_a_stale_completeness_is_counted_live(world, items, frozen_now):
    from gongshi.catalogue.models import LocalRequirement

    publish(world.project, items[3], world.users["developer"])  # optional, public
    LocalRequirement.objects.create(
        region=Region.objects.get(code="230100"),
        item=items[3],
        requirement=RequirementLevel.REQUIRED,
        effective_from=timezone.localdate() + dt.timedelta(days=3),
    )
    assert_kept_is_live()
    frozen_now.shift(dt.timedelta(days=5))  # the raised requirement binds; nothing written
    assert_kept_is_live()


def test_the_dashboard_reads_the_tallies(world, items):
    make_question(world.project, at(3), kind=QuestionKind.COMPLAINT)
    board = build_dashboard(Region.objects.get(code="230000"))
    live = live_figures(Region.objects.get(code="230000"))
    assert board.totals["projects"] == sum(live.by_stage.values())
    assert [f.value for f in board.questions][0] == live.questions["asked"]
    assert sum(row["questions"] for row in board.trends) == 1
    assert sum(row["complaints"] for row in board.by_city) == 1


def test_recount_finds_and_fixes_wrong_tallies(world, items):
    make_question(world.project, at(3))
    assert tallies.differences() == []
    CountyTally.objects.filter(key__startswith="q:").update(count=5)
    CountyShare.objects.filter(project=world.project).update(share={})
    found = tallies.differences()
    assert any(line.startswith("CountyTally") for line in found)
    assert any(line.startswith("CountyShare") for line in found)
    tallies.rebuild()
    assert tallies.differences() == []
    assert_kept_is_live()
