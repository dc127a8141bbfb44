"""A person's request: an administrator exports everything stored for a phone number or
e-mail address, or erases it — by command, on the administrators' page or from the question
admin — and each act is in the audit log (under the lookup hash, never the contact)."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from gongshi.core.crypto import lookup_hash
from gongshi.core.testing import ROLES, assert_matrix
from gongshi.integrity.models import AuditEvent
from gongshi.participation import follow
from gongshi.participation.models import (
    ContactVerification,
    EmailSubscription,
    Question,
    Registration,
)

CONTACT = "asker@example.com"


@pytest.fixture
def person(world, asked, open_day):
    """The asker also signed up for the open day and follows the project by e-mail; someone
    else asked and signed up too."""
    question, _token = asked
    Registration.objects.create(open_day=open_day, name="王小明", contact=CONTACT)
    Registration.objects.create(open_day=open_day, name="李四", contact="13912345678")
    subscription = follow.subscribe_email(world.project, CONTACT)
    follow.confirm_subscription(follow.confirm_token(subscription))
    return question


def test_the_export_holds_everything_stored_for_the_contact(world, person, tmp_path):
    out = tmp_path / "export.json"
    # Typed as the person wrote it: the domain's case and spaces do not matter.
    call_command("export_personal_data", " asker@EXAMPLE.com ", "--by", "admin", "--output", out)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["contact"] == CONTACT and document["contact_kind"] == "email"
    [question] = document["questions"]
    assert question["id"] == person.pk and question["body"] == person.body
    assert question["contact"] == CONTACT and question["ip"] == "203.0.113.7"
    [registration] = document["open_day_registrations"]
    assert registration["name"] == "王小明" and registration["contact"] == CONTACT
    assert len(document["verification_codes"]) == 1
    [subscription] = document["email_subscriptions"]
    assert subscription["project"] == world.project.code and subscription["confirmed_at"]
    assert "李四" not in out.read_text(encoding="utf-8")  # another person's data is not there
    event = AuditEvent.objects.get(action="personal_data.exported")
    assert event.actor == world.users["admin"]
    assert event.details["contact_hash"] == lookup_hash(CONTACT)
    assert event.details["questions"] == 1 and event.details["open_day_registrations"] == 1
    assert CONTACT not in json.dumps(event.details) + event.object_repr


def test_erasure_anonymises_the_record_and_deletes_the_rest(world, person, capsys):
    call_command("erase_personal_data", CONTACT, "--by", "admin", "--reason", "申请 2026-118 号")
    assert capsys.readouterr().out.split() == [
        "questions=1",
        "registrations=1",
        "verifications=1",
        "subscriptions=1",
        # what the reminders keep for the contact (gongshi/reminders/personal_data.py)
        "reminder_sms_numbers=0",
        "reminder_deliveries=0",
    ]
    question = Question.objects.get(pk=person.pk)
    assert question.contact == "" and question.ip is None
    assert question.body == person.body  # the question stays public
    names = sorted((r.name, r.contact) for r in Registration.objects.all())
    assert names == [("", ""), ("李四", "13912345678")]  # the sign-up stays counted, anonymised
    assert not ContactVerification.objects.filter(contact_hash=lookup_hash(CONTACT)).exists()
    assert not EmailSubscription.objects.exists()
    event = AuditEvent.objects.get(action="personal_data.erased")
    assert event.details["reason"] == "申请 2026-118 号" and event.details["questions"] == 1
    assert event.details["contact_hash"] == lookup_hash(CONTACT)
    # Afterwards nothing is found for the contact.
    call_command("export_personal_data", CONTACT, "--by", "admin")
    document = json.loads(capsys.readouterr().out)
    assert all(document[key] == [] for key in ("questions", "open_day_registrations"))


def test_the_commands_need_an_administrator_and_a_reason(world, person):
    with pytest.raises(CommandError, match="不是平台管理员"):
        call_command("export_personal_data", CONTACT, "--by", "developer")
    with pytest.raises(CommandError, match="请填写删除依据"):
        call_command("erase_personal_data", CONTACT, "--by", "admin", "--reason", " ")
    with pytest.raises(CommandError, match="请填写电子邮箱或 11 位手机号码"):
        call_command("export_personal_data", "not a contact", "--by", "admin")
    assert Question.objects.get(pk=person.pk).contact == CONTACT
    assert not AuditEvent.objects.filter(action__startswith="personal_data.").exists()


def test_the_administrators_page_exports_and_erases(world, person):
    url = reverse("participation:personal_data")
    client = world.client("admin")
    assert client.get(url).status_code == 200
    download = client.post(url, {"contact": CONTACT, "action": "export"})
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="personal-data.json"'
    assert download["Cache-Control"] == "no-store"
    assert json.loads(download.content)["questions"][0]["id"] == person.pk
    refused = client.post(url, {"contact": CONTACT, "action": "erase", "reason": ""})
    assert refused.status_code == 400
    assert "请填写删除依据" in refused.content.decode()
    assert 'aria-describedby="id_reason_error"' in refused.content.decode()
    erased = client.post(url, {"contact": CONTACT, "action": "erase", "reason": "申请 7 号"})
    assert erased.status_code == 200
    assert "开放日报名 1 条" in erased.content.decode()
    assert Question.objects.get(pk=person.pk).contact == ""
    actions = AuditEvent.objects.filter(actor=world.users["admin"]).values_list("action", flat=True)
    assert {"personal_data.exported", "personal_data.erased"} <= set(actions)


def test_only_administrators_reach_the_page(world, person):
    url = reverse("participation:personal_data")
    expected = dict.fromkeys(ROLES, 404) | {"anonymous": 302, "admin": 200}
    assert_matrix(world, "get", url, expected)
    assert_matrix(world, "post", url, expected, data={"contact": CONTACT, "action": "export"})
    assert AuditEvent.objects.filter(action="personal_data.exported").count() == 1
    assert Question.objects.get(pk=person.pk).contact == CONTACT


def test_the_question_admin_exports_the_askers_data(world, person):
    client = world.client("admin")
    response = client.post(
        reverse("admin:participation_question_changelist"),
        {"action": "export_askers_data", "_selected_action": [person.pk]},
    )
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["contact"] == CONTACT and len(document["open_day_registrations"]) == 1
    assert AuditEvent.objects.filter(action="personal_data.exported").count() == 1
