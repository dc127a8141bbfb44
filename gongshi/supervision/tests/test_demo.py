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
