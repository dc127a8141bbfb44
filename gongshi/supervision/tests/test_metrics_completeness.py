"""The database's completeness agrees with the checklist's, project by project."""

import datetime as dt

import pytest

from gongshi.catalogue.models import CatalogueItem, LocalRequirement, RequirementLevel
from gongshi.core.choices import DeliveryStandard, HousingType, Stage
from gongshi.core.testing import make_project
from gongshi.disclosures.checklist import checklists_for
from gongshi.disclosures.models import Disclosure
from gongshi.projects.models import Project
from gongshi.regions.models import Region
from gongshi.supervision.metrics import annotate_completeness

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def projects(world):
    developer = world.project.developer
    made = [
        world.project,
        make_project(developer, stage=Stage.NOT_STARTED, name="甲"),
        make_project(
            developer,
            stage=Stage.COMPLETED,
            completion_accepted_on=dt.date(2026, 6, 1),
            name="乙",
            delivery_standard=DeliveryStandard.FITTED,
        ),
        make_project(
            developer,
            "230602",
            stage=Stage.HANDED_OVER,
            completion_accepted_on=dt.date(2025, 6, 1),
            housing_type=HousingType.AFFORDABLE,
            name="丙",
        ),
    ]
    return made


def test_it_matches_the_checklist_for_every_project(world, projects):
    items = list(CatalogueItem.objects.filter(region__isnull=True))
    assert len(items) > 20, "the built-in catalogue is loaded"
    # Some items public on some projects.
    for n, project in enumerate(projects):
        for item in items[n::3]:
            disclosure, _ = Disclosure.objects.get_or_create(project=project, item=item)
            Disclosure.objects.filter(pk=disclosure.pk).update(is_public=True, completes_item=True)
    annotated = {p.pk: p for p in annotate_completeness(Project.objects.all())}
    for pk, checklist in checklists_for(Project.objects.all()).items():
        assert annotated[pk].required_due == checklist.required_due, annotated[pk].name


def test_published_items_count_and_withdrawn_do_not(world, projects):
    project = world.project
    groups_project = annotate_completeness(Project.objects.filter(pk=project.pk)).get()
    assert groups_project.required_public == 0
    assert groups_project.completeness == 0.0
    from gongshi.disclosures.checklist import project_checklist

    entry = next(e for e in project_checklist(project).entries if e.counts_toward_completeness)
    disclosure = Disclosure.objects.create(project=project, item=entry.item)
    Disclosure.objects.filter(pk=disclosure.pk).update(is_public=True, completes_item=True)
    again = annotate_completeness(Project.objects.filter(pk=project.pk)).get()
    assert again.required_public == 1
    assert again.completeness == pytest.approx(1 / again.required_due)


def test_a_local_requirement_raises_the_count_in_its_city_only(world, projects):
    optional = CatalogueItem.objects.filter(
        region__isnull=True, requirement=RequirementLevel.OPTIONAL
    ).first()
    before = {p.pk: p.required_due for p in annotate_completeness(Project.objects.all())}
    LocalRequirement.objects.create(
        region=Region.objects.get(code="230100"),
        item=optional,
        requirement=RequirementLevel.REQUIRED,
        effective_from=dt.date(2026, 1, 1),
    )
    after = {p.pk: p for p in annotate_completeness(Project.objects.all())}
    checklists = checklists_for(Project.objects.all())
    for pk, project in after.items():
        assert project.required_due == checklists[pk].required_due
    harbin_due = [p for p in after.values() if p.region.code.startswith("2301")]
    assert any(after[p.pk].required_due > before[p.pk] for p in harbin_due) or not is_due_anywhere(
        optional, harbin_due
    )
    daqing = [p for p in after.values() if p.region.code.startswith("2306")]
    assert all(after[p.pk].required_due == before[p.pk] for p in daqing)


def is_due_anywhere(item, projects):
    from gongshi.disclosures.checklist import is_due

    return any(is_due(item, p.stage) for p in projects)


def test_it_runs_one_query_whatever_the_number_of_projects(
    world, projects, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        rows = list(annotate_completeness(Project.objects.all()))
    assert len(rows) == len(Project.objects.all())
