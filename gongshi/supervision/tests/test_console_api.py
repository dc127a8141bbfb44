"""The regulator's console through the API: the matrix, the area scope, and the same rules."""

import datetime as dt
import secrets

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gongshi.core.testing import assert_matrix
from gongshi.participation.models import Question, QuestionKind
from gongshi.public.models import PageStamp
from gongshi.supervision import services
from gongshi.supervision.models import ActionKind, Inspection, RecordEvent, RegulatorRecord
from gongshi.supervision.rectification import report_rectification

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

#: Reading the console: only regulators; another city's regulator reads its own area.
READ = {
    "anonymous": (401, 403),
    "outsider": 404,
    "unit": 404,
    "developer": 404,
    "other_regulator": 200,
    "regulator": 200,
    "admin": 404,
}
#: A project, record or inspection of Harbin: another city's regulator gets 404 too.
HARBIN_ONLY = {**READ, "other_regulator": 404}
GARBAGE = {"data": b"\x00\xffnot a body", "content_type": "application/x-not-a-format"}


def _token(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def _refused_before_the_body(world, url: str, expected: dict) -> None:
    failures = []
    for role, status in expected.items():
        client = APIClient()
        if role != "anonymous":
            client.force_authenticate(world.users[role])
        response = client.post(url, **GARBAGE)
        if response.status_code not in (status if isinstance(status, tuple) else (status,)):
            failures.append(f"{role}: {response.status_code} ≠ {status}")
    assert not failures, failures


WRITE_REFUSED = {
    "anonymous": 401,
    "outsider": 404,
    "unit": 404,
    "developer": 404,
    "other_regulator": 404,
    "admin": 404,
}


@pytest.fixture
def penalty(world, harbin_regulator):
    today = timezone.localdate()
    return services.make_action(
        kind=ActionKind.RECTIFICATION_ORDER,
        project=world.project,
        subject=world.project.developer,
        regulator=harbin_regulator,
        user=world.users["regulator"],
        decided_on=today - dt.timedelta(days=10),
        reason="外墙保温层施工不符合设计要求",
        content="责令限期整改",
        rectify_by=today + dt.timedelta(days=20),
    )


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/supervision/dashboard/",
        "/api/v1/supervision/projects/",
        "/api/v1/supervision/late-items/",
        "/api/v1/supervision/overdue-questions/",
        "/api/v1/supervision/inspections/",
    ],
)
def test_only_regulators_read_the_console(world, url):
    assert_matrix(world, "get", url, READ)


def test_a_project_of_the_area_is_hidden_from_other_cities(world, key_supervision):
    url = f"/api/v1/supervision/projects/{world.project.code}/"
    assert_matrix(world, "get", url, HARBIN_ONLY)
    body = _token(world.users["regulator"]).get(url).json()
    assert body["project"]["code"] == world.project.code
    assert body["subjects"][0] == {
        "credit_code": world.project.developer.credit_code,
        "name": world.project.developer.name,
        "role": "developer",
    }
    assert len(body["subjects"]) == 7
    assert [r["kind"] for r in body["records"]] == ["key_supervision"]
    assert body["inspections"][0]["status"] == "overdue"  # due 14 days after 1 September


def test_the_dashboard_counts_the_area_and_drills_down(world):
    harbin = _token(world.users["regulator"])
    body = harbin.get("/api/v1/supervision/dashboard/").json()
    assert body["region"]["code"] == "230100"
    assert body["totals"]["projects"] == 1
    assert len(body["trends"]) == 12
    assert "230103" in [r["code"] for r in body["subregions"]]
    stage = next(f for f in body["by_stage"] if f["value"] == 1)
    projects = harbin.get(f"/api/v1/supervision/projects/?{stage['drill']}").json()
    assert [p["code"] for p in projects["results"]] == [world.project.code]
    district = harbin.get("/api/v1/supervision/dashboard/?region=230103&months=3").json()
    assert (district["region"]["level"], district["totals"]["projects"]) == ("county", 1)
    assert len(district["trends"]) == 3
    # Daqing is not Harbin's to read, and Daqing's regulator sees only Daqing.
    assert harbin.get("/api/v1/supervision/dashboard/?region=230602").status_code == 404
    daqing = _token(world.users["other_regulator"])
    assert daqing.get("/api/v1/supervision/dashboard/?region=230103").status_code == 404
    other = daqing.get("/api/v1/supervision/projects/").json()
    assert [p["code"] for p in other["results"]] == [world.other_project.code]


