import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongshi.catalogue.models import (
    Applicability,
    CatalogueItem,
    Category,
    DueStage,
    LocalRequirement,
    RequirementLevel,
)
from gongshi.catalogue.tests.factories import make_item, make_version, only_items, publish, withdraw
from gongshi.core.choices import DeliveryStandard, OrganisationType, Stage
from gongshi.core.testing import link_all_units, make_org, make_project
from gongshi.disclosures.checklist import (
    Checklist,
    EntryState,
    checklists_for,
    project_checklist,
)
from gongshi.disclosures.models import VersionStatus
from gongshi.regions.models import Region


@pytest.fixture
def items(world):
    """Four required items (one per stage + one fitted-only) and one optional, nothing else."""
    made = {
        "permit": make_item(due_stage=DueStage.BEFORE_START),
        "units": make_item(due_stage=DueStage.BEFORE_START, category=Category.PARTIES),
        "rebar": make_item(due_stage=DueStage.CONSTRUCTION, category=Category.MATERIALS),
        "fitout": make_item(
            due_stage=DueStage.CONSTRUCTION,
            category=Category.MATERIALS,
            applies_to=Applicability.FITTED,
        ),
        "warranty": make_item(due_stage=DueStage.BEFORE_HANDOVER, category=Category.WARRANTY),
        "insurance": make_item(
            due_stage=DueStage.BEFORE_START,
            category=Category.OTHER,
            requirement=RequirementLevel.OPTIONAL,
        ),
    }
    only_items(*made.values())
    return made


@pytest.fixture
def user(world):
    return world.users["developer"]


def codes(checklist: Checklist) -> set[str]:
    return {e.item.code for e in checklist.entries}


def test_it_lists_items_due_at_the_project_stage(world, items):
    checklist = project_checklist(world.project)  # shell, under construction
    assert codes(checklist) == {items[k].code for k in ("permit", "units", "rebar", "insurance")}
    assert all(e.due for e in checklist.entries)


def test_it_lists_only_before_start_items_before_construction(world, items):
    world.project.stage = Stage.NOT_STARTED
    assert codes(project_checklist(world.project)) == {
        items[k].code for k in ("permit", "units", "insurance")
    }


def test_it_lists_everything_once_completed(world, items):
    world.project.stage = Stage.COMPLETED
    assert items["warranty"].code in codes(project_checklist(world.project))


def test_it_lists_fit_out_items_for_fitted_projects_only(world, items):
    world.project.delivery_standard = DeliveryStandard.FITTED
    assert items["fitout"].code in codes(project_checklist(world.project))
    assert items["fitout"].code not in codes(project_checklist(world.other_project))


def test_it_lists_items_not_yet_due_when_asked(world, items):
    checklist = project_checklist(world.project, include_not_due=True)
    warranty = checklist.entry(items["warranty"].code)
    assert warranty is not None and warranty.due is False
    assert warranty.state == EntryState.MISSING


def test_it_shows_an_item_published_before_it_is_due(world, items, user):
    publish(world.project, items["warranty"], user)
    entry = project_checklist(world.project).entry(items["warranty"].code)
    assert entry.state == EntryState.PUBLISHED and entry.due is False


def test_it_marks_missing_draft_submitted_and_returned(world, items, user):
    make_version(world.project, items["units"], user, status=VersionStatus.DRAFT)
    make_version(world.project, items["rebar"], user, status=VersionStatus.SUBMITTED)
    make_version(world.project, items["insurance"], user, status=VersionStatus.RETURNED)
    checklist = project_checklist(world.project)
    assert checklist.entry(items["permit"].code).state == EntryState.MISSING
    assert checklist.entry(items["units"].code).state == EntryState.DRAFT
    assert checklist.entry(items["rebar"].code).state == EntryState.SUBMITTED
    assert checklist.entry(items["insurance"].code).state == EntryState.RETURNED
    assert checklist.entry(items["units"].code).pending.status == VersionStatus.DRAFT
    assert checklist.entry(items["units"].code).current is None


