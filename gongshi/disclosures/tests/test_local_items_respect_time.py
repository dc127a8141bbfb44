"""A local item binds a project only if the project had not passed its stage when it took effect."""

import datetime as dt

import pytest

from gongshi.catalogue.models import Category, DueStage, LocalRequirement, RequirementLevel
from gongshi.catalogue.tests.factories import make_item, only_items
from gongshi.core.choices import Stage
from gongshi.core.testing import make_project
from gongshi.disclosures.checklist import checklists_for, project_checklist
from gongshi.projects.models import Project
from gongshi.regions.models import Region
from gongshi.supervision.metrics import annotate_completeness

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`, 2026-11-25).
pytestmark = pytest.mark.usefixtures("frozen_now")

EFFECTIVE = dt.date(2026, 6, 1)


@pytest.fixture
def harbin_item(world):
    """A Harbin item due before the start, in force since 1 June 2026; nothing else on."""
    province = make_item(code="t.province_permit", due_stage=DueStage.BEFORE_START)
    local = make_item(
        code="local.t.harbin_site_plan",
        due_stage=DueStage.BEFORE_START,
        region=Region.objects.get(code="230100"),
        effective_from=EFFECTIVE,
    )
    only_items(province, local)
    return local


def started(project, on):
    project.stage = Stage.UNDER_CONSTRUCTION
    project.started_on = on
    project.save()
    return project


def test_a_project_that_started_before_the_item_took_effect_is_not_bound(world, harbin_item):
    project = started(world.project, dt.date(2026, 3, 1))
    checklist = project_checklist(project)
    entry = checklist.entry(harbin_item.code)
    assert entry is not None and entry.due
    assert not entry.is_required and not entry.counts_toward_completeness
    assert entry.not_required_reason == (
        "本地事项于 2026-06-01 施行，项目已于 2026-03-01 过“开工前”阶段，不适用。"
    )
    assert checklist.required_due == 1  # the province-wide item only
    assert harbin_item not in [e.item for e in checklist.missing_required]


def test_a_project_that_started_after_it_took_effect_is_bound(world, harbin_item):
    entry = project_checklist(started(world.project, dt.date(2026, 7, 1))).entry(harbin_item.code)
    assert entry.is_required and entry.not_required_reason is None


def test_a_project_starting_on_the_day_it_takes_effect_is_bound(world, harbin_item):
    entry = project_checklist(started(world.project, EFFECTIVE)).entry(harbin_item.code)
    assert entry.is_required


def test_a_project_not_started_yet_is_bound(world, harbin_item):
    entry = project_checklist(world.project).entry(harbin_item.code)
    assert entry.is_required


def test_an_item_due_at_completion_looks_at_the_completion_date(world):
    local = make_item(
        code="local.t.harbin_sound_test",
        category=Category.ACCEPTANCE,
        due_stage=DueStage.CONSTRUCTION,
        region=Region.objects.get(code="230100"),
        effective_from=EFFECTIVE,
    )
    only_items(local)
    project = world.project
    project.stage = Stage.COMPLETED
    project.started_on = dt.date(2024, 3, 1)  # started long before: the start does not matter
    project.completion_accepted_on = dt.date(2026, 8, 1)
    project.save()
    assert project_checklist(project).entry(local.code).is_required
    project.completion_accepted_on = dt.date(2026, 5, 31)
    project.save()
    assert not project_checklist(project).entry(local.code).is_required


def test_a_local_raise_leaves_projects_past_the_stage_at_the_province_level(world):
    item = make_item(code="t.optional_report", requirement=RequirementLevel.OPTIONAL)
    only_items(item)
    LocalRequirement.objects.create(
        region=Region.objects.get(code="230100"),
        item=item,
        requirement=RequirementLevel.REQUIRED,
        effective_from=EFFECTIVE,
    )
    early = started(world.project, dt.date(2026, 3, 1))
    late = started(make_project(world.project.developer, name="后开工项目"), dt.date(2026, 7, 1))
    entry = project_checklist(early).entry(item.code)
    assert entry.requirement == RequirementLevel.OPTIONAL and not entry.is_required
    assert "本地提高的公示要求于 2026-06-01 施行" in entry.not_required_reason
    assert "按全省要求公示" in entry.not_required_reason
    assert project_checklist(late).entry(item.code).requirement == RequirementLevel.REQUIRED


def test_the_area_figures_agree_with_the_checklist(world, harbin_item):
    developer = world.project.developer
    started(world.project, dt.date(2026, 3, 1))
    started(make_project(developer, name="六月开工"), EFFECTIVE)
    july = started(make_project(developer, name="七月开工"), dt.date(2026, 7, 1))
    make_project(developer, name="未开工")
    make_project(developer, "230602", name="大庆项目")  # no local item there
    LocalRequirement.objects.create(
        region=Region.objects.get(code="230100"),
        item=make_item(
            code="t.raised", requirement=RequirementLevel.OPTIONAL, due_stage=DueStage.CONSTRUCTION
        ),
        requirement=RequirementLevel.REQUIRED,
        effective_from=dt.date(2026, 9, 1),
    )
    annotated = {p.pk: p.required_due for p in annotate_completeness(Project.objects.all())}
    checklists = checklists_for(Project.objects.all())
    assert annotated == {pk: c.required_due for pk, c in checklists.items()}
    # The province's item and the raised one (not completed, so still bound by the raise);
    # the project that started in March is exempt from the local item, July's is not.
    assert annotated[world.project.pk] == 2
    assert annotated[july.pk] == 3


def test_a_local_item_without_an_effective_date_is_refused(world):
    from django.core.exceptions import ValidationError

    item = make_item(code="t.undated_province_item")
    item.region = Region.objects.get(code="230100")
    with pytest.raises(ValidationError) as caught:
        item.full_clean()
    assert "地方事项须填写生效日期" in str(caught.value)


REASON = "本地事项于 2026-06-01 施行，项目已于 2026-03-01 过“开工前”阶段，不适用。"


def test_the_public_page_says_why_the_item_is_not_required(world, harbin_item, client):
    project = started(world.project, dt.date(2026, 3, 1))
    html = client.get(f"/p/{project.code}/").content.decode()
    assert REASON in html
    assert html.count("应公示未公示") == 1  # the province's own item only


def test_the_workspace_checklist_says_why(world, harbin_item):
    project = started(world.project, dt.date(2026, 3, 1))
    html = world.client("developer").get(f"/workspace/p/{project.code}/").content.decode()
    assert REASON in html
    body = (
        world.client("developer")
        .get(f"/api/v1/workspace/projects/{project.code}/checklist/")
        .json()
    )
    entry = next(e for e in body["entries"] if e["item"] == harbin_item.code)
    assert entry["required"] is False and entry["not_required_reason"] == REASON
    assert body["required_due"] == 1


def test_the_open_data_api_says_why(world, harbin_item, client):
    project = started(world.project, dt.date(2026, 3, 1))
    body = client.get(f"/api/v1/projects/{project.code}/").json()
    items = {i["code"]: i for c in body["categories"] for i in c["items"]}
    assert items[harbin_item.code]["required"] is False
    assert items[harbin_item.code]["not_required_reason"] == REASON
    assert items["t.province_permit"]["required"] is True
    assert items["t.province_permit"]["not_required_reason"] is None
