"""A person's request covers what the reminders keep: the SMS number a user gave for reminders
and the addresses reminders went to (gongshi.reminders.personal_data)."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from gongshi.reminders.models import (
    Channel,
    DeliveryStatus,
    NotificationPreference,
    ReminderDelivery,
    ReminderSent,
    Rule,
)

MOBILE = "13812345678"


@pytest.fixture
def sent(world, frozen_now):
    clerk = world.users["developer"]
    NotificationPreference.objects.create(user=clerk, email=False, sms=True, mobile=MOBILE)
    reminder = ReminderSent.objects.create(
        rule=Rule.ITEM_DUE_SOON,
        object_key=f"item:{world.project.pk}:procedure.planning",
        due_on=timezone.localdate(),
        recipient_key=f"user:{clerk.pk}",
        recipient=clerk,
        project=world.project,
        subject="建设工程规划许可证将于 3 个工作日后到期",
        created_at=timezone.now(),
    )
    delivered = ReminderDelivery.objects.create(
        reminder=reminder,
        channel=Channel.SMS,
        address=MOBILE,
        status=DeliveryStatus.DELIVERED,
        delivered_at=timezone.now(),
    )
    pending = ReminderDelivery.objects.create(
        reminder=reminder, channel=Channel.SMS, address=MOBILE, next_attempt_at=timezone.now()
    )
    other = ReminderDelivery.objects.create(
        reminder=reminder, channel=Channel.SMS, address="13912345678"
    )
    return delivered, pending, other


def test_the_export_and_the_erasure_cover_the_reminders(world, sent):
    delivered, pending, other = sent
    url = reverse("participation:personal_data")
    client = world.client("admin")
    # Typed with spaces and the country code, as the person wrote it.
    download = client.post(url, {"contact": "+86 138 1234 5678", "action": "export"})
    document = json.loads(download.content)
    assert document["reminder_sms_numbers"] == [
        {"account": "developer", "sms": True, "email": False, "mobile": MOBILE}
    ]
    assert [d["address"] for d in document["reminder_deliveries"]] == [MOBILE, MOBILE]
    assert document["reminder_deliveries"][0]["subject"].startswith("建设工程规划许可证")

    erased = client.post(url, {"contact": MOBILE, "action": "erase", "reason": "申请 8 号"})
    assert erased.status_code == 200
    page = erased.content.decode()
    assert "提醒短信号码：1" in page and "提醒发送记录：2" in page
    preference = NotificationPreference.objects.get(user=world.users["developer"])
    assert (preference.sms, preference.mobile) == (False, "")
    delivered.refresh_from_db(), pending.refresh_from_db(), other.refresh_from_db()
    assert delivered.address == pending.address == "138****5678"
    assert delivered.status == DeliveryStatus.DELIVERED  # the history stays, masked
    assert pending.status == DeliveryStatus.GAVE_UP  # nothing more is sent to it
    assert (other.address, other.status) == ("13912345678", DeliveryStatus.PENDING)
