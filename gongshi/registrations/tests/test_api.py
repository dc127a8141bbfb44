"""The registrations in the API: the regulator's worklist and decision, the developer's
invitations, the applicant's own state — each checks who asks before it reads the body."""

from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gongshi.core.testing import assert_matrix
from gongshi.organisations.credit_codes import make_credit_code
from gongshi.organisations.models import RegistrationStatus
from gongshi.registrations.models import Invitation

GARBAGE = {"data": b"\x00\xffnot a body", "content_type": "application/x-not-a-format"}


def _token_client(user) -> Client:
    token = Token.objects.create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def test_only_regulators_list_registrations_and_only_of_their_area(world, application):
    url = reverse("api:supervision-registrations")
    expected = {
        "anonymous": (401, 403),
        "outsider": 404,
        "unit": 404,
        "developer": 404,
        "other_regulator": 200,
        "regulator": 200,
        "admin": 404,
    }
    assert_matrix(world, "get", url, expected)
    rows = _token_client(world.users["regulator"]).get(url).json()
    assert [r["credit_code"] for r in rows] == [application.organisation.credit_code]
    assert rows[0]["licence_url"].startswith("/files/")
    assert _token_client(world.users["other_regulator"]).get(url).json() == []


def test_decision_refuses_before_reading_the_body(world, application):
    url = reverse("api:supervision-registration-decision", args=[application.pk])
    failures = []
    expected = {"anonymous": 401, "outsider": 404, "developer": 404, "other_regulator": 404}
    for role, status in expected.items():
        client = APIClient()
        if role != "anonymous":
            client.force_authenticate(world.users[role])
        response = client.post(url, **GARBAGE)
        if response.status_code != status:
            failures.append(f"{role}: {response.status_code} ≠ {status}")
    assert not failures, failures
    application.refresh_from_db()
    assert application.status == RegistrationStatus.PENDING


def test_a_regulator_decides_with_a_token(world, application, django_capture_on_commit_callbacks):
    client = _token_client(world.users["regulator"])
    url = reverse("api:supervision-registration-decision", args=[application.pk])
    missing = client.post(url, {"decision": "reject"}, content_type="application/json")
    assert missing.status_code == 400
    assert missing.json()["error"]["fields"]["reason"] == [
        "不予通过时请写明理由，申请单位将据此修改后重新提交。"
    ]
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"decision": "approve"}, content_type="application/json")
    assert done.status_code == 200
    assert done.json()["status"] == "approved"
    assert mail.outbox[-1].to == ["qian@example.com"]
    again = client.post(url, {"decision": "approve"}, content_type="application/json")
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "already_decided"


def test_the_applicant_reads_its_own_registrations(world, application):
    url = reverse("api:registrations-mine")
    rows = _token_client(application.applicant).get(url).json()
    assert [r["status"] for r in rows] == ["pending"]
    assert _token_client(world.users["developer"]).get(url).json() == []
    assert Client().get(url).status_code in (401, 403)


def test_developers_invite_through_the_api(world, django_capture_on_commit_callbacks):
    url = reverse("api:workspace-invitations", args=[world.project.code])
    expected = {
        "anonymous": (401, 403),
        "outsider": 404,
        "unit": 403,
        "developer": 200,
        "other_regulator": 404,
        "regulator": 404,
        "admin": 404,
    }
    assert_matrix(world, "get", url, expected)
    failures = []
    for role, status in {"anonymous": 401, "outsider": 404, "unit": 403}.items():
        client = APIClient()
        if role != "anonymous":
            client.force_authenticate(world.users[role])
        response = client.post(url, **GARBAGE)
        if response.status_code != status:
            failures.append(f"{role}: {response.status_code} ≠ {status}")
    assert not failures, failures
    client = _token_client(world.users["developer"])
    body = {
        "role": "design",
        "credit_code": make_credit_code("230103", 6161),
        "name": "新设计院",
        "leader_name": "吴设",
        "email": "design@example.com",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Invitation.objects.get().email == "design@example.com"
    assert "/register/?invitation=" in mail.outbox[-1].body
    bad = client.post(url, {**body, "credit_code": "91230103ABC"}, content_type="application/json")
    assert bad.status_code == 400
    assert "18 位" in bad.json()["error"]["fields"]["credit_code"][0]


def test_the_schema_documents_the_new_endpoints(client, db):
    schema = client.get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/supervision/registrations/",
        "/api/v1/supervision/registrations/{id}/decision/",
        "/api/v1/registrations/mine/",
        "/api/v1/workspace/projects/{code}/invitations/",
    ):
        assert path in schema["paths"], path