def test_the_overdue_questions_worklist(world):
    asked = timezone.now() - dt.timedelta(days=30)
    Question.objects.create(
        project=world.project,
        kind=QuestionKind.COMPLAINT,
        body="楼道渗水一个月无人处理",
        contact="buyer@example.com",
        contact_kind="email",
        asker_token_hash=secrets.token_hex(32),
        asked_at=asked,
        deadline_working_days=5,
    )
    url = "/api/v1/supervision/overdue-questions/"
    rows = _token(world.users["regulator"]).get(url).json()["results"]
    assert [(r["project"], r["kind"]) for r in rows] == [(world.project.code, "complaint")]
    assert "contact" not in rows[0]
    assert _token(world.users["other_regulator"]).get(url).json()["results"] == []
    worklist = "/api/v1/supervision/projects/?worklist=overdue_questions"
    listed = _token(world.users["regulator"]).get(worklist).json()["results"]
    assert [p["questions_overdue"] for p in listed] == [1]


def test_a_regulator_makes_a_penalty_with_a_token(world, harbin_regulator):
    url = f"/api/v1/supervision/projects/{world.project.code}/records/"
    _refused_before_the_body(world, url, WRITE_REFUSED)
    assert not RegulatorRecord.objects.exists()
    client = _token(world.users["regulator"])
    body = {
        "kind": "penalty",
        "subject": world.units["contractor"].credit_code,
        "decided_on": timezone.localdate().isoformat(),
        "reason": "擅自降低混凝土强度等级",
    }
    missing = client.post(url, body, format="json")
    assert missing.status_code == 400
    fields = missing.json()["error"]["fields"]
    assert fields["decision_number"] == ["行政处罚须填写决定书文号。"]
    assert fields["legal_basis"] == ["行政处罚须写明法律依据。"]
    stamp_before = PageStamp.objects.filter(project=world.project).first()
    before = stamp_before.revision if stamp_before else 0
    body |= {
        "decision_number": "哈建罚字〔2026〕12号",
        "legal_basis": "《建设工程质量管理条例》第六十四条",
        "content": "罚款",
        "amount": "200000.00",
        "rectify_by": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
    }
    made = client.post(url, body, format="json")
    assert made.status_code == 201, made.content
    record = made.json()
    assert (record["kind"], record["event"], record["amount"]) == ("penalty", "made", "200000.00")
    assert record["subject_credit_code"] == world.units["contractor"].credit_code
    assert record["issuing_authority"] == harbin_regulator.name
    assert record["leaf_index"] is not None
    assert PageStamp.objects.get(project=world.project).revision > before
    public = APIClient().get(f"/api/v1/records/{record['id']}/").json()
    assert public["decision_number"] == "哈建罚字〔2026〕12号"


def test_a_record_about_an_outsider_or_in_the_future_is_refused(world):
    client = _token(world.users["regulator"])
    url = f"/api/v1/supervision/projects/{world.project.code}/records/"
    stranger = world.other_project.developer.credit_code
    wrong = client.post(
        url,
        {
            "kind": "commendation",
            "subject": stranger,
            "decided_on": timezone.localdate().isoformat(),
            "reason": "公示完整及时",
            "credit_incentive": "优先评优",
        },
        format="json",
    )
    assert wrong.status_code == 400
    assert "subject" in wrong.json()["error"]["fields"]
    future = client.post(
        url,
        {
            "kind": "commendation",
            "subject": world.project.developer.credit_code,
            "decided_on": (timezone.localdate() + dt.timedelta(days=1)).isoformat(),
            "reason": "公示完整及时",
            "credit_incentive": "优先评优",
        },
        format="json",
    )
    assert future.json()["error"]["fields"]["decided_on"] == ["决定日期不能晚于今天。"]
    other_city = f"/api/v1/supervision/projects/{world.other_project.code}/records/"
    assert client.post(other_city, {}, format="json").status_code == 404
    assert not RegulatorRecord.objects.exists()