def test_it_marks_an_item_published_within_the_threshold_as_published(world, items, user, settings):
    settings.GONGSHI_TIMELINESS_THRESHOLD_DAYS = 7
    publish(world.project, items["permit"], user, days_after=7)
    entry = project_checklist(world.project).entry(items["permit"].code)
    assert entry.state == EntryState.PUBLISHED
    assert entry.timeliness_days == 7


def test_it_marks_an_item_published_after_the_threshold_as_late(world, items, user, settings):
    settings.GONGSHI_TIMELINESS_THRESHOLD_DAYS = 7
    publish(world.project, items["permit"], user, days_after=8)
    entry = project_checklist(world.project).entry(items["permit"].code)
    assert entry.state == EntryState.LATE
    assert entry.is_published


def test_the_city_regulators_threshold_decides_late_on_its_projects_only(
    world, items, user, settings
):
    from gongshi.supervision.models import TimelinessSetting

    settings.GONGSHI_TIMELINESS_THRESHOLD_DAYS = 7
    publish(world.project, items["permit"], user, days_after=5)  # Harbin
    publish(world.other_project, items["permit"], world.users["outsider"], days_after=5)  # Daqing
    harbin = Region.objects.get(code="230100")
    TimelinessSetting.objects.create(region=harbin, threshold_days=3)

    result = checklists_for([world.project, world.other_project])
    assert result[world.project.pk].timeliness_threshold == 3
    assert result[world.project.pk].entry(items["permit"].code).state == EntryState.LATE
    assert result[world.other_project.pk].timeliness_threshold == 7
    assert result[world.other_project.pk].entry(items["permit"].code).state == EntryState.PUBLISHED


def test_a_correction_does_not_make_a_timely_item_late(world, items, user):
    first = publish(world.project, items["permit"], user, days_after=1)
    correction = publish(world.project, items["permit"], user, days_after=60, reason="更正笔误")
    entry = project_checklist(world.project).entry(items["permit"].code)
    assert entry.state == EntryState.PUBLISHED
    assert entry.current == correction and entry.first_published == first


def test_a_withdrawn_item_is_withdrawn_and_counts_as_not_published(world, items, user):
    publish(world.project, items["permit"], user)
    withdrawal = withdraw(world.project, items["permit"], user)
    entry = project_checklist(world.project).entry(items["permit"].code)
    assert entry.state == EntryState.WITHDRAWN
    assert entry.current == withdrawal
    assert not entry.is_published and entry.is_missing_required


def test_an_item_republished_after_withdrawal_is_judged_on_the_republication(world, items, user):
    publish(world.project, items["permit"], user, days_after=40)
    withdraw(world.project, items["permit"], user)
    publish(world.project, items["permit"], user, days_after=2, reason="核实后重新公示")
    entry = project_checklist(world.project).entry(items["permit"].code)
    assert entry.state == EntryState.PUBLISHED
    assert entry.timeliness_days == 2


def test_a_published_item_with_a_new_draft_stays_published_and_shows_the_draft(world, items, user):
    published = publish(world.project, items["permit"], user)
    draft = make_version(world.project, items["permit"], user, reason="补充")
    entry = project_checklist(world.project).entry(items["permit"].code)
    assert entry.state == EntryState.PUBLISHED
    assert (entry.current, entry.pending) == (published, draft)


def test_completeness_counts_due_required_items_published_late_or_not(world, items, user, settings):
    settings.GONGSHI_TIMELINESS_THRESHOLD_DAYS = 7
    publish(world.project, items["permit"], user, days_after=1)
    publish(world.project, items["rebar"], user, days_after=30)  # late still counts
    publish(world.project, items["insurance"], user)  # optional: not counted
    publish(world.project, items["warranty"], user)  # not due yet: not counted
    make_version(world.project, items["units"], user, status=VersionStatus.SUBMITTED)
    checklist = project_checklist(world.project)
    assert (checklist.required_published, checklist.required_due) == (2, 3)
    assert checklist.completeness == pytest.approx(2 / 3)
    assert checklist.category_completeness(Category.PROCEDURE) == 1.0
    assert checklist.category_completeness(Category.PARTIES) == 0.0
    assert checklist.category_completeness(Category.MATERIALS) == 1.0
    assert checklist.category_completeness(Category.ACCEPTANCE) == 1.0  # nothing required
    assert [e.item.code for e in checklist.missing_required] == [items["units"].code]
    assert [e.item.code for e in checklist.late] == [items["rebar"].code]
    assert checklist.counts == {
        "missing": 0,
        "draft": 0,
        "submitted": 1,
        "returned": 0,
        "published": 3,
        "late": 1,
        "withdrawn": 0,
        "inapplicable": 0,
    }


