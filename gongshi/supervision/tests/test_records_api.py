import datetime as dt

import pytest

from gongshi.core.testing import ROLES, assert_matrix
from gongshi.supervision import services
from gongshi.supervision.models import RecordEvent

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")


def test_records_are_open_data(world, key_supervision):
    assert_matrix(world, "get", "/api/v1/records/", dict.fromkeys(ROLES, 200))


def test_it_lists_and_filters_records(world, key_supervision, harbin_regulator, client):
    services.change_action(
        key_supervision,
        event=RecordEvent.LIFTED,
        regulator=harbin_regulator,
        user=world.users["regulator"],
        decided_on=dt.date(2026, 10, 1),
        reason="整改到位",
    )
    body = client.get("/api/v1/records/").json()
    assert body["count"] == 2
    lifted, made = body["results"]
    assert (lifted["event"], lifted["is_current"], lifted["supersedes"]) == (
        "lifted",
        True,
        made["id"],
    )
    assert made["is_current"] is False and made["project"] == world.project.code
    assert client.get("/api/v1/records/?city=230600").json()["count"] == 0
    assert (
        client.get(f"/api/v1/records/?project={world.project.code}&kind=key_supervision").json()[
            "count"
        ]
        == 2
    )


def test_records_cannot_be_written_through_the_api(world, key_supervision):
    response = world.client("regulator").delete(f"/api/v1/records/{key_supervision.pk}/")
    assert response.status_code == 405
    assert response.json()["error"]["code"]
