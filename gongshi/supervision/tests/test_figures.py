"""Each project's kept score counts equal the live ones after every kind of change."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongshi.catalogue.models import DueStage, LocalRequirement, RequirementLevel
from gongshi.catalogue.tests.factories import make_item, only_items, publish, withdraw
from gongshi.core.choices import Stage
from gongshi.disclosures import tallies
from gongshi.disclosures.models import VersionKind
from gongshi.participation.models import Question, QuestionKind
from gongshi.participation.testing import make_question
from gongshi.projects.models import Project
from gongshi.regions.models import Region
from gongshi.supervision import figures
from gongshi.supervision.metrics import annotate_required
from gongshi.supervision.models import ProjectFigures
from gongshi.supervision.score import annotate_score

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def items(world):
    made = [
        make_item(),
        make_item(),
        make_item(due_stage=DueStage.CONSTRUCTION),
        make_item(requirement=RequirementLevel.OPTIONAL),
    ]
    only_items(*made)  # a bulk update, as an import would: recount from there
    figures.rebuild()
    return made


def kept(project) -> dict:
    row = ProjectFigures.objects.get(project=project)
    return {name: getattr(row, name) for name in figures.KEPT}


def live(project) -> dict:
    return dict(zip(figures.KEPT, figures.live_rows([project.pk])[project.pk], strict=True))


def assert_exact(project) -> dict:
    """The kept row is the live count (and is not merely stale), and recount agrees."""
    assert kept(project) == live(project)
    assert figures.differences() == []
    return kept(project)


def ask(project, *, days_ago: int, kind=QuestionKind.QUESTION) -> Question:
    return make_question(project, timezone.now() - dt.timedelta(days=days_ago), kind=kind)


def test_publication_correction_withdrawal_and_does_not_apply_keep_the_counts(world, items):
    project, developer = world.project, world.users["developer"]
    assert assert_exact(project)["required_public"] == 0
    publish(project, items[0], developer, days_after=3)
    after = assert_exact(project)
    assert (after["required_public"], after["first_publications"]) == (1, 1)
    assert after["on_time_publications"] == 1
    publish(project, items[0], developer, reason="更正：日期有误")
    assert assert_exact(project)["first_publications"] == 1  # a correction is not a first
    withdraw(project, items[0], developer)
    assert assert_exact(project)["required_public"] == 0
    publish(project, items[1], developer, days_after=30)  # late
    assert assert_exact(project)["on_time_publications"] == 1
    publish(project, items[1], developer, kind=VersionKind.INAPPLICABLE, reason="本项目无此事项")
    assert_exact(project)


def test_a_stage_change_changes_the_required_items(world, items):
    project = world.project
    before = assert_exact(project)
    project.stage = Stage.NOT_STARTED if project.stage != Stage.NOT_STARTED else Stage.COMPLETED
    project.completion_accepted_on = (
        timezone.localdate() - dt.timedelta(days=3) if project.stage == Stage.COMPLETED else None
    )
    project.save()
    after = assert_exact(project)
    assert after["required_due"] != before["required_due"]


def test_questions_keep_their_counts_and_overdue_is_derived_as_days_pass(world, items, frozen_now):
    project = world.project
    question = ask(project, days_ago=1, kind=QuestionKind.COMPLAINT)
    row = assert_exact(project)
    assert (row["questions_asked"], row["unanswered_questions"], row["complaints"]) == (1, 1, 1)
    scored = annotate_score(Project.objects.filter(pk=project.pk)).get()
    assert scored.questions_overdue == 0
    frozen_now.shift(dt.timedelta(days=14))  # the deadline passes; nothing is written
    scored = annotate_score(Project.objects.filter(pk=project.pk)).get()
    assert scored.questions_overdue == 1
    question.answer, question.answered_at = "已公示", timezone.now()
    question.save()
    assert assert_exact(project)["unanswered_questions"] == 0
    assert annotate_score(Project.objects.filter(pk=project.pk)).get().questions_overdue == 0


def test_a_raised_requirement_counts_from_its_date_without_a_write(world, items, frozen_now):
    project = world.project
    publish(project, items[3], world.users["developer"])  # optional, public
    today = timezone.localdate()
    LocalRequirement.objects.create(
        region=Region.objects.get(code="230100"),
        item=items[3],
        requirement=RequirementLevel.REQUIRED,
        effective_from=today + dt.timedelta(days=10),
    )
    # The local checklist changed: the row is stale, and read live until recounted.
    assert ProjectFigures.objects.get(project=project).required_until == today
    figures.rebuild()
    row = assert_exact(project)
    assert row["required_until"] == today + dt.timedelta(days=10)

    def read() -> tuple[int, int]:
        one = Project.objects.filter(pk=project.pk)
        kept_row = figures.annotate_kept_required(one).get()
        live_row = annotate_required(one).get()
        assert (kept_row.required_due, kept_row.required_public) == (
            live_row.required_due,
            live_row.required_public,
        )
        return kept_row.required_due, kept_row.required_public

    due, public = read()
    frozen_now.shift(dt.timedelta(days=10))
    assert read() == (due + 1, public + 1)  # the raised item is now required, and public


def test_recount_finds_and_fixes_a_wrong_row(world, items):
    publish(world.project, items[0], world.users["developer"])
    ProjectFigures.objects.filter(project=world.project).update(required_public=7)
    found = tallies.differences()
    assert any("ProjectFigures" in line and "required_public" in line for line in found)
    tallies.rebuild()
    assert tallies.differences() == []


@pytest.mark.parametrize("sort", ["score", "-score", "completeness", "name"])
def test_the_drill_down_query_count_does_not_grow_with_projects(world, items, client, sort):
    from gongshi.core.testing import login_client, make_project

    console = login_client(client, world.users["regulator"])
    url = f"/supervision/projects/?sort={sort}"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert console.get(url).status_code == 200
        return len(captured)

    ask(world.project, days_ago=20)  # questions exist (their calendar is read once)
    few = queries()
    for n in range(4):
        project = make_project(world.project.developer, name=f"项目{n}")
        ask(project, days_ago=20)
    assert queries() == few


def test_a_kept_overdue_count_holds_until_the_next_deadline_passes(world, items, frozen_now):
    project = world.project
    ask(project, days_ago=30)  # overdue already
    ask(project, days_ago=0)  # overdue in a week or so
    row = assert_exact(project)
    assert row["overdue_questions"] == 1 and row["overdue_until"] > timezone.localdate()

    def overdue() -> int:
        return annotate_score(Project.objects.filter(pk=project.pk)).get().questions_overdue

    assert overdue() == 1
    frozen_now.move_to(timezone.make_aware(dt.datetime.combine(row["overdue_until"], dt.time(10))))
    assert overdue() == 2  # counted live: the kept count is past its date
    assert figures.differences() == []  # a stale count is not a wrong one
    figures.rebuild()
    assert assert_exact(project)["overdue_questions"] == 2
    assert overdue() == 2


def test_a_repeatable_item_counts_once_when_its_instances_are_public(world):
    from gongshi.disclosures import workflow
    from gongshi.workspace.testing import access

    permit = make_item(code="test.presale_figures", repeatable=True)
    only_items(permit)
    figures.rebuild()
    developer = access(world, "developer")

    def publish_instance(instance: int) -> None:
        version = workflow.open_version(developer, permit, instance=instance)
        version = workflow.save_draft(
            developer,
            version,
            lock_version=version.lock_version,
            values={"note": "哈预2026001"},
            information_date=timezone.localdate() - dt.timedelta(days=1),
        )
        workflow.approve(developer, version)

    workflow.set_required(developer, permit, 2)
    assert assert_exact(world.project)["required_public"] == 0
    publish_instance(1)
    assert assert_exact(world.project)["first_publications"] == 1
    workflow.add_instance(developer, permit, label="第二批")
    publish_instance(2)  # completes the item: counted once, the first publication once
    row = assert_exact(world.project)
    assert (row["required_public"], row["first_publications"]) == (1, 2)
    workflow.withdraw(developer, permit, "许可证已注销", instance=2)
    assert assert_exact(world.project)["required_public"] == 0
