"""Following a project (关注): email and webhook subscriptions, the events and their deliveries."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EmailSubscription(models.Model):
    """An email address following a project; active only after the address confirmed it."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="email_subscriptions"
    )
    email = models.EmailField(_("电子邮箱"))
    created_at = models.DateTimeField(_("订阅时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("退订时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("邮件订阅")
        verbose_name_plural = _("邮件订阅")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "email"],
                name="email_subscription_unique",
                violation_error_message=_("该邮箱已订阅此项目。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class WebhookSubscription(models.Model):
    """A URL that receives each event of a project as a signed JSON POST — once it has
    answered the challenge (echoed the random ``challenge`` it was sent), so nobody can point
    a project's events at someone else's server."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    url = models.URLField(_("回调地址"), max_length=500)
    secret = models.CharField(
        _("签名密钥"), max_length=64, help_text=_("用于 HMAC-SHA256 签名，只在创建时告知一次。")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    challenge = models.CharField(
        _("验证串"),
        max_length=64,
        blank=True,
        help_text=_("回调地址须原样返回此串才会开始接收推送。"),
    )
    challenged_at = models.DateTimeField(_("验证请求时间"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("验证通过时间"), null=True, blank=True)
    removed_at = models.DateTimeField(_("删除时间"), null=True, blank=True)
    failing_since = models.DateTimeField(
        _("投递失败起始时间"),
        null=True,
        blank=True,
        help_text=_("某次推送重试用尽后记录；此后任一推送成功即清除。"),
    )
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Webhook 订阅")
        verbose_name_plural = _("Webhook 订阅")

    def __str__(self) -> str:
        return self.url

    @property
    def is_failing(self) -> bool:
        return self.failing_since is not None

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class EventKind(models.TextChoices):
    DISCLOSURE_PUBLISHED = "disclosure.published", _("新公示")
    DISCLOSURE_CORRECTED = "disclosure.corrected", _("公示更正")
    DISCLOSURE_WITHDRAWN = "disclosure.withdrawn", _("公示撤回")
    DISCLOSURE_INAPPLICABLE = "disclosure.inapplicable", _("声明不适用")
    QUESTION_ANSWERED = "question.answered", _("问题已答复")
    OPEN_DAY_SCHEDULED = "open_day.scheduled", _("开放日已安排")
    OPEN_DAY_REPORTED = "open_day.reported", _("开放日报告已公布")
    REGULATOR_RECORD = "regulator.record", _("监管记录")
    STAGE_CORRECTED = "project.stage_corrected", _("阶段日期更正")


class Event(models.Model):
    """Something a follower of a project hears about."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类型"), max_length=30, choices=EventKind.choices)
    title = models.CharField(_("标题"), max_length=300)
    url = models.CharField(_("链接"), max_length=500)
    payload = models.JSONField(_("内容"), default=dict)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("关注事件")
        verbose_name_plural = _("关注事件")

    def __str__(self) -> str:
        return self.title


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    DELIVERED = "delivered", _("已送达")
    GAVE_UP = "gave_up", _("重试用尽")


class Delivery(models.Model):
    """One event to one subscriber; a failed webhook delivery is retried with back-off."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    email_subscription = models.ForeignKey(
        EmailSubscription, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    webhook = models.ForeignKey(
        WebhookSubscription,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")
        constraints = [
            models.CheckConstraint(
                condition=Q(email_subscription__isnull=True) ^ Q(webhook__isnull=True),
                name="delivery_one_target",
            )
        ]
        indexes = [
            # The retry sweep: pending deliveries whose next attempt is due.
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_pending_due",
                condition=Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook or self.email_subscription}"
