"""A regulator corrects a project's stage dates: public, logged, and everything derived follows."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from gongshi.catalogue.models import DueStage
from gongshi.catalogue.tests.factories import make_item, only_items, publish
from gongshi.core.choices import Stage
from gongshi.core.testing import ROLES, assert_matrix
from gongshi.disclosures.checklist import project_checklist
from gongshi.disclosures.models import Disclosure
from gongshi.integrity.models import LogEntry
from gongshi.projects.models import StageCorrection
from gongshi.public.retention import retention_for
from gongshi.regions.models import Region
from gongshi.supervision.stage_dates import correct_stage_dates

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`, 2026-11-25).
pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def regulator(world):
    from gongshi.organisations.regulators import regulator_for

    return regulator_for(world.users["regulator"])


@pytest.fixture
def built(world):
    """Under construction since 1 March 2026, a province item published, a Harbin item of 1 June."""
    province = make_item(code="t.permit", due_stage=DueStage.BEFORE_START)
    acceptance = make_item(code="t.acceptance", due_stage=DueStage.BEFORE_HANDOVER)
    local = make_item(
        code="local.t.harbin",
        due_stage=DueStage.BEFORE_START,
        region=Region.objects.get(code="230100"),
        effective_from=dt.date(2026, 6, 1),
    )
    only_items(province, acceptance, local)
    project = world.project
    project.stage = Stage.UNDER_CONSTRUCTION
    project.started_on = dt.date(2026, 3, 1)
    project.save()
    publish(project, province, world.users["developer"], days_after=3)
    return {"province": province, "acceptance": acceptance, "local": local}


def correct(world, regulator, **changes):
    return correct_stage_dates(
        regulator,
        world.users["regulator"],
        world.project,
        reason="核对施工许可和开工报告",
        **changes,
    )


def test_a_correction_is_logged_and_kept_with_before_and_after(world, regulator, built):
    correction = correct(world, regulator, started_on=dt.date(2026, 7, 1))
    assert correction.before["started_on"] == "2026-03-01"
    assert correction.after["started_on"] == "2026-07-01"
    leaf = LogEntry.objects.get(index=correction.leaf_index)
    assert leaf.kind == "stage_correction"
    payload = json.loads(leaf.entry_text)
    assert payload["project"] == world.project.code
    assert payload["reason"] == "核对施工许可和开工报告"
    assert payload["after"]["started_on"] == "2026-07-01"
    world.project.refresh_from_db()
    assert world.project.started_on == dt.date(2026, 7, 1)


def test_the_reason_is_required(world, regulator, built):
    with pytest.raises(ValidationError) as caught:
        correct_stage_dates(
            regulator, world.users["regulator"], world.project, reason=" ", stage="completed"
        )
    assert "请说明更正原因" in str(caught.value)
    assert not StageCorrection.objects.exists()


def test_dates_must_be_consistent(world, regulator, built):
    with pytest.raises(ValidationError) as caught:
        correct(world, regulator, completion_accepted_on=dt.date(2026, 1, 1))
    assert "竣工验收合格日期不能早于开工日期" in str(caught.value)
    with pytest.raises(ValidationError):
        correct(world, regulator, started_on=dt.date(2026, 12, 1))  # after today


def test_moving_the_start_date_changes_whether_the_local_item_binds(world, regulator, built):
    assert not project_checklist(world.project).entry("local.t.harbin").is_required
    correct(world, regulator, started_on=dt.date(2026, 7, 1))
    world.project.refresh_from_db()
    assert project_checklist(world.project).entry("local.t.harbin").is_required


def test_a_corrected_stage_changes_what_is_due_and_timeliness_stays_consistent(
    world, regulator, built
):
    before = Disclosure.objects.get(item=built["province"]).first_timeliness_days
    assert project_checklist(world.project).entry("t.acceptance") is None  # not due yet
    correct(
        world,
        regulator,
        stage=Stage.HANDED_OVER,
        completion_accepted_on=dt.date(2026, 9, 1),
        handed_over_on=dt.date(2026, 10, 1),
    )
    world.project.refresh_from_db()
    checklist = project_checklist(world.project)
    assert checklist.entry("t.acceptance").is_missing_required  # due now, and missing
    retention = retention_for(world.project)
    assert retention.online_until == dt.date(2027, 3, 1)
    waterproofing = next(t for t in retention.warranty if t.part.code == "waterproofing")
    assert waterproofing.runs_until == dt.date(2031, 10, 1)
    # Timeliness counts from each publication's own information date: unchanged, and the
    # derived counts still agree with the versions.
    assert Disclosure.objects.get(item=built["province"]).first_timeliness_days == before == 3
    call_command("recount")  # exits non-zero on any drift


def test_the_public_page_shows_the_correction(world, regulator, built, client):
    correct(world, regulator, started_on=dt.date(2026, 4, 1))
    html = client.get(f"/p/{world.project.code}/").content.decode()
    assert "监管部门更正的阶段日期" in html
    assert "开工日期 2026-03-01 → <strong>2026-04-01</strong>" in html
    assert "核对施工许可和开工报告" in html


def url(world) -> str:
    return f"/api/v1/supervision/projects/{world.project.code}/stage-dates/"


def test_only_the_regulator_of_the_area_may_correct(world, built):
    body = {"reason": "核对开工报告", "started_on": "2026-04-01"}
    expected = dict.fromkeys(ROLES, 404)
    expected |= {"anonymous": (401, 403), "regulator": 201}
    assert_matrix(world, "post", url(world), expected, data=body, content_type="application/json")
    assert StageCorrection.objects.count() == 1


def test_the_api_answers_a_missing_reason_in_the_error_shape(world, built):
    response = world.client("regulator").post(
        url(world), {"started_on": "2026-04-01"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "reason" in json.dumps(response.json()["error"])


def test_the_regulator_corrects_from_the_project_console(world, built, client):
    console = f"/supervision/p/{world.project.code}/"
    page = world.client("regulator").get(console).content.decode()
    assert "更正阶段日期" in page
    form = {
        "stage-stage": "under_construction",
        "stage-started_on": "2026-04-01",
        "stage-completion_accepted_on": "",
        "stage-handed_over_on": "",
        "stage-reason": "",
    }
    regulator = world.client("regulator")
    refused = regulator.post(console + "stage-dates/", form)
    assert refused.status_code == 200 and "请说明更正原因" in refused.content.decode()
    done = regulator.post(console + "stage-dates/", {**form, "stage-reason": "按开工报告更正"})
    assert done.status_code == 302
    world.project.refresh_from_db()
    assert world.project.started_on == dt.date(2026, 4, 1)
    assert "按开工报告更正" in client.get(f"/p/{world.project.code}/").content.decode()


def test_only_the_area_s_regulator_reaches_the_console_form(world, built):
    body = {"stage-stage": "under_construction", "stage-started_on": "2026-04-01"}
    body["stage-reason"] = "按开工报告更正"
    expected = dict.fromkeys(ROLES, 404) | {"regulator": 302}
    assert_matrix(
        world, "post", f"/supervision/p/{world.project.code}/stage-dates/", expected, data=body
    )
    assert StageCorrection.objects.count() == 1
