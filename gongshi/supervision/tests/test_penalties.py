"""Penalties and credit records: made by the area's regulator, rectified, revoked, published."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gongshi.core.choices import UnitRole
from gongshi.core.testing import assert_matrix
from gongshi.integrity.models import LogEntry
from gongshi.supervision import services
from gongshi.supervision.models import ActionKind, RecordEvent, RegulatorRecord
from gongshi.supervision.rectification import report_rectification, review_rectification

pytestmark = pytest.mark.usefixtures("frozen_now")

PENALTY = {
    "decision_number": "哈建罚字〔2026〕第 18 号",
    "legal_basis": "《建设工程质量管理条例》第五十六条",
    "content": "罚款并责令限期改正",
    "amount": Decimal("200000.00"),
    "rectify_by": dt.date(2026, 12, 31),
}


@pytest.fixture
def penalty(world, harbin_regulator):
    return services.make_action(
        kind=ActionKind.PENALTY,
        project=world.project,
        subject=world.project.developer,
        regulator=harbin_regulator,
        user=world.users["regulator"],
        decided_on=dt.date(2026, 11, 1),
        reason="未按规定公示分户验收信息",
        **PENALTY,
    )


def test_a_penalty_carries_its_decision_and_is_logged(penalty, harbin_regulator):
    assert penalty.issuing_authority == harbin_regulator.name  # defaults to the regulator
    leaf = LogEntry.objects.get(index=penalty.leaf_index)
    assert leaf.kind == "regulator_record"
    assert PENALTY["decision_number"] in leaf.entry_text and '"200000.00"' in leaf.entry_text


def test_a_penalty_needs_its_decision_number_basis_and_content(world, harbin_regulator):
    with pytest.raises(ValidationError) as caught:
        services.make_action(
            kind=ActionKind.PENALTY,
            project=world.project,
            subject=world.project.developer,
            regulator=harbin_regulator,
            user=world.users["regulator"],
            decided_on=dt.date(2026, 11, 1),
            reason="事由",
        )
    assert set(caught.value.error_dict) == {"decision_number", "legal_basis", "content"}
    with pytest.raises(ValidationError) as caught:
        services.make_action(
            kind=ActionKind.RECTIFICATION_ORDER,
            project=world.project,
            subject=world.project.developer,
            regulator=harbin_regulator,
            user=world.users["regulator"],
            decided_on=dt.date(2026, 11, 1),
            reason="事由",
        )
    assert set(caught.value.error_dict) == {"rectify_by"}


def test_a_regulator_of_another_city_cannot_record_a_penalty(world):
    daqing = world.users["other_regulator"].organisations.get()
    with pytest.raises(ValidationError, match="管辖范围"):
        services.make_action(
            kind=ActionKind.INTERVIEW,
            project=world.project,
            subject=world.project.developer,
            regulator=daqing,
            user=world.users["other_regulator"],
            decided_on=dt.date(2026, 11, 1),
            reason="约谈",
        )


def test_the_rectification_track_reports_rejects_reports_and_accepts(
    world, penalty, harbin_regulator
):
    developer = world.project.developer
    review = {"regulator": harbin_regulator, "user": world.users["regulator"]}
    with pytest.raises(ValidationError, match="待验收"):
        review_rectification(penalty, accepted=True, text="好", **review)
    report_rectification(
        penalty, organisation=developer, user=world.users["developer"], text="已补充公示"
    )
    with pytest.raises(ValidationError, match="等待主管部门验收"):
        report_rectification(
            penalty, organisation=developer, user=world.users["developer"], text="x"
        )
    review_rectification(penalty, accepted=False, text="分户验收表缺 3 户", **review)
    report_rectification(
        penalty, organisation=developer, user=world.users["developer"], text="已全部补齐"
    )
    accepted = review_rectification(penalty, accepted=True, text="整改到位", **review)
    assert LogEntry.objects.get(index=accepted.leaf_index).kind == "rectification"
    assert [s.step for s in penalty.rectification_steps.all()] == [
        "reported",
        "rejected",
        "reported",
        "accepted",
    ]
    with pytest.raises(ValidationError, match="已验收通过"):
        report_rectification(
            penalty, organisation=developer, user=world.users["developer"], text="x"
        )
    contractor = world.units[UnitRole.CONTRACTOR]
    with pytest.raises(ValidationError, match="只有被处罚单位"):
        report_rectification(penalty, organisation=contractor, user=world.users["unit"], text="x")


def test_a_revoked_penalty_is_published_with_its_reason_and_ends_the_track(
    world, penalty, harbin_regulator, client
):
    revocation = services.change_action(
        penalty,
        event=RecordEvent.REVOKED,
        regulator=harbin_regulator,
        user=world.users["regulator"],
        decided_on=dt.date(2026, 11, 10),
        reason="复议决定撤销原处罚",
    )
    assert revocation.decision_number == PENALTY["decision_number"]
    assert not RegulatorRecord.objects.in_force().filter(pk=revocation.pk).exists()
    with pytest.raises(ValidationError, match="已撤销"):
        report_rectification(
            penalty, organisation=world.project.developer, user=world.users["developer"], text="x"
        )
    with pytest.raises(ValidationError):
        services.change_action(
            revocation,
            event=RecordEvent.CORRECTED,
            regulator=harbin_regulator,
            user=world.users["regulator"],
            decided_on=dt.date(2026, 11, 11),
            reason="再改",
        )
    page = client.get(f"/p/{world.project.code}/").content.decode()
    assert "复议决定撤销原处罚" in page and "撤销理由" in page
    enterprise = client.get(f"/e/{world.project.developer.credit_code}/").content.decode()
    assert "复议决定撤销原处罚" in enterprise and PENALTY["decision_number"] in enterprise
    api = client.get("/api/v1/records/", {"kind": "penalty"}).json()["results"]
    assert {r["event"] for r in api} == {"made", "revoked"}


def test_a_penalty_cannot_be_lifted(world, penalty, harbin_regulator):
    with pytest.raises(ValidationError, match="不能解除"):
        services.change_action(
            penalty,
            event=RecordEvent.LIFTED,
            regulator=harbin_regulator,
            user=world.users["regulator"],
            decided_on=dt.date(2026, 11, 10),
            reason="x",
        )


def test_a_correction_moves_the_deadline_and_keeps_the_track(
    world, penalty, harbin_regulator, client
):
    report_rectification(
        penalty, organisation=world.project.developer, user=world.users["developer"], text="已整改"
    )
    services.change_action(
        penalty,
        event=RecordEvent.CORRECTED,
        regulator=harbin_regulator,
        user=world.users["regulator"],
        decided_on=dt.date(2026, 11, 5),
        reason="延长整改期限",
        rectify_by=dt.date(2027, 1, 31),
    )
    page = client.get(f"/records/{penalty.pk}/rectification/").content.decode()
    assert "2027-01-31" in page and "已整改" in page and "已报告，待主管部门验收" in page


def test_the_penalty_shows_on_the_project_page_enterprise_page_and_api(world, penalty, client):
    project_page = client.get(f"/p/{world.project.code}/").content.decode()
    assert PENALTY["decision_number"] in project_page and "200000.00 元" in project_page
    assert "待整改" in project_page
    data = client.get(f"/api/v1/enterprises/{world.project.developer.credit_code}/").json()
    (record,) = data["records"]
    assert record["kind"] == "penalty" and record["rectify_by"] == "2026-12-31"
    assert record["legal_basis"] == PENALTY["legal_basis"]


def test_a_rectification_step_changes_the_project_pages_tag(world, penalty, client):
    first = client.get(f"/p/{world.project.code}/")
    report_rectification(
        penalty, organisation=world.project.developer, user=world.users["developer"], text="已补齐"
    )
    second = client.get(f"/p/{world.project.code}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and "已补齐" in second.content.decode()


def test_the_rectification_page_matrix(world, penalty):
    url = f"/records/{penalty.pk}/rectification/"
    everyone = dict.fromkeys(
        ["anonymous", "outsider", "unit", "developer", "other_regulator", "regulator", "admin"],
        200,
    )
    assert_matrix(world, "get", url, everyone)
    # Reporting: only the developer (or the unit the record is about).
    report = {"action": "report", "report-text": "已补充公示"}
    assert_matrix(
        world,
        "post",
        url,
        {
            "anonymous": 404,
            "outsider": 404,
            "unit": 404,
            "developer": 302,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 404,
        },
        data=report,
    )
    review = {"action": "review", "review-text": "整改到位", "review-accepted": "1"}
    assert_matrix(
        world,
        "post",
        url,
        {
            "anonymous": 404,
            "outsider": 404,
            "unit": 404,
            "developer": 404,
            "other_regulator": 404,
            "regulator": 302,
            "admin": 404,
        },
        data=review,
    )
    assert [s.step for s in penalty.rectification_steps.all()] == ["reported", "accepted"]


def test_the_console_records_a_penalty(world, harbin_regulator):
    client = world.client("regulator")
    response = client.post(
        f"/supervision/p/{world.project.code}/",
        {
            "kind": "penalty",
            "subject": world.project.developer.pk,
            "decided_on": "2026-11-20",
            "reason": "未按规定公示",
            "decision_number": "哈建罚字〔2026〕第 20 号",
            "legal_basis": "条例第五十六条",
            "content": "罚款",
            "amount": "50000",
            "rectify_by": "2026-12-20",
        },
    )
    assert response.status_code == 302
    record = RegulatorRecord.objects.get(kind="penalty")
    assert record.amount == Decimal("50000") and record.rectify_by == dt.date(2026, 12, 20)
    # The commendation form ignores penalty fields it was not meant to carry.
    client.post(
        f"/supervision/p/{world.project.code}/",
        {
            "kind": "commendation",
            "subject": world.project.developer.pk,
            "decided_on": "2026-11-20",
            "reason": "公示完整",
            "credit_incentive": "优先评优",
            "amount": "1",
        },
    )
    assert RegulatorRecord.objects.get(kind="commendation").amount is None


def test_pages_with_penalties_run_a_constant_number_of_queries(world, harbin_regulator, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(f"/e/{world.project.developer.credit_code}/")
            client.get("/records/")
            client.get("/api/v1/records/")
        return len(captured)

    def penalise(n: int):
        record = services.make_action(
            kind=ActionKind.CRITICISM,
            project=world.project,
            subject=world.project.developer,
            regulator=harbin_regulator,
            user=world.users["regulator"],
            decided_on=dt.date(2026, 11, 1),
            reason=f"通报 {n}",
            rectify_by=dt.date(2026, 12, 1),
        )
        report_rectification(
            record, organisation=world.project.developer, user=world.users["developer"], text="改"
        )

    penalise(0)
    few = count()
    for n in range(1, 6):
        penalise(n)
    assert count() == few
