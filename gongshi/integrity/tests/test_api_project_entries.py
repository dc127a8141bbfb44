"""GET /api/v1/log/projects/<code>/entries: a project's versions with entries and proofs."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from gongshi.core.testing import assert_matrix
from gongshi.integrity import log
from gongshi.integrity.merkle import canonical_json, leaf_hash, verify_inclusion
from gongshi.integrity.tests.helpers import publish_with_file

EVERYONE_OK = dict.fromkeys(
    ["anonymous", "outsider", "unit", "developer", "other_regulator", "regulator", "admin"], 200
)


@pytest.fixture
def published(world):
    versions = [publish_with_file(world, note=f"第{n}项") for n in range(2)]
    log.make_checkpoint()
    return versions


def test_everyone_may_list_a_projects_log_entries(world, published):
    assert_matrix(world, "get", f"/api/v1/log/projects/{world.project.code}/entries", EVERYONE_OK)


def test_each_version_is_rebuilt_from_current_data_and_proved_in_the_checkpoint(world, published):
    data = Client().get(f"/api/v1/log/projects/{world.project.code}/entries").json()
    checkpoint = log.latest_checkpoint()
    assert data["tree_size"] == checkpoint.tree_size == 2
    assert [v["leaf_index"] for v in data["versions"]] == [0, 1]
    for version in data["versions"]:
        leaf = leaf_hash(canonical_json(version["published"]))
        assert version["entry"]["entry"].encode() == canonical_json(version["published"])
        proof = [base64.b64decode(h) for h in version["inclusion_proof"]]
        verify_inclusion(version["leaf_index"], 2, leaf, proof, bytes(checkpoint.root_hash))
        [file] = version["files"]
        assert file["name"] == "施工许可证.pdf"
        assert file["url"] == f"/files/{file['sha256']}/"
        assert version["published"]["files"] == [{"name": file["name"], "sha256": file["sha256"]}]


def test_an_unknown_project_is_a_404_in_the_error_shape(db):
    response = Client().get("/api/v1/log/projects/NOPE/entries")
    assert response.status_code == 404
    assert "error" in response.json()


def test_the_listing_takes_a_constant_number_of_queries(
    world, published, django_assert_num_queries
):
    url = f"/api/v1/log/projects/{world.project.code}/entries"
    # Enough leaves that proofs need stored inner nodes too; then more must cost nothing.
    for n in range(3):
        publish_with_file(world, note=f"又一项{n}")
    log.make_checkpoint()
    # + the buildings each instance covers, + the stage corrections
    with django_assert_num_queries(9) as few:
        Client().get(url)
    for n in range(4):
        publish_with_file(world, note=f"更多{n}")
    log.make_checkpoint()
    with django_assert_num_queries(len(few.captured_queries)):
        Client().get(url)


def test_stage_corrections_are_listed_with_their_entries_in_constant_queries(
    world, published, frozen_now, django_assert_num_queries
):
    import datetime as dt

    from django.utils import timezone

    from gongshi.organisations.regulators import regulator_for
    from gongshi.supervision.stage_dates import correct_stage_dates

    url = f"/api/v1/log/projects/{world.project.code}/entries"
    world.project.started_on = timezone.localdate() - dt.timedelta(days=90)
    world.project.save()

    def correct(days: int):
        return correct_stage_dates(
            regulator_for(world.users["regulator"]), world.users["regulator"], world.project,
            reason="核对开工报告", started_on=timezone.localdate() - dt.timedelta(days=days),
        )  # fmt: skip

    first = correct(91)
    log.make_checkpoint()
    with django_assert_num_queries(11) as few:  # + the corrections' entries and proofs
        body = Client().get(url).json()
    listed = body["stage_corrections"]
    assert [c["leaf_index"] for c in listed] == [first.leaf_index]
    assert listed[0]["published"]["type"] == "stage_correction"
    assert listed[0]["published"]["reason"] == "核对开工报告"
    assert listed[0]["entry"]["index"] == first.leaf_index and listed[0]["inclusion_proof"]
    for days in (92, 93):
        correct(days)
    log.make_checkpoint()
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(Client().get(url).json()["stage_corrections"]) == 3
