"""What the reminders keep for a phone number or e-mail address, for a person's request
(``gongshi.participation.personal_data``): the SMS number a signed-in user gave for
reminders, and the addresses e-mails and text messages were sent to. Erasure clears the
number (and switches SMS off) and masks the addresses in the sent history."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongshi.core.crypto import mask_contact
from gongshi.participation.models import ContactKind
from gongshi.participation.personal_data import Source, register
from gongshi.reminders.models import (
    Channel,
    DeliveryStatus,
    NotificationPreference,
    ReminderDelivery,
)


def _deliveries(contact: str, kind: str):
    channel = Channel.EMAIL if kind == ContactKind.EMAIL else Channel.SMS
    return ReminderDelivery.objects.filter(channel=channel).filter(
        Q(address__iexact=contact) if kind == ContactKind.EMAIL else Q(address=contact)
    )


def _preferences(contact: str, kind: str):
    if kind == ContactKind.EMAIL:
        return NotificationPreference.objects.none()
    return NotificationPreference.objects.filter(mobile=contact)


def export_preferences(contact: str, kind: str) -> list[dict]:
    return [
        {"account": p.user.username, "sms": p.sms, "email": p.email, "mobile": p.mobile}
        for p in _preferences(contact, kind).select_related("user").order_by("pk")
    ]


def erase_preferences(contact: str, kind: str) -> int:
    return _preferences(contact, kind).update(mobile="", sms=False)


def export_deliveries(contact: str, kind: str) -> list[dict]:
    return [
        {
            "channel": d.channel,
            "address": d.address,
            "subject": d.reminder.subject,
            "status": d.status,
            "delivered_at": d.delivered_at.isoformat() if d.delivered_at else None,
        }
        for d in _deliveries(contact, kind).select_related("reminder").order_by("pk")
    ]


def erase_deliveries(contact: str, kind: str) -> int:
    rows = _deliveries(contact, kind)
    # Nothing more is sent to an erased address: a pending retry gives up.
    rows.filter(status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.GAVE_UP, next_attempt_at=None, last_error="联系方式已按本人申请删除"
    )
    return rows.update(address=mask_contact(contact))


def connect() -> None:
    """Register both sources (RemindersConfig.ready)."""
    register(
        Source("reminder_sms_numbers", _("提醒短信号码"), export_preferences, erase_preferences)
    )
    register(Source("reminder_deliveries", _("提醒发送记录"), export_deliveries, erase_deliveries))
