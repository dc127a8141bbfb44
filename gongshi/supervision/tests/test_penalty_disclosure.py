"""Penalties the regulators recorded against what the developer disclosed (§4.6, §6.3)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gongshi.core.testing import REGULATOR_ONLY, assert_matrix
from gongshi.supervision import services
from gongshi.supervision.models import ActionKind, RecordEvent
from gongshi.supervision.penalty_disclosure import (
    Answer,
    findings_by_project,
    findings_for_values,
    normalise_number,
)
from gongshi.supervision.tests.penalty_helpers import NUMBER, disclose, record_penalty, row

pytestmark = pytest.mark.usefixtures("frozen_now")

WORKLIST = "/supervision/projects/?worklist=undisclosed_penalties"
API_WORKLIST = "/api/v1/supervision/projects/?worklist=undisclosed_penalties"


def test_decision_numbers_match_however_the_brackets_and_spaces_are_typed():
    assert normalise_number("哈建罚字〔2026〕第 18 号") == normalise_number("哈建罚字[2026]第18号")
    assert normalise_number("哈建罚字（2026）第18号") == normalise_number(
        "哈建罚字【2026】第１８号"
    )
    assert normalise_number("哈建罚字〔2026〕第 18 号") != normalise_number(
        "哈建罚字〔2026〕第 19 号"
    )


def test_a_disclosure_that_answers_none_misses_the_recorded_penalty(world):
    record = record_penalty(world)
    disclose(world, None)
    [finding] = findings_by_project()[world.project.pk]
    assert finding.record == record and finding.answer == Answer.NONE


def test_a_disclosure_listing_the_decision_number_is_consistent(world):
    record_penalty(world)
    disclose(world, [row("哈建罚字[2026]第18号")])
    assert findings_by_project() == {}


def test_a_disclosure_listing_other_decisions_misses_this_one(world):
    record_penalty(world)
    disclose(world, [row("哈建罚字〔2026〕第 3 号")])
    [finding] = findings_by_project()[world.project.pk]
    assert finding.answer == Answer.NOT_LISTED


def test_a_revoked_penalty_need_not_be_disclosed(world):
    record = record_penalty(world)
    disclose(world, None)
    services.change_action(
        record,
        event=RecordEvent.REVOKED,
        regulator=record.regulator,
        user=world.users["regulator"],
        decided_on=record.decided_on,
        reason="处罚决定已被复议机关撤销",
    )
    assert findings_by_project() == {}


def test_a_corrected_penalty_is_checked_once_under_its_latest_number(world):
    record = record_penalty(world)
    disclose(world, None)
    services.change_action(
        record,
        event=RecordEvent.CORRECTED,
        regulator=record.regulator,
        user=world.users["regulator"],
        decided_on=record.decided_on,
        reason="更正整改期限",
    )
    assert len(findings_by_project()[world.project.pk]) == 1


def test_an_interview_is_published_by_the_regulator_alone(world):
    record_penalty(world, kind=ActionKind.INTERVIEW, number="")
    disclose(world, None)
    assert findings_by_project() == {}


def test_a_project_that_has_not_published_the_item_is_left_to_the_missing_items_worklist(world):
    record_penalty(world)
    assert findings_by_project() == {}
    assert [f.answer for f in findings_for_values(world.project, {})] == [Answer.NONE]


def test_the_developer_is_warned_in_the_workspace_naming_the_decision(world):
    record_penalty(world)
    disclose(world, None)
    url = f"/workspace/p/{world.project.code}/items/other.penalties/"
    page = world.client("developer").get(url).content.decode()
    assert 'id="undisclosed-penalties"' in page
    assert NUMBER in page and "已公示的内容没有列出" in page
    assert "处罚未如实公示" in page


def test_the_warning_goes_once_the_draft_lists_the_decision(world):
    record_penalty(world)
    disclose(world, [row()])
    url = f"/workspace/p/{world.project.code}/items/other.penalties/"
    assert 'id="undisclosed-penalties"' not in world.client("developer").get(url).content.decode()


def test_only_regulators_open_the_worklist(world):
    assert_matrix(world, "get", WORKLIST, REGULATOR_ONLY)


def test_the_worklist_lists_the_project_with_the_missing_decision(world):
    record_penalty(world)
    disclose(world, None)
    client = world.client("regulator")
    page = client.get(WORKLIST).content.decode()
    assert "处罚未如实公示" in page
    assert world.project.name in page and NUMBER in page
    assert "建设单位公示为“无”" in page
    assert f"/p/{world.project.code}/i/other.penalties/" in page
    dashboard = client.get("/supervision/").content.decode()
    assert "?worklist=undisclosed_penalties" in dashboard


def test_the_worklist_export_names_the_missing_decisions(world):
    record_penalty(world)
    disclose(world, None)
    csv = world.client("regulator").get(WORKLIST + "&format=csv").content.decode("utf-8-sig")
    header, line = csv.splitlines()[:2]
    assert header.endswith(",未如实公示的处罚")
    assert line.startswith(world.project.code)
    assert NUMBER in line and "建设单位公示为“无”" in line


def test_the_worklist_is_scoped_to_the_regulators_area(world):
    record_penalty(world)
    disclose(world, None)
    page = world.client("other_regulator").get(WORKLIST).content.decode()
    assert world.project.name not in page


def test_a_consistent_project_is_not_on_the_worklist(world):
    record_penalty(world)
    disclose(world, [row()])
    assert world.project.name not in world.client("regulator").get(WORKLIST).content.decode()


def test_the_console_api_lists_the_same_projects_with_their_missing_decisions(world):
    record_penalty(world)
    disclose(world, [row("哈建罚字〔2026〕第 3 号")])
    response = world.client("regulator").get(API_WORKLIST)
    assert response.status_code == 200
    [project] = response.json()["results"]
    assert project["code"] == world.project.code
    [missing] = project["undisclosed_penalties"]
    assert missing["decision_number"] == NUMBER
    assert missing["developer_answer"] == "not_listed"
    assert world.client("other_regulator").get(API_WORKLIST).json()["results"] == []


def test_the_console_api_is_for_regulators_only(world):
    assert_matrix(world, "get", API_WORKLIST, {**REGULATOR_ONLY, "anonymous": (401, 403, 404)})


def test_the_public_item_page_shows_both_disclosures_labelled(world, client):
    record_penalty(world)
    disclose(world, [row()])
    page = client.get(f"/p/{world.project.code}/i/other.penalties/").content.decode()
    assert "主管部门记录的处罚及信用记录" in page
    assert "公示方：主管部门" in page
    assert "已在建设单位公示中列出" in page
    assert "待整改" in page  # the rectification state
    assert page.count(NUMBER) >= 2  # the developer's row and the regulator's record


def test_the_public_item_page_says_when_the_developer_answered_none(world, client):
    record_penalty(world)
    disclose(world, None)
    page = client.get(f"/p/{world.project.code}/i/other.penalties/").content.decode()
    assert "建设单位公示为“无”，与主管部门记录不符" in page


def _queries(client, url) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_public_item_page_costs_the_same_queries_for_one_record_or_three(world, client):
    url = f"/p/{world.project.code}/i/other.penalties/"
    record_penalty(world)
    disclose(world, [row()])
    one = _queries(client, url)
    record_penalty(world, number="哈建罚字〔2026〕第 19 号")
    record_penalty(world, kind=ActionKind.CREDIT_PUNISHMENT, number="哈建信惩〔2026〕第 2 号")
    assert _queries(client, url) == one


def test_the_records_api_says_what_the_developer_disclosed_and_the_rectification_state(
    world, client
):
    record = record_penalty(world)
    disclose(world, None)
    response = client.get(f"/api/v1/records/?project={world.project.code}")
    [data] = response.json()["results"]
    assert data["id"] == record.pk
    assert data["developer_disclosure"] == "none"
    assert data["rectification_state"] == "due"
    assert client.get(f"/api/v1/records/{record.pk}/").json()["developer_disclosure"] == "none"


def test_the_developer_opening_the_item_for_the_first_time_is_told_what_to_disclose(world):
    record_penalty(world)
    url = f"/workspace/p/{world.project.code}/items/other.penalties/"
    page = world.client("developer").get(url).content.decode()
    assert "请在本事项中如实公示" in page and NUMBER in page


def test_the_project_pages_say_when_the_developer_did_not_list_a_penalty(world):
    record_penalty(world)
    disclose(world, None)
    public = Client().get(f"/p/{world.project.code}/").content.decode()
    console = world.client("regulator").get(f"/supervision/p/{world.project.code}/")
    for page in (public, console.content.decode()):
        assert "建设单位公示为“无”，与主管部门记录不符" in page


def test_the_project_page_says_when_the_developer_listed_a_penalty(world):
    record_penalty(world)
    disclose(world, [row()])
    public = Client().get(f"/p/{world.project.code}/").content.decode()
    assert "已在建设单位公示中列出" in public and "与主管部门记录不符" not in public
