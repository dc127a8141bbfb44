"""The audit log: record(), append-only rows, the admin list and its CSV export."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from gongshi.core.testing import assert_matrix
from gongshi.integrity import audit
from gongshi.integrity.models import AppendOnlyError, AuditEvent


def test_record_takes_the_user_and_ip_from_a_request(world):
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    request.user = world.users["regulator"]
    event = audit.record(request, "question.contact_viewed", world.project, question=7)
    assert event.actor == world.users["regulator"]
    assert event.actor_label == "regulator"
    assert event.ip_address == "203.0.113.9"
    assert event.object_type == "projects.project"
    assert event.object_id == str(world.project.pk)
    assert event.details == {"question": 7}


def test_record_without_a_request_is_the_system_or_the_given_user(world):
    assert audit.record(None, "log.checkpoint").actor_label == "system"
    assert audit.record(world.users["admin"], "x").actor == world.users["admin"]


def test_audit_events_cannot_be_changed_or_deleted(world):
    event = audit.record(None, "log.checkpoint")
    event.action = "something else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().action == "log.checkpoint"


def test_only_administrators_see_the_audit_log_in_the_admin(world):
    audit.record(None, "log.checkpoint")
    assert_matrix(
        world,
        "get",
        "/admin/integrity/auditevent/",
        {
            "anonymous": 302,
            "outsider": 302,
            "unit": 302,
            "developer": 302,
            "other_regulator": 302,
            "regulator": 302,
            "admin": 200,
        },
    )


def test_administrators_export_the_audit_log_as_csv_and_the_export_is_audited(world):
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.4")
    request.user = world.users["developer"]
    audit.record(request, "disclosure.publish", world.project, leaf_index=3)
    client = world.client("admin")
    response = client.post(
        "/admin/integrity/auditevent/",
        {
            "action": "export_csv",
            "_selected_action": list(AuditEvent.objects.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.startswith("时间 / time,操作人 / actor,操作 / action")
    assert "developer,disclosure.publish,projects.project" in row
    assert "198.51.100.4" in row
    assert '{""leaf_index"": 3}' in row
    assert AuditEvent.objects.filter(action="audit.export", actor=world.users["admin"]).exists()
