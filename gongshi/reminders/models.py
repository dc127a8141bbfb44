"""Notifications of signed-in users, their channel choices, and the history of reminders sent.

Every reminder is sent once: :class:`ReminderSent` holds one row per (rule, object, due date,
recipient), unique, so ``gongshi send_reminders`` can run as often as its timer likes. Each
row's email or text message is a :class:`ReminderDelivery`, retried with back-off on failure.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_APP = "in_app", _("站内通知")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class Rule(models.TextChoices):
    ITEM_DUE_SOON = "item_due_soon", _("公示事项即将到期")
    ITEM_OVERDUE = "item_overdue", _("公示事项已逾期")
    ITEM_ESCALATED = "item_escalated", _("逾期公示事项督办")
    QUESTION_DEADLINE = "question_deadline", _("咨询投诉答复即将到期")


class Notification(models.Model):
    """A message to one signed-in user, shown on /notifications/ until read (and after)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Rule.choices)
    subject = models.CharField(_("内容"), max_length=300)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"))
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient"),
            # The header's unread count.
            models.Index(
                fields=["recipient"], name="notification_unread", condition=Q(read_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """Which channels a user wants besides the in-app notification (always on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(_("同时发送电子邮件"), default=True)
    sms = models.BooleanField(_("同时发送短信"), default=False)
    mobile = models.CharField(_("接收短信的手机号码"), max_length=11, blank=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("通知方式")
        verbose_name_plural = _("通知方式")
        constraints = [
            models.CheckConstraint(
                condition=Q(sms=False) | ~Q(mobile=""),
                name="notification_sms_has_mobile",
                violation_error_message=_("选择短信通知须填写手机号码。"),
            )
        ]

    def __str__(self) -> str:
        return str(self.user)


class ReminderSent(models.Model):
    """One reminder to one recipient: the key that makes sending idempotent, and the history."""

    rule = models.CharField(_("提醒规则"), max_length=20, choices=Rule.choices)
    #: what it is about: "item:<disclosure project pk>:<item code>" or "question:<pk>"
    object_key = models.CharField(_("提醒对象"), max_length=120)
    due_on = models.DateField(_("到期日"))
    #: "user:<pk>", or "asker:<question pk>" for the person who asked
    recipient_key = models.CharField(_("收件人"), max_length=40)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders_received",
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="reminders_sent"
    )
    subject = models.CharField(_("内容"), max_length=300)
    notification = models.OneToOneField(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="reminder"
    )
    created_at = models.DateTimeField(_("发送时间"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "object_key", "due_on", "recipient_key"],
                name="reminder_sent_once",
            )
        ]
        indexes = [
            models.Index(fields=["project", "-created_at"], name="reminder_project_created"),
        ]

    def __str__(self) -> str:
        return self.subject


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    DELIVERED = "delivered", _("已送达")
    GAVE_UP = "gave_up", _("重试用尽")


class ReminderDelivery(models.Model):
    """A reminder's email or text message; a failed one is retried with back-off."""

    reminder = models.ForeignKey(ReminderSent, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("地址"), max_length=254)
    status = models.CharField(
        _("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("提醒投递")
        verbose_name_plural = _("提醒投递")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="reminder_delivery_due",
                condition=Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.reminder} → {self.get_channel_display()}"
