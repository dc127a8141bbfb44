"""Enterprise-level decisions: a regulator commends an enterprise or puts it under key supervision."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gongshi.core.testing import assert_matrix, make_project
from gongshi.integrity.models import LogEntry
from gongshi.supervision import services
from gongshi.supervision.models import ActionKind, Inspection, RecordEvent, RegulatorRecord

pytestmark = pytest.mark.usefixtures("frozen_now")

OUTSIDERS_404 = {
    "anonymous": 302,  # to the login page
    "outsider": 404,
    "unit": 404,
    "developer": 404,
    "other_regulator": 404,
    "regulator": 200,
    "admin": 404,
}


def _key_supervision(world, regulator, **kwargs):
    return services.make_enterprise_action(
        kind=ActionKind.KEY_SUPERVISION,
        subject=world.project.developer,
        regulator=regulator,
        user=world.users["regulator"],
        decided_on=dt.date(2026, 9, 1),
        reason="多个项目公示信息更新不及时，投诉较多",
        inspection_interval_days=14,
        **kwargs,
    )


def test_only_the_regulator_of_the_area_opens_the_enterprise_console(world):
    code = world.project.developer.credit_code
    assert_matrix(world, "get", f"/supervision/e/{code}/", OUTSIDERS_404)


def test_only_the_regulator_of_the_area_can_decide(world):
    code = world.project.developer.credit_code
    data = {
        "kind": ActionKind.COMMENDATION,
        "decided_on": "2026-09-01",
        "reason": "公示完整及时",
        "credit_incentive": "评优评先优先推荐",
    }
    expected = dict(OUTSIDERS_404, regulator=302)
    assert_matrix(world, "post", f"/supervision/e/{code}/", expected, data=data)
    record = RegulatorRecord.objects.get()
    assert record.project is None and record.subject == world.project.developer


def test_only_the_regulator_of_the_area_can_lift(world, harbin_regulator):
    record = _key_supervision(world, harbin_regulator)
    code = world.project.developer.credit_code
    data = {"event": RecordEvent.LIFTED, "decided_on": "2026-09-20", "reason": "整改到位"}
    url = f"/supervision/e/{code}/records/{record.pk}/change/"
    expected = dict(OUTSIDERS_404, regulator=302)
    assert_matrix(world, "post", url, expected, data=data)
    assert not RegulatorRecord.objects.in_force().exists()
    assert RegulatorRecord.objects.get(supersedes=record).event == RecordEvent.LIFTED


def test_an_enterprise_without_a_project_in_the_area_is_not_found(world):
    outsider = world.users["outsider"].organisations.get()
    client = world.client("regulator")
    assert client.get(f"/supervision/e/{outsider.credit_code}/").status_code == 404
    regulator = world.users["regulator"].organisations.get()
    assert client.get(f"/supervision/e/{regulator.credit_code}/").status_code == 404


def test_the_form_says_what_is_missing_and_writes_nothing(world):
    code = world.project.developer.credit_code
    response = world.client("regulator").post(
        f"/supervision/e/{code}/",
        {"kind": ActionKind.KEY_SUPERVISION, "decided_on": "2026-09-01", "reason": "投诉多"},
    )
    assert response.status_code == 200
    assert "重点监管须规定检查频次" in response.content.decode()
    assert not RegulatorRecord.objects.exists() and not Inspection.objects.exists()


def test_key_supervision_schedules_each_project_in_the_area_and_is_logged(world, harbin_regulator):
    developer = world.project.developer
    second = make_project(developer, "230103", name="哈尔滨第二期", address="哈尔滨市测试路9号")
    daqing = make_project(developer, "230602", name="大庆第二期", address="大庆市测试路2号")
    record = _key_supervision(world, harbin_regulator)
    planned = {i.project_id: i.scheduled_on for i in Inspection.objects.filter(record=record)}
    assert planned == {world.project.pk: dt.date(2026, 9, 15), second.pk: dt.date(2026, 9, 15)}
    assert daqing.pk not in planned  # another city's regulator decides there
    entry = LogEntry.objects.get(index=record.leaf_index)
    assert entry.kind == "regulator_record"
    assert '"project":null' in entry.entry_text.replace(" ", "")
    assert developer.credit_code in entry.entry_text
    with pytest.raises(ValidationError, match="已在重点监管中"):
        _key_supervision(world, harbin_regulator)


def test_only_commendation_and_key_supervision_at_enterprise_level(world, harbin_regulator):
    with pytest.raises(ValidationError):
        services.make_enterprise_action(
            kind=ActionKind.PENALTY,
            subject=world.project.developer,
            regulator=harbin_regulator,
            user=world.users["regulator"],
            decided_on=dt.date(2026, 9, 1),
            reason="x",
        )
    with pytest.raises(ValidationError, match="没有项目"):
        services.make_enterprise_action(
            kind=ActionKind.COMMENDATION,
            subject=world.project.developer,  # its projects are all in Harbin
            regulator=world.users["other_regulator"].organisations.get(),
            user=world.users["other_regulator"],
            decided_on=dt.date(2026, 9, 1),
            reason="公示完整",
            credit_incentive="优先推荐",
        )


def test_the_decision_shows_on_the_enterprise_page_and_each_project_page(
    world, harbin_regulator, client
):
    developer = world.project.developer
    daqing = make_project(developer, "230602", name="大庆第二期", address="大庆市测试路2号")
    services.make_enterprise_action(
        kind=ActionKind.COMMENDATION,
        subject=developer,
        regulator=harbin_regulator,
        user=world.users["regulator"],
        decided_on=dt.date(2026, 9, 1),
        reason="各项目公示完整及时",
        credit_incentive="评优评先优先推荐",
    )
    assert "各项目公示完整及时" in client.get(f"/e/{developer.credit_code}/").content.decode()
    for project in (world.project, daqing):
        page = client.get(f"/p/{project.code}/").content.decode()
        assert "各项目公示完整及时" in page
        assert "企业层面的决定" in page and f"/e/{developer.credit_code}/" in page
    assert (
        "各项目公示完整及时" not in client.get(f"/p/{world.other_project.code}/").content.decode()
    )
    data = client.get("/api/v1/records/").json()
    rows = data["results"] if isinstance(data, dict) else data
    assert [(r["project"], r["subject_credit_code"]) for r in rows] == [
        (None, developer.credit_code)
    ]
    records = client.get(f"/api/v1/enterprises/{developer.credit_code}/").json()["records"]
    assert [r["reason"] for r in records] == ["各项目公示完整及时"]


def _token(user):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_the_console_api_decides_on_an_enterprise_and_lifts_it(world):
    from rest_framework.test import APIClient

    code = world.project.developer.credit_code
    url = f"/api/v1/supervision/enterprises/{code}/decisions/"
    refused = {
        "anonymous": 401,
        "outsider": 404,
        "unit": 404,
        "developer": 404,
        "other_regulator": 404,
        "admin": 404,
    }
    for role, status in refused.items():
        client = APIClient()
        if role != "anonymous":
            client.force_authenticate(world.users[role])
        response = client.post(url, b"\x00\xff", content_type="application/x-not-a-format")
        assert response.status_code == status, role
    client = _token(world.users["regulator"])
    missing = client.post(
        url, {"kind": "key_supervision", "decided_on": "2026-09-01"}, format="json"
    )
    assert missing.status_code == 400 and "reason" in str(missing.json())
    # A list where one value belongs (as schemathesis sends) is the client's error, named.
    listed = client.post(
        url,
        {"kind": "key_supervision", "decided_on": "2026-09-01", "reason": ["投诉", "频次高"]},
        format="json",
    )
    assert listed.status_code == 400 and "reason" in listed.json()["error"]["fields"]
    assert not RegulatorRecord.objects.exists()
    made = client.post(
        url,
        {
            "kind": "key_supervision",
            "decided_on": "2026-09-01",
            "reason": "投诉频次高",
            "inspection_interval_days": 10,
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["project"] is None and body["subject_credit_code"] == code
    assert Inspection.objects.get().scheduled_on == dt.date(2026, 9, 11)
    lifted = client.post(
        f"/api/v1/supervision/records/{body['id']}/changes/",
        {"event": "lifted", "decided_on": "2026-09-20", "reason": "整改到位"},
        format="json",
    )
    assert lifted.status_code == 201, lifted.content
    assert not Inspection.objects.open().exists()
    daqing = _token(world.users["other_regulator"])
    assert (
        daqing.post(
            f"/api/v1/supervision/records/{body['id']}/changes/", {}, format="json"
        ).status_code
        == 404
    )


def _count(client, urls) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        for url in urls:
            assert client.get(url).status_code == 200
    return len(captured)


def test_pages_showing_enterprise_decisions_run_a_constant_number_of_queries(
    world, harbin_regulator, client
):
    developer = world.project.developer
    public = [f"/p/{world.project.code}/", f"/e/{developer.credit_code}/", "/records/"]
    console = world.client("regulator")
    mine = [f"/supervision/e/{developer.credit_code}/"]

    def decide(n):
        record = services.make_enterprise_action(
            kind=ActionKind.COMMENDATION,
            subject=developer,
            regulator=harbin_regulator,
            user=world.users["regulator"],
            decided_on=dt.date(2026, 9, 1),
            reason=f"公示完整及时{n}",
            credit_incentive="优先推荐",
        )
        services.change_action(
            record,
            event=RecordEvent.CORRECTED,
            regulator=harbin_regulator,
            user=world.users["regulator"],
            decided_on=dt.date(2026, 9, 2),
            reason=f"更正措施{n}",
            credit_incentive="评优优先推荐",
        )

    decide(0)
    few = (_count(client, public), _count(console, mine))
    for n in range(1, 6):
        decide(n)
        make_project(developer, "230103", name=f"项目{n}", address=f"哈尔滨市测试路{n}号")
    assert (_count(client, public), _count(console, mine)) == few