def test_withdrawing_lowers_completeness(world, items, user):
    for key in ("permit", "units", "rebar"):
        publish(world.project, items[key], user)
    assert project_checklist(world.project).completeness == 1.0
    withdraw(world.project, items["units"], user)
    assert project_checklist(world.project).completeness == pytest.approx(2 / 3)


def test_by_category_gives_all_six_categories_in_guidance_order(world, items):
    groups = project_checklist(world.project).by_category()
    assert [c for c, _ in groups] == list(Category)
    assert [e.item.code for e in dict(groups)[Category.PROCEDURE]] == [items["permit"].code]
    assert dict(groups)[Category.ACCEPTANCE] == []


def test_a_city_local_item_applies_to_that_city_from_its_effective_date(world, items):
    today = timezone.localdate()
    harbin = Region.objects.get(code="230100")
    local = make_item(region=harbin, effective_from=today + dt.timedelta(days=10))
    assert local.code not in codes(project_checklist(world.project, today=today))
    later = today + dt.timedelta(days=10)
    assert local.code in codes(project_checklist(world.project, today=later))
    assert local.code not in codes(project_checklist(world.other_project, today=later))


def test_a_district_local_item_does_not_apply_to_other_districts(world, items):
    nangang = Region.objects.get(code="230103")
    local = make_item(region=nangang)
    daoli_project = make_project(world.project.developer, "230102", name="道里测试小区")
    assert local.code in codes(project_checklist(world.project))
    assert local.code not in codes(project_checklist(daoli_project))
    assert set(CatalogueItem.objects.for_project(world.project)) >= {local}
    assert local not in CatalogueItem.objects.for_project(daoli_project)


def test_a_city_can_raise_an_optional_item_to_required_from_a_date(world, items, user):
    today = timezone.localdate()
    LocalRequirement.objects.create(
        region=Region.objects.get(code="230100"),
        item=items["insurance"],
        requirement=RequirementLevel.REQUIRED,
        effective_from=today + dt.timedelta(days=1),
    )
    code = items["insurance"].code
    assert project_checklist(world.project, today=today).entry(code).requirement == "optional"
    tomorrow = today + dt.timedelta(days=1)
    harbin = project_checklist(world.project, today=tomorrow)
    assert harbin.entry(code).requirement == RequirementLevel.REQUIRED
    assert harbin.required_due == 4
    daqing = project_checklist(world.other_project, today=tomorrow)
    assert daqing.entry(code).requirement == RequirementLevel.OPTIONAL


def test_a_city_cannot_lower_a_requirement(world, items):
    local = LocalRequirement(
        region=Region.objects.get(code="230100"),
        item=items["permit"],
        requirement=RequirementLevel.OPTIONAL,
        effective_from=timezone.localdate(),
    )
    with pytest.raises(ValidationError) as raised:
        local.full_clean()
    assert "地方只能提高公示要求" in str(raised.value)


def test_the_batch_form_agrees_with_the_single_form(world, items, user, settings):
    settings.GONGSHI_TIMELINESS_THRESHOLD_DAYS = 7
    publish(world.project, items["permit"], user, days_after=9)
    publish(world.other_project, items["units"], world.users["outsider"])
    batch = checklists_for(
        type(world.project).objects.filter(pk__in=[world.project.pk, world.other_project.pk])
    )
    for project in (world.project, world.other_project):
        single = project_checklist(project)
        assert [(e.item.code, e.state) for e in batch[project.pk].entries] == [
            (e.item.code, e.state) for e in single.entries
        ]
        assert batch[project.pk].completeness == single.completeness
    assert checklists_for([]) == {}


def _grow(project, user, n_items: int) -> None:
    """Add n items with a few versions each (published, corrected, drafts)."""
    for i in range(n_items):
        item = make_item(category=list(Category)[i % 6])
        if i % 3 == 0:
            publish(project, item, user)
            publish(project, item, user, reason="更正")
        elif i % 3 == 1:
            make_version(project, item, user, status=VersionStatus.SUBMITTED)


