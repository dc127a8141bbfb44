"""/api/v1/ for flats, archives, measured data and the owner's inspection: who may do what
(decided before the body is read), the public read without owner data, and the schema."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from gongshi.core.testing import ROLES
from gongshi.households import archive as archive_rules
from gongshi.households.models import FlatArchive, InspectionProblem, ProblemStatus
from gongshi.households.tests.conftest import CONTRACT, OWNER_NAME, OWNER_PHONE

pytestmark = pytest.mark.usefixtures("frozen_now")


def token_client(world, role: str) -> Client:
    if role == "anonymous":
        return Client()
    token, _ = Token.objects.get_or_create(user=world.users[role])
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def api_matrix(world, method, url, expected, **kwargs):
    failures = []
    for role in ROLES:
        response = getattr(token_client(world, role), method)(url, **kwargs)
        if response.status_code != expected[role]:
            failures.append(f"{role}: {response.status_code} != {expected[role]}")
    assert not failures, "\n".join(failures)


DEVELOPER_ONLY = {
    "anonymous": 401,
    "outsider": 404,
    "unit": 403,
    "developer": 200,
    "other_regulator": 404,
    "regulator": 404,
    "admin": 404,
}


def ws(world) -> str:
    return f"/api/v1/workspace/projects/{world.project.code}/"


def test_the_developers_routes_refuse_everyone_else(world, estate):
    flat = estate.archive.code
    api_matrix(world, "get", ws(world) + "flats/", DEVELOPER_ONLY)
    api_matrix(world, "get", ws(world) + f"flats/{flat}/", DEVELOPER_ONLY)
    api_matrix(world, "get", ws(world) + f"flats/{flat}/measurements/", DEVELOPER_ONLY)
    api_matrix(world, "get", ws(world) + "problems/", DEVELOPER_ONLY)


def test_writes_are_refused_before_the_body_is_read(world, estate):
    # A body that is not JSON at all: parsing it would be a 400; who is asking comes first.
    url = ws(world) + f"flats/{estate.archive.code}/measurements/"
    expected = {**DEVELOPER_ONLY, "developer": 400}
    api_matrix(world, "post", url, expected, data="{not json", content_type="application/json")


def test_the_developer_generates_flats_records_measurements_and_publishes(world, estate):
    from gongshi.projects.models import Building

    client = token_client(world, "developer")
    building = Building.objects.create(project=world.project, name="3号楼", floors_above=11)
    response = client.post(
        ws(world) + "flats/",
        {"building": building.pk, "floors_from": 1, "floors_to": 11, "per_floor": 4},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert len(response.json()) == 44
    flat = response.json()[0]["code"]
    response = client.post(
        ws(world) + f"flats/{flat}/measurements/",
        {
            "kind": "net_height",
            "room": "客厅",
            "design_value": "2800",
            "measured_value": "2780",
            "measured_on": timezone.localdate().isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["passed"] is False  # 20 mm off, ±15 allowed
    assert response.json()["allowed_deviation"] == "15.0"
    response = client.patch(
        ws(world) + f"flats/{flat}/", {"published": True}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["published"] is True
    public = Client().get(f"/api/v1/projects/{world.project.code}/flats/{flat}/").json()
    assert public["summary"] == {"total": 1, "passed": 0, "failed": 1}


def test_a_measurement_without_its_design_value_says_what_to_fill(world, estate):
    response = token_client(world, "developer").post(
        ws(world) + f"flats/{estate.archive.code}/measurements/",
        {
            "kind": "bay",
            "room": "主卧",
            "measured_value": "3600",
            "measured_on": (timezone.localdate() - dt.timedelta(days=5)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["design_value"]


def test_the_public_read_never_carries_the_owner(world, estate):
    archive_rules.publish(estate.archive, True)
    developer_view = token_client(world, "developer").get(
        ws(world) + f"flats/{estate.archive.code}/"
    )
    assert developer_view.json()["owner_phone"] == "139****5678"
    for role in ROLES:
        body = (
            token_client(world, role)
            .get(f"/api/v1/projects/{world.project.code}/flats/{estate.archive.code}/")
            .content.decode()
        )
        for secret in (OWNER_NAME, OWNER_PHONE, CONTRACT, "139****5678", "owner"):
            assert secret not in body, (role, secret)
    body = json.loads(body)
    assert body["flat"]["code"] == estate.archive.code
    assert len(body["measurements"]) == 5
    assert body["summary"] == {"total": 5, "passed": 4, "failed": 1}


def test_before_publication_the_public_read_has_no_measured_data(world, estate):
    body = (
        Client().get(f"/api/v1/projects/{world.project.code}/flats/{estate.archive.code}/").json()
    )
    assert body["flat"]["published"] is False
    assert body["measurements"] == [] and body["summary"] is None


def owner_token(world, estate) -> str:
    response = Client().post(
        f"/api/v1/projects/{world.project.code}/flats/{estate.archive.code}/owner-sessions/",
        {"contract_number": CONTRACT, "phone": OWNER_PHONE},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return response.json()["token"]


def test_the_owners_inspection_through_the_api(world, estate):
    base = f"/api/v1/projects/{world.project.code}/flats/{estate.archive.code}/"
    owner = Client(HTTP_AUTHORIZATION=f"Owner {owner_token(world, estate)}")
    response = owner.post(
        base + "problems/",
        {"location": "卫生间", "description": "地漏周边积水不排"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    problem = response.json()["id"]
    fix_by = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    response = token_client(world, "developer").post(
        ws(world) + f"problems/{problem}/answer/",
        {"answer": "重新找坡", "fix_by": fix_by},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    response = owner.post(
        base + f"problems/{problem}/decision/", {"accepted": True}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == ProblemStatus.ACCEPTED
    assert [e["action"] for e in response.json()["events"]] == ["recorded", "answered", "accepted"]
    assert len(owner.get(base + "problems/").json()) == 1


def test_the_owners_routes_need_the_owners_token_for_that_flat(world, estate):
    base = f"/api/v1/projects/{world.project.code}/flats/{estate.archive.code}/problems/"
    anonymous = Client().post(base, "{not json", content_type="application/json")
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"].startswith("Owner")
    assert Client(HTTP_AUTHORIZATION="Owner nonsense").get(base).status_code == 401
    # The developer's token is not an owner's.
    assert token_client(world, "developer").get(base).status_code == 401
    other = FlatArchive.objects.exclude(pk=estate.archive.pk).filter(project=world.project).first()
    token = owner_token(world, estate)
    response = Client(HTTP_AUTHORIZATION=f"Owner {token}").post(
        f"/api/v1/projects/{world.project.code}/flats/{other.code}/problems/",
        "{not json",
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "other_flat"
    assert not InspectionProblem.objects.exists()


def test_a_wrong_contract_number_is_a_400_with_the_sentence(world, estate):
    response = Client().post(
        f"/api/v1/projects/{world.project.code}/flats/{estate.archive.code}/owner-sessions/",
        {"contract_number": "HT-0000", "phone": OWNER_PHONE},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_owner"


def test_the_schema_covers_every_route(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = json.loads(response.content)["paths"]
    for path in [
        "/api/v1/projects/{code}/flats/{flat}/",
        "/api/v1/projects/{code}/flats/{flat}/owner-sessions/",
        "/api/v1/projects/{code}/flats/{flat}/owner-codes/",
        "/api/v1/projects/{code}/flats/{flat}/problems/",
        "/api/v1/projects/{code}/flats/{flat}/problems/{id}/decision/",
        "/api/v1/projects/{code}/sample-rooms/{room}/",
        "/api/v1/workspace/projects/{code}/flats/",
        "/api/v1/workspace/projects/{code}/flats/{flat}/",
        "/api/v1/workspace/projects/{code}/flats/{flat}/measurements/",
        "/api/v1/workspace/projects/{code}/problems/",
        "/api/v1/workspace/projects/{code}/problems/{id}/answer/",
        "/api/v1/workspace/projects/{code}/samples/",
        "/api/v1/workspace/projects/{code}/samples/{id}/rooms/",
    ]:
        assert path in paths, path


def test_the_developer_sets_up_a_sample_flat_and_its_room_labels_through_the_api(world, estate):
    api = token_client(world, "developer")
    response = api.post(
        ws(world) + "samples/",
        json.dumps({"name": "A户型样板间", "layout": "三室两厅", "rooms": ["客厅", "厨房"]}),
        content_type="application/json",
    )
    assert response.status_code == 201
    sample = response.json()
    assert [r["name"] for r in sample["rooms"]] == ["客厅", "厨房"]
    kitchen = sample["rooms"][1]
    assert kitchen["url"] == f"/p/{world.project.code}/s/{kitchen['code']}/"
    added = api.post(
        ws(world) + f"samples/{sample['id']}/rooms/",
        json.dumps({"name": "主卫", "locations": "卫生间"}),
        content_type="application/json",
    )
    assert added.status_code == 201 and added.json()["locations"] == "卫生间"
    listing = api.get(ws(world) + "samples/").json()
    assert [r["name"] for r in listing[0]["rooms"]] == ["客厅", "厨房", "主卫"]
    # Its label opens the room's public page, for anyone.
    assert Client().get(added.json()["url"]).status_code == 200
    # A sample flat without a name says what to fill, and nothing is created.
    bad = api.post(
        ws(world) + "samples/", json.dumps({"name": ""}), content_type="application/json"
    )
    assert bad.status_code == 400 and "name" in bad.json()["error"]["fields"]
    assert len(api.get(ws(world) + "samples/").json()) == 1
    # Only the developer.
    api_matrix(world, "get", ws(world) + "samples/", DEVELOPER_ONLY)
    api_matrix(
        world, "post", ws(world) + f"samples/{sample['id']}/rooms/",
        {**DEVELOPER_ONLY, "developer": 201},
        data=json.dumps({"name": "次卧"}), content_type="application/json",
    )  # fmt: skip


def test_the_sample_flat_listing_costs_the_same_queries_for_one_flat_or_many(world, estate):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongshi.households import samples

    api = token_client(world, "developer")
    samples.create_sample(world.project, name="A户型样板间", rooms=["客厅"])
    with CaptureQueriesContext(connection) as few:
        assert len(api.get(ws(world) + "samples/").json()) == 1
    for n in range(4):
        samples.create_sample(world.project, name=f"{n}号样板间", rooms=["客厅", "厨房", "主卧"])
    with CaptureQueriesContext(connection) as many:
        listing = api.get(ws(world) + "samples/").json()
    assert len(listing) == 5 and sum(len(s["rooms"]) for s in listing) == 13
    assert len(many) == len(few), [q["sql"] for q in many]
