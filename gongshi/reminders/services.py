"""A user's notifications and channel choices: reading, marking read, saving preferences."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongshi.reminders.models import Notification, NotificationPreference

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def unread_count(user) -> int:
    """One query (on the partial index of unread rows)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, pk: int, *, now=None) -> Notification:
    """Mark one of the user's notifications read; another user's is not found."""
    notification = Notification.objects.get(pk=pk, recipient=user)
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(user, *, now=None) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


def preference_for(user) -> NotificationPreference:
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(
        user=user
    )


@transaction.atomic
def save_preference(user, *, email: bool, sms: bool, mobile: str) -> NotificationPreference:
    """Save the user's channels; errors name the field, and nothing is saved on an error."""
    mobile = re.sub(r"[\s-]", "", mobile or "").removeprefix("+86")
    errors = {}
    if mobile and not _MOBILE.match(mobile):
        errors["mobile"] = _("请填写 11 位手机号码，例如 13812345678。")
    elif sms and not mobile:
        errors["mobile"] = _("选择短信通知须填写手机号码。")
    if email and not user.email:
        errors["email"] = _("您的账号没有登记电子邮箱，请联系管理员登记后再选择邮件通知。")
    if errors:
        raise ValidationError(errors)
    pref = preference_for(user)
    pref.email, pref.sms, pref.mobile = email, sms, mobile
    pref.save()
    return pref