def test_a_project_checklist_costs_the_same_queries_for_few_or_many_items(
    world, items, user, django_assert_num_queries
):
    project = type(world.project).objects.get(pk=world.project.pk)  # region not loaded
    _grow(world.project, user, 2)
    with django_assert_num_queries(9) as small:
        checklist = project_checklist(project)
        values = [e.current.values for e in checklist.entries if e.current]
        names = [e.current.supplied_by.name for e in checklist.entries if e.current]
        files = [list(e.current.attachments.all()) for e in checklist.entries if e.current]
    assert values and names and files
    _grow(world.project, user, 40)
    project = type(world.project).objects.get(pk=world.project.pk)
    with django_assert_num_queries(len(small.captured_queries)):
        checklist = project_checklist(project)
        values = [e.current.values for e in checklist.entries if e.current]
        names = [e.current.supplied_by.name for e in checklist.entries if e.current]
        files = [list(e.current.attachments.all()) for e in checklist.entries if e.current]
    assert len(values) > 10


def test_checklists_for_many_projects_cost_the_same_queries_as_for_one(
    world, items, user, django_assert_num_queries
):
    Project = type(world.project)
    _grow(world.project, user, 3)
    with django_assert_num_queries(6) as one:
        checklists_for(Project.objects.filter(pk=world.project.pk))
    developer = make_org(OrganisationType.DEVELOPER, "230602")
    for n in range(6):
        project = make_project(developer, "230602", name=f"大庆测试{n}")
        link_all_units(project)
        _grow(project, user, 5)
    with django_assert_num_queries(len(one.captured_queries)):
        result = checklists_for(Project.objects.all())
    assert len(result) == Project.objects.count() == 8
    projects = list(Project.objects.all())  # a plain list: regions come in one more query
    with django_assert_num_queries(len(one.captured_queries)):
        checklists_for(projects)


def test_the_presale_permit_is_required_for_commercial_and_optional_for_affordable(world):
    from gongshi.core.choices import HousingType

    commercial = project_checklist(world.project)
    assert commercial.entry("procedure.presale_permit").requirement == RequirementLevel.REQUIRED
    world.project.housing_type = HousingType.AFFORDABLE
    affordable = project_checklist(world.project)
    assert affordable.entry("procedure.presale_permit").requirement == RequirementLevel.OPTIONAL
    assert affordable.required_due == commercial.required_due - 1


def test_the_built_in_catalogue_gives_a_sensible_checklist_per_stage(world):
    project = world.project  # shell, under construction
    checklist = project_checklist(project)
    got = codes(checklist)
    assert {"procedure.construction_permit", "parties.testing", "materials.rebar"} <= got
    assert "materials.fitout" not in got
    assert not any(c.startswith("warranty.service") for c in got)
    assert checklist.completeness == 0.0
    project.stage = Stage.NOT_STARTED
    assert {e.item.category for e in project_checklist(project).entries} <= {
        Category.PROCEDURE,
        Category.PARTIES,
        Category.OTHER,
        Category.WARRANTY,  # latent defect insurance is taken out before the permit
    }
    project.stage = Stage.HANDED_OVER
    project.delivery_standard = DeliveryStandard.FITTED
    everything = project_checklist(project)
    assert len(everything.entries) == CatalogueItem.objects.count()
    assert everything.counts["missing"] == len(everything.entries)


def test_the_queryset_and_the_checklist_agree_on_what_applies(world, items):
    today = timezone.localdate()
    harbin = Region.objects.get(code="230100")
    make_item(region=harbin)
    make_item(region=harbin, effective_from=today + dt.timedelta(days=3))
    make_item(region=Region.objects.get(code="230600"))
    world.project.stage = Stage.HANDED_OVER
    for day in (today, today + dt.timedelta(days=3)):
        listed = codes(project_checklist(world.project, include_not_due=True, today=day))
        queried = set(
            CatalogueItem.objects.for_project(world.project, today=day).values_list(
                "code", flat=True
            )
        )
        assert listed == queried