def test_english_errors_for_an_english_caller(world):
    client = _token(world.users["regulator"])
    url = f"/api/v1/supervision/projects/{world.project.code}/records/"
    response = client.post(
        url,
        {
            "kind": "key_supervision",
            "subject": world.project.developer.credit_code,
            "decided_on": timezone.localdate().isoformat(),
            "reason": "多次投诉",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert "inspection" in message.lower() and "重点监管" not in message


def test_penalties_are_revoked_not_lifted(world, penalty):
    url = f"/api/v1/supervision/records/{penalty.pk}/changes/"
    _refused_before_the_body(world, url, WRITE_REFUSED)
    client = _token(world.users["regulator"])
    today = timezone.localdate().isoformat()
    lifted = client.post(
        url, {"event": "lifted", "decided_on": today, "reason": "整改完成"}, format="json"
    )
    assert lifted.status_code == 400
    assert lifted.json()["error"]["code"] == "invalid_event"
    moved = (timezone.localdate() + dt.timedelta(days=40)).isoformat()
    corrected = client.post(
        url,
        {"event": "corrected", "decided_on": today, "reason": "延长整改期限", "rectify_by": moved},
        format="json",
    )
    assert corrected.status_code == 201
    assert (corrected.json()["rectify_by"], corrected.json()["supersedes"]) == (moved, penalty.pk)
    stale = client.post(
        url, {"event": "revoked", "decided_on": today, "reason": "对象有误"}, format="json"
    )
    assert stale.json()["error"]["code"] == "superseded"
    latest = corrected.json()["id"]
    revoked = client.post(
        f"/api/v1/supervision/records/{latest}/changes/",
        {"event": "revoked", "decided_on": today, "reason": "处罚对象有误"},
        format="json",
    )
    assert revoked.status_code == 201
    assert revoked.json()["event"] == RecordEvent.REVOKED
    assert not RegulatorRecord.objects.in_force().filter(project=world.project).exists()


def test_the_regulator_reviews_the_reported_rectification(world, penalty):
    url = f"/api/v1/supervision/records/{penalty.pk}/rectification-review/"
    _refused_before_the_body(world, url, WRITE_REFUSED)
    client = _token(world.users["regulator"])
    nothing = client.post(url, {"accepted": True, "text": "验收通过"}, format="json")
    assert nothing.json()["error"]["code"] == "nothing_to_review"
    report_rectification(
        penalty,
        organisation=world.project.developer,
        user=world.users["developer"],
        text="已返工并复检合格",
    )
    rejected = client.post(url, {"accepted": False, "text": "复检报告缺少签章"}, format="json")
    assert rejected.status_code == 201
    assert rejected.json()["step"] == "rejected" and rejected.json()["leaf_index"] is not None
    report_rectification(
        penalty,
        organisation=world.project.developer,
        user=world.users["developer"],
        text="补充签章后的复检报告",
    )
    accepted = client.post(url, {"accepted": True, "text": "整改到位"}, format="json")
    assert accepted.json()["step"] == "accepted"
    steps = APIClient().get(f"/api/v1/records/{penalty.pk}/").json()["rectification_steps"]
    assert [s["step"] for s in steps] == ["reported", "rejected", "reported", "accepted"]


def test_inspections_are_listed_and_recorded(world, key_supervision):
    inspection = key_supervision.inspections.get()
    url = f"/api/v1/supervision/inspections/{inspection.pk}/result/"
    _refused_before_the_body(world, url, WRITE_REFUSED)
    client = _token(world.users["regulator"])
    rows = client.get("/api/v1/supervision/inspections/").json()["results"]
    assert [(r["id"], r["status"]) for r in rows] == [(inspection.pk, "overdue")]
    assert client.get("/api/v1/supervision/inspections/?status=overdue").json()["count"] == 1
    listed = client.get("/api/v1/supervision/projects/?worklist=overdue_inspections").json()
    assert [p["code"] for p in listed["results"]] == [world.project.code]
    daqing = _token(world.users["other_regulator"])
    assert daqing.get("/api/v1/supervision/inspections/?status=all").json()["count"] == 0
    empty = client.post(url, {"performed_on": timezone.localdate().isoformat()}, format="json")
    assert empty.status_code == 400 and "findings" in empty.json()["error"]["fields"]
    today = timezone.localdate()
    done = client.post(
        url, {"performed_on": today.isoformat(), "findings": "资料齐全，现场无问题"}, format="json"
    )
    assert done.status_code == 201
    body = done.json()
    assert body["performed"]["status"] == "performed"
    assert body["next"]["scheduled_on"] == (today + dt.timedelta(days=14)).isoformat()
    again = client.post(url, {"performed_on": today.isoformat(), "findings": "再次"}, format="json")
    assert again.json()["error"]["code"] == "already_recorded"
    assert Inspection.objects.filter(project=world.project).count() == 2


def test_the_schema_documents_the_console(client, db):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    for path in (
        "/api/v1/supervision/dashboard/",
        "/api/v1/supervision/projects/",
        "/api/v1/supervision/projects/{code}/",
        "/api/v1/supervision/projects/{code}/records/",
        "/api/v1/supervision/records/{id}/changes/",
        "/api/v1/supervision/records/{id}/rectification-review/",
        "/api/v1/supervision/late-items/",
        "/api/v1/supervision/overdue-questions/",
        "/api/v1/supervision/inspections/",
        "/api/v1/supervision/inspections/{id}/result/",
    ):
        assert path in paths, path
