"""/api/v1/contact-verifications/ and /api/v1/projects/<code>/questions/."""

from rest_framework.test import APIClient

from gongshi.core.testing import ROLES, assert_matrix
from gongshi.participation.models import Question
from gongshi.participation.tests.conftest import code_from_outbox


def _verified_token(client: APIClient, contact: str = "api@example.com") -> str:
    assert client.post("/api/v1/contact-verifications/", {"contact": contact}).status_code == 202
    response = client.post(
        "/api/v1/contact-verifications/confirm/", {"contact": contact, "code": code_from_outbox()}
    )
    assert response.status_code == 200
    return response.json()["verification_token"]


def test_anyone_reads_the_questions_of_a_project(world, asked):
    url = f"/api/v1/projects/{world.project.code}/questions/"
    assert_matrix(world, "get", url, dict.fromkeys(ROLES, 200))


def test_asking_needs_a_verification_token_whoever_asks(world):
    url = f"/api/v1/projects/{world.project.code}/questions/"
    assert_matrix(
        world,
        "post",
        url,
        dict.fromkeys(ROLES, 400),
        data={"body": "请问何时交付？", "verification_token": "made-up"},
        content_type="application/json",
    )
    assert not Question.objects.exists()


def test_it_asks_through_the_api_and_lists_without_the_contact(world):
    client = APIClient()
    token = _verified_token(client)
    url = f"/api/v1/projects/{world.project.code}/questions/"
    response = client.post(
        url,
        {"verification_token": token, "kind": "question", "body": "请问何时交付？"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["asker_token"] and body["status"] == "waiting" and body["overdue"] is False
    assert body["deadline"] and body["deadline_working_days"] == 5
    listing = client.get(url)
    assert listing.json()["count"] == 1
    text = listing.content.decode()
    assert "api@example.com" not in text and "asker_token" not in text


def test_errors_come_in_the_one_shape_with_a_sentence(world):
    response = APIClient().post(
        "/api/v1/contact-verifications/", {"contact": "not a contact"}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_contact"
    assert error["fields"]["contact"] == ["请填写电子邮箱或 11 位手机号码。"]


def test_an_unverified_token_is_refused_with_what_to_do(world):
    response = APIClient().post(
        f"/api/v1/projects/{world.project.code}/questions/",
        {"verification_token": "nope", "body": "请问何时交付？"},
        format="json",
    )
    assert response.json()["error"]["code"] == "not_verified"
    assert "请先验证" in response.json()["error"]["message"]


def test_the_rate_limit_per_contact_answers_429_with_retry_after(world):
    client = APIClient()
    token = _verified_token(client)
    url = f"/api/v1/projects/{world.project.code}/questions/"
    for n in range(5):
        assert (
            client.post(
                url, {"verification_token": token, "body": f"第{n}个问题，请问？"}, format="json"
            ).status_code
            == 201
        )
    response = client.post(
        url, {"verification_token": token, "body": "第六个问题，请问？"}, format="json"
    )
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert response.json()["error"]["message"] == "同一联系方式一天内最多提问 5 次，请明天再提交。"
    assert 86000 < int(response["Retry-After"]) <= 86400


def test_the_verification_endpoints_are_open_to_every_persona(world):
    assert_matrix(
        world,
        "post",
        "/api/v1/contact-verifications/",
        dict.fromkeys(ROLES, 400),
        data={"contact": ""},
        content_type="application/json",
    )
    assert_matrix(
        world,
        "post",
        "/api/v1/contact-verifications/confirm/",
        dict.fromkeys(ROLES, 400),
        data={"contact": "x@example.com", "code": "123456"},
        content_type="application/json",
    )


def test_the_schema_documents_the_question_endpoints(world):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/projects/{code}/questions/" in schema["paths"]
    post = schema["paths"]["/api/v1/projects/{code}/questions/"]["post"]
    assert "verification_token" in str(post) or post["requestBody"]
    assert "/api/v1/contact-verifications/" in schema["paths"]
    assert "/api/v1/projects/{code}/webhooks/" in schema["paths"]
