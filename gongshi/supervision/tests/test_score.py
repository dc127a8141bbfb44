"""Every score component against a hand-computed example."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gongshi.disclosures import tallies
from gongshi.disclosures.checklist import project_checklist
from gongshi.disclosures.models import Disclosure, DisclosureVersion
from gongshi.participation.models import Finding, OpenDay, QuestionKind
from gongshi.participation.testing import make_question
from gongshi.projects.models import Project
from gongshi.supervision.models import ScoreWeights
from gongshi.supervision.score import annotate_score, developer_scores

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

TODAY = dt.date(2026, 11, 2)


def at(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


@pytest.fixture
def scored_project(world):
    """World project (52,000 m²): 2 of N required items public, 3 first publications of which
    1 late (10 days > 7), 4 questions of which 1 overdue, 2 complaints, 1 open discrepancy."""
    project = world.project
    user = world.users["developer"]
    required = [e.item for e in project_checklist(project).entries if e.counts_toward_completeness]
    versions = []
    for item, public, days in [
        (required[0], True, 0),
        (required[1], True, 10),
        (required[2], False, 3),
    ]:
        disclosure = Disclosure.objects.create(project=project, item=item)
        versions.append(
            DisclosureVersion.objects.create(
                disclosure=disclosure,
                status="published",
                number=1,
                published_at=at(TODAY),
                timeliness_days=days,
                supplied_by=project.developer,
                created_by=user,
            )
        )
        if not public:  # published once, then withdrawn
            DisclosureVersion.objects.create(
                disclosure=disclosure,
                status="published",
                kind="withdrawal",
                reason="信息有误",
                number=2,
                published_at=at(TODAY),
                supplied_by=project.developer,
                created_by=user,
            )
    tallies.rebuild()  # bare rows, as a bulk import would leave them
    asked = [
        (dt.date(2026, 10, 9), None, QuestionKind.COMPLAINT),  # unanswered, deadline long past
        (dt.date(2026, 10, 30), None, QuestionKind.QUESTION),  # unanswered, still within deadline
        (dt.date(2026, 10, 12), at(dt.date(2026, 10, 13)), QuestionKind.COMPLAINT),
        (dt.date(2026, 10, 20), at(dt.date(2026, 10, 21)), QuestionKind.QUESTION),
    ]
    for day, answered_at, kind in asked:
        make_question(project, at(day), answered_at=answered_at, kind=kind)
    open_day = OpenDay.objects.create(
        project=project,
        date=dt.date(2026, 10, 1),
        start_time=dt.time(9),
        end_time=dt.time(11),
        place="售楼处",
        stage_of_work="主体施工",
        capacity=20,
        showing="钢筋",
        scheduled_by=user,
    )
    for version, result, closed in [
        (versions[0], "discrepancy", None),
        (versions[1], "discrepancy", at(TODAY)),
        (versions[2], "verified", None),
    ]:
        Finding.objects.create(
            open_day=open_day,
            supervisor=user,
            version=version,
            result=result,
            note="现场钢筋规格与公示不符" if result == "discrepancy" else "",
            developer_response="已整改" if closed else "",
            responded_at=closed,
            closed_at=closed,
        )
    return project, len(required)


def test_each_component_and_the_total_match_the_hand_computation(scored_project):
    project, required_due = scored_project
    row = annotate_score(Project.objects.filter(pk=project.pk), today=TODAY).get()
    assert row.score_completeness == pytest.approx(2 / required_due)
    assert row.score_timeliness == pytest.approx(2 / 3)
    assert row.score_responsiveness == pytest.approx(1 - 1 / 4)
    per_10k = 2 * 10000 / 52000
    assert row.complaints_per_10k == pytest.approx(per_10k)
    assert row.score_complaints == pytest.approx(1 - per_10k / 2)
    assert row.score_discrepancies == pytest.approx(1 - 1 / 3)
    expected = (
        100
        * (
            40 * (2 / required_due)
            + 20 * (2 / 3)
            + 20 * 0.75
            + 10 * (1 - per_10k / 2)
            + 10 * (2 / 3)
        )
        / 100
    )
    assert row.score == pytest.approx(expected)


def test_new_weights_change_the_score_and_old_ones_stay_on_record(scored_project, world):
    project, _ = scored_project
    ScoreWeights.objects.create(
        completeness=0,
        timeliness=0,
        responsiveness=1,
        complaints=0,
        discrepancies=0,
        complaint_cap=Decimal("2"),
        discrepancy_cap=3,
    )
    row = annotate_score(Project.objects.filter(pk=project.pk), today=TODAY).get()
    assert row.score == pytest.approx(75.0)
    assert ScoreWeights.objects.count() == 1 and ScoreWeights.current().responsiveness == 1


def test_a_project_with_nothing_yet_due_or_asked_scores_full_marks_but_completeness(world):
    row = annotate_score(Project.objects.filter(pk=world.other_project.pk), today=TODAY).get()
    assert (
        row.score_timeliness
        == row.score_responsiveness
        == row.score_complaints
        == row.score_discrepancies
        == 1.0
    )


def test_developer_scores_average_their_projects(scored_project, world):
    rows = {r["developer"]: r for r in developer_scores(Project.objects.all(), today=TODAY)}
    scores = {p.pk: p.score for p in annotate_score(Project.objects.all(), today=TODAY)}
    harbin = rows[world.project.developer_id]
    assert harbin["projects"] == 1
    assert harbin["average"] == pytest.approx(scores[world.project.pk])
