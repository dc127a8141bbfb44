import pytest

from gongshi.core.choices import OrganisationType
from gongshi.core.testing import link_all_units, make_org, make_project, make_user
from gongshi.demo.supervision import seed_supervision
from gongshi.supervision.models import Inspection, RecordEvent, RegulatorRecord


def test_the_demo_records_are_made_through_the_services_and_only_once(world):
    # Both Harbin projects are under construction and have all seven units, whichever of
    # them the demo picks for the commendation.
    link_all_units(make_project(world.project.developer, name="第二个哈尔滨项目"))
    count = seed_supervision()
    # Harbin: commendation, key supervision, a penalty, bad conduct + its correction
    assert count == 5
    assert RegulatorRecord.objects.filter(event=RecordEvent.CORRECTED).count() == 1
    assert Inspection.objects.filter(performed_on__isnull=False).count() == 1
    assert Inspection.objects.overdue().count() == 1
    penalty = RegulatorRecord.objects.get(kind="penalty")
    assert penalty.rectify_by and penalty.rectification_steps.get().step == "reported"
    assert seed_supervision() == 5


def test_cities_without_an_officer_get_no_records(world):
    make_org(OrganisationType.REGULATOR, "230200", name="齐齐哈尔市住房和城乡建设局")
    make_user("lonely", None)
    make_project(world.project.developer, name="第二个哈尔滨项目")
    seed_supervision()
    assert not RegulatorRecord.objects.filter(project__region__code__startswith="2302").exists()


@pytest.mark.usefixtures("frozen_now")
def test_the_demo_has_a_local_item_with_its_date_and_a_stage_date_correction(world):
    import datetime as dt

    from gongshi.catalogue.models import CatalogueItem
    from gongshi.projects.models import StageCorrection

    link_all_units(make_project(world.project.developer, name="第二个哈尔滨项目"))
    world.project.stage = "under_construction"
    world.project.started_on = dt.date(2026, 3, 1)
    world.project.save()
    seed_supervision()
    local = CatalogueItem.objects.get(code="local.r230100.demo_site_noise")
    assert local.effective_from == dt.date(2026, 11, 25) - dt.timedelta(days=200)
    correction = StageCorrection.objects.get()
    assert correction.before["started_on"] == "2026-03-01"
    assert correction.after["started_on"] == "2026-03-08"
    assert correction.leaf_index is not None


def test_a_developer_with_projects_in_two_cities_is_commended_as_an_enterprise(world):
    # Qiqihar has no regulator in this world, so no city record touches the developer there.
    qiqihar = make_project(world.project.developer, "230202", name="齐齐哈尔分公司项目")
    seed_supervision()
    record = RegulatorRecord.objects.get(project__isnull=True)
    assert record.kind == "commendation" and record.subject == world.project.developer
    assert record.regulator.region.code == "230100"
    assert RegulatorRecord.objects.about_project(qiqihar).filter(pk=record.pk).exists()


def test_an_enterprise_under_key_supervision_is_not_commended_as_a_whole(world):
    # With a second Harbin project the developer is put under key supervision there.
    link_all_units(make_project(world.project.developer, name="第二个哈尔滨项目"))
    make_project(world.project.developer, "230602", name="大庆分公司项目")
    seed_supervision()
    assert RegulatorRecord.objects.filter(
        kind="key_supervision", subject=world.project.developer
    ).exists()
    assert not RegulatorRecord.objects.filter(
        project__isnull=True, subject=world.project.developer
    ).exists()


@pytest.mark.usefixtures("frozen_now")
def test_the_demo_records_the_penalty_a_developer_disclosed_itself_consistently(world):
    from gongshi.supervision.penalty_disclosure import findings_by_project
    from gongshi.supervision.tests.penalty_helpers import NUMBER, disclose, row

    disclose(world, [row(status="done")])  # with the decision's scan
    seed_supervision()
    record = RegulatorRecord.objects.get(project=world.project, decision_number=NUMBER)
    assert (
        record.kind == "penalty"
        and record.regulator == world.users["regulator"].organisations.get()
    )
    steps = [s.step for s in record.rectification_steps.order_by("created_at", "pk")]
    assert steps == ["reported", "accepted"]
    assert world.project.pk not in findings_by_project()
    page = world.client("anonymous").get(f"/p/{world.project.code}/i/other.penalties/")
    text = page.content.decode()
    assert "处罚决定书.pdf" in text and "已在建设单位公示中列出" in text
    assert "整改验收通过" in text
