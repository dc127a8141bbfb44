"""Publishing a version appends exactly one leaf, stamps its index and records who did it."""

import pytest

from gongshi.catalogue.tests.factories import make_item, publish, withdraw
from gongshi.disclosures.log_entry import version_payload
from gongshi.integrity.log import latest_checkpoint
from gongshi.integrity.merkle import canonical_json, leaf_hash
from gongshi.integrity.models import AuditEvent, LogEntry


@pytest.fixture
def item(db):
    return make_item()


def test_publishing_appends_one_leaf_and_stamps_its_index(world, item):
    version = publish(world.project, item, world.users["developer"])
    version.refresh_from_db()
    entry = LogEntry.objects.get()
    assert version.leaf_index == entry.index == 0
    assert entry.kind == "disclosure_version"
    assert bytes(entry.entry) == canonical_json(version_payload(version))
    assert bytes(entry.leaf_hash) == leaf_hash(bytes(entry.entry))


def test_the_leaf_names_project_item_version_supplier_and_time(world, item):
    version = publish(world.project, item, world.users["developer"], values={"note": "第一次"})
    payload = version_payload(version)
    assert payload["project"] == world.project.code
    assert payload["item"] == item.code
    assert payload["version"] == 1
    assert payload["status"] == "published"
    assert payload["values"] == {"note": "第一次"}
    assert payload["supplier"] == world.project.developer.credit_code
    assert payload["published_at"].endswith("Z")
    assert payload["files"] == []


def test_a_correction_and_a_withdrawal_each_append_their_own_leaf(world, item):
    developer = world.users["developer"]
    publish(world.project, item, developer)
    publish(world.project, item, developer, reason="证书号填错", values={"note": "更正"})
    withdrawn = withdraw(world.project, item, developer)
    assert list(LogEntry.objects.values_list("index", flat=True)) == [0, 1, 2]
    assert withdrawn.leaf_index == 2
    assert b'"kind":"withdrawal"' in bytes(LogEntry.objects.get(index=2).entry)


def test_publishing_records_an_audit_event_for_the_approver(world, item):
    version = publish(world.project, item, world.users["developer"])
    event = AuditEvent.objects.get(action="disclosure.publish")
    assert event.actor == world.users["developer"]
    assert event.object_id == str(version.pk)
    assert event.details["leaf_index"] == 0


def test_a_checkpoint_is_signed_once_the_publication_commits(
    world, item, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(world.project, item, world.users["developer"])
    checkpoint = latest_checkpoint()
    assert checkpoint.tree_size == 1
    assert checkpoint.root_hash == LogEntry.objects.get().leaf_hash
    assert isinstance(checkpoint.root_hash, bytes)  # on PostgreSQL too (not a memoryview)
    assert checkpoint.root_hex == checkpoint.root_hash.hex()
    assert checkpoint.signed_note.startswith("gongshi.test/log\n1\n")
