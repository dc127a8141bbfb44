"""GET /api/v1/log/…: checkpoint, public key, entries, proofs — public, read-only, one error shape."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from gongshi.core.testing import assert_matrix
from gongshi.integrity import log
from gongshi.integrity.merkle import (
    leaf_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)
from gongshi.integrity.models import LogEntry
from gongshi.integrity.note import parse_verifier_key, verify_checkpoint

EVERYONE_OK = dict.fromkeys(
    ["anonymous", "outsider", "unit", "developer", "other_regulator", "regulator", "admin"], 200
)


@pytest.fixture
def logged(world):
    log.append_leaves([("test", {"n": n, "text": f"第{n}条"}) for n in range(11)], checkpoint=False)
    return log.make_checkpoint()


def b64(text: str) -> bytes:
    return base64.b64decode(text)


def test_everyone_may_read_the_checkpoint(world, logged):
    assert_matrix(world, "get", "/api/v1/log/checkpoint", EVERYONE_OK)


def test_the_checkpoint_is_signed_by_the_published_key(world, logged):
    checkpoint = Client().get("/api/v1/log/checkpoint").json()
    key = parse_verifier_key(Client().get("/api/v1/log/public-key").json()["verifier_key"])
    parsed = verify_checkpoint(checkpoint["signed_note"], key)
    assert parsed.tree_size == checkpoint["tree_size"] == 11
    assert parsed.root_hash == b64(checkpoint["root_hash"]) == logged.root_hash
    assert checkpoint["root_hex"] == logged.root_hex


def test_a_new_site_url_does_not_rename_the_log(world, logged, settings):
    """Moving to a new domain changes SITE_URL (and the default origin); verifiers that hold
    the log's key must still accept old and new checkpoints."""
    original = logged.signed_note.split("\n", 1)[0]
    settings.GONGSHI_LOG_ORIGIN = "gongshi.example.cn/log"
    log.append_leaves([("test", {"n": 99, "text": "迁移后"})], checkpoint=False)
    log.make_checkpoint()
    checkpoint = Client().get("/api/v1/log/checkpoint").json()
    assert checkpoint["signed_note"].split("\n", 1)[0] == original
    key = parse_verifier_key(Client().get("/api/v1/log/public-key").json()["verifier_key"])
    assert verify_checkpoint(checkpoint["signed_note"], key).tree_size == 12
    assert verify_checkpoint(logged.signed_note, key).tree_size == 11


def test_without_publications_there_is_no_checkpoint_yet(db):
    response = Client().get("/api/v1/log/checkpoint")
    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "no_checkpoint",
        "message": "日志还没有检查点：尚无任何公示。",
    }


def test_everyone_may_read_an_entry_and_its_bytes_hash_to_the_leaf(world, logged):
    assert_matrix(world, "get", "/api/v1/log/entries/3", EVERYONE_OK)
    data = Client().get("/api/v1/log/entries/3").json()
    assert data["entry"] == '{"n":3,"text":"第3条","type":"test"}'
    assert b64(data["leaf_hash"]) == leaf_hash(data["entry"].encode())


def test_a_missing_entry_is_a_404_in_the_error_shape(world, logged):
    response = Client().get("/api/v1/log/entries/99")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "日志中没有序号为 99 的条目。"


def test_everyone_may_ask_for_proofs(world, logged):
    assert_matrix(world, "get", "/api/v1/log/proof/inclusion?index=4&tree_size=11", EVERYONE_OK)
    assert_matrix(world, "get", "/api/v1/log/proof/consistency?first=3&second=11", EVERYONE_OK)


def test_inclusion_proofs_verify_for_every_leaf_and_default_to_the_checkpoint(world, logged):
    leaves = [bytes(h) for h in LogEntry.objects.values_list("leaf_hash", flat=True)]
    for index in range(11):
        data = Client().get(f"/api/v1/log/proof/inclusion?index={index}").json()
        assert data["tree_size"] == 11
        verify_inclusion(
            index, 11, b64(data["leaf_hash"]), [b64(h) for h in data["hashes"]], logged.root_hash
        )
    data = Client().get("/api/v1/log/proof/inclusion?index=2&tree_size=5").json()
    verify_inclusion(2, 5, leaves[2], [b64(h) for h in data["hashes"]], root_of(leaves[:5]))


def test_consistency_proofs_verify_between_any_two_sizes(world, logged):
    leaves = [bytes(h) for h in LogEntry.objects.values_list("leaf_hash", flat=True)]
    for first in range(12):
        data = Client().get(f"/api/v1/log/proof/consistency?first={first}&second=11").json()
        proof = [b64(h) for h in data["hashes"]]
        verify_consistency(first, 11, proof, root_of(leaves[:first]), logged.root_hash)


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        ("", "missing_parameter", "缺少参数 index：请给出一个非负整数。"),
        ("?index=abc", "invalid_parameter", "参数 index 必须是非负整数。"),
        ("?index=-1", "invalid_parameter", "参数 index 必须是非负整数。"),
        (
            "?index=11",
            "out_of_range",
            "index=11 不在大小为 11 的日志中：index 必须小于 tree_size。",
        ),
        ("?index=1&tree_size=12", "out_of_range", "tree_size=12 超出了日志的大小（11 条）。"),
    ],
)
def test_bad_inclusion_parameters_answer_a_chinese_sentence(world, logged, query, code, message):
    response = Client().get("/api/v1/log/proof/inclusion" + query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code
    assert message in error["message"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?first=1", "缺少参数 second：请给出一个非负整数。"),
        ("?first=5&second=3", "first 不能大于 second：请先给较早（较小）的日志大小。"),
        ("?first=1&second=50", "second=50 超出了日志的大小（11 条）。"),
    ],
)
def test_bad_consistency_parameters_answer_a_chinese_sentence(world, logged, query, message):
    response = Client().get("/api/v1/log/proof/consistency" + query)
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]


def test_errors_are_in_english_when_english_is_chosen(world, logged):
    response = Client().get("/api/v1/log/proof/inclusion?index=abc", HTTP_ACCEPT_LANGUAGE="en")
    assert "index must be a non-negative integer" in response.json()["error"]["message"]


def test_a_proof_over_damaged_tables_says_so(world, logged):
    from gongshi.integrity.tests.helpers import raw_sql

    raw_sql("DELETE FROM integrity_lognode")
    response = Client().get("/api/v1/log/proof/inclusion?index=0")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "log_damaged"


def test_proofs_take_a_constant_number_of_queries(world, logged, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        Client().get("/api/v1/log/proof/inclusion?index=0&tree_size=11")
    with django_assert_max_num_queries(5):
        Client().get("/api/v1/log/proof/consistency?first=3&second=11")


def test_the_log_endpoints_are_in_the_openapi_schema(db):
    schema = Client().get("/api/schema/").content.decode()
    for path in [
        "/api/v1/log/checkpoint",
        "/api/v1/log/entries/{index}",
        "/api/v1/log/proof/inclusion",
        "/api/v1/log/proof/consistency",
        "/api/v1/log/projects/{code}/entries",
        "/api/v1/log/public-key",
    ]:
        assert path in schema
