"""The developer's list of an open day's visitors shows names and contacts masked; the full
list is shown on request with a reason, and each showing is in the audit log."""

from django.urls import reverse

from gongshi.core.crypto import mask_contact, mask_name
from gongshi.core.testing import ROLES, assert_matrix
from gongshi.integrity.models import AuditEvent
from gongshi.participation.models import Registration


def _visitors(open_day):
    Registration.objects.create(open_day=open_day, name="王小明", contact="13912345678")
    Registration.objects.create(open_day=open_day, name="李四", contact="lisi@example.com")


def test_names_and_contacts_are_masked_as_lists_show_them():
    assert mask_name("王小明") == "王*明"
    assert mask_name("李四") == "李*"
    assert mask_name("欧阳娜娜") == "欧**娜"
    assert mask_name("John Smith") == "J*** Smith"
    assert mask_contact("13912345678") == "139****5678"
    assert mask_contact("lisi@example.com") == "l***@example.com"


def test_the_list_shows_visitors_masked(world, open_day, django_assert_max_num_queries):
    _visitors(open_day)
    url = reverse("participation:dev_open_day", args=[open_day.pk])
    client = world.client("developer")
    with django_assert_max_num_queries(20):
        page = client.get(url).content.decode()
    assert "王*明 · 139****5678" in page and "李* · l***@example.com" in page
    assert "王小明" not in page and "13912345678" not in page and "lisi@example.com" not in page
    assert not AuditEvent.objects.filter(action="open_day.registrations_viewed").exists()


def test_the_full_list_needs_a_reason(world, open_day):
    _visitors(open_day)
    url = reverse("participation:dev_open_day", args=[open_day.pk])
    response = world.client("developer").post(url, {"action": "reveal", "reason": " "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写查看原因，查看会被记录。" in page
    assert 'aria-describedby="id_reason_error"' in page  # the error is tied to its input
    assert "13912345678" not in page
    assert not AuditEvent.objects.filter(action="open_day.registrations_viewed").exists()


def test_showing_the_full_list_is_written_to_the_audit_log(world, open_day):
    _visitors(open_day)
    url = reverse("participation:dev_open_day", args=[open_day.pk])
    client = world.client("developer")
    response = client.post(
        url, {"action": "reveal", "reason": "开放日当天门口签到"}, REMOTE_ADDR="198.51.100.4"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "王小明 · 13912345678" in page and "李四 · lisi@example.com" in page
    event = AuditEvent.objects.get(action="open_day.registrations_viewed")
    assert event.actor == world.users["developer"]
    assert event.ip_address == "198.51.100.4"
    assert event.object_id == str(open_day.pk)
    assert event.details["reason"] == "开放日当天门口签到"
    assert sorted(event.details["registrations"]) == sorted(
        Registration.objects.values_list("pk", flat=True)
    )
    # Nothing of the visitors is in the event itself, and the next plain view is masked again.
    assert "王小明" not in str(event.details) + event.object_repr
    again = client.get(url).content.decode()
    assert "13912345678" not in again and "开放日当天门口签到" in again  # the record is listed


def test_only_the_developer_sees_the_full_list(world, open_day):
    _visitors(open_day)
    url = reverse("participation:dev_open_day", args=[open_day.pk])
    expected = dict.fromkeys(ROLES, 404) | {"anonymous": 302, "developer": 200}
    assert_matrix(world, "post", url, expected, data={"action": "reveal", "reason": "签到"})
    assert AuditEvent.objects.filter(action="open_day.registrations_viewed").count() == 1


def test_the_admin_question_page_shows_the_contact_masked_until_read(world, asked):
    question, _token = asked
    url = reverse("participation:admin_question", args=[question.pk])
    page = world.client("admin").get(url).content.decode()
    assert mask_contact(question.contact) in page and question.contact not in page
