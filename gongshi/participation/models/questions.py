"""Questions and complaints from the public (咨询、投诉) and the contact checks behind them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongshi.core.crypto import EncryptedTextField, lookup_hash


class ContactKind(models.TextChoices):
    EMAIL = "email", _("电子邮箱")
    MOBILE = "mobile", _("手机号码")


class ContactVerification(models.Model):
    """A one-time code sent to a contact; once confirmed, a token that lets it act for a while.

    Only hashes are stored: the code and the token travel to the person, never to the database.
    """

    # Encrypted at rest; contact_hash finds rows by contact (gongshi.core.crypto).
    contact = EncryptedTextField(_("联系方式"))
    contact_hash = models.CharField(max_length=64, editable=False, default="")
    contact_kind = models.CharField(_("类型"), max_length=10, choices=ContactKind.choices)
    code_hash = models.CharField(max_length=64)
    token_hash = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("验证码失效时间"))
    failed_attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    confirmed_at = models.DateTimeField(_("验证时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("联系方式验证")
        verbose_name_plural = _("联系方式验证")
        indexes = [
            # Rate limits: codes sent to one contact / from one IP in the last hour.
            models.Index(fields=["contact_hash", "created_at"], name="verification_contact_time"),
            models.Index(fields=["ip", "created_at"], name="verification_ip_time"),
            # Looking up a confirmed token.
            models.Index(
                fields=["token_hash"], name="verification_token", condition=~Q(token_hash="")
            ),
        ]

    def save(self, *args, **kwargs):
        self.contact_hash = lookup_hash(self.contact)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.get_contact_kind_display()} #{self.pk}"


class QuestionKind(models.TextChoices):
    QUESTION = "question", _("咨询")
    COMPLAINT = "complaint", _("投诉")


class Resolution(models.TextChoices):
    PENDING = "", _("提问人尚未评价")
    RESOLVED = "resolved", _("已解决")
    NOT_RESOLVED = "not_resolved", _("未解决")


class QuestionQuerySet(models.QuerySet):
    def visible(self) -> QuestionQuerySet:
        """Not hidden by an administrator (hidden ones still show as a placeholder)."""
        return self.filter(hidden_at__isnull=True)

    def unanswered(self) -> QuestionQuerySet:
        return self.filter(answered_at__isnull=True)

    def answered(self) -> QuestionQuerySet:
        return self.filter(answered_at__isnull=False)

    def resolved(self) -> QuestionQuerySet:
        return self.filter(resolution=Resolution.RESOLVED)

    def within(self, region) -> QuestionQuerySet:
        return self.filter(project__region__code__startswith=region.prefix)


class Question(models.Model):
    """A question or complaint about a project, asked with a verified contact.

    There is no ``delete`` for developers anywhere; an administrator may hide one with a
    reason, and the public then sees a placeholder carrying that reason.
    """

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="questions"
    )
    kind = models.CharField(
        _("类型"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.QUESTION
    )
    body = models.TextField(_("内容"), max_length=2000)
    contact = EncryptedTextField(
        _("提问人联系方式"), help_text=_("不公开；仅平台管理员可查看，且留痕。")
    )
    contact_hash = models.CharField(max_length=64, editable=False, default="")
    contact_kind = models.CharField(_("联系方式类型"), max_length=10, choices=ContactKind.choices)
    asker_token_hash = models.CharField(max_length=64, unique=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    asked_at = models.DateTimeField(_("提问时间"))
    deadline_working_days = models.PositiveSmallIntegerField(
        _("答复时限（工作日）"), help_text=_("提问时所在城市的答复时限。")
    )
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolution = models.CharField(
        _("提问人评价"), max_length=14, choices=Resolution.choices, default="", blank=True
    )
    resolution_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("屏蔽时间"), null=True, blank=True)
    hidden_reason = models.CharField(_("屏蔽原因"), max_length=200, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-asked_at", "-pk"]
        verbose_name = _("咨询投诉")
        verbose_name_plural = _("咨询投诉")
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="question_hidden_has_reason",
                violation_error_message=_("屏蔽问题必须填写原因。"),
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                name="question_answered_has_text",
                violation_error_message=_("答复内容不能为空。"),
            ),
        ]
        indexes = [
            # The project page: a project's questions, newest first.
            models.Index(fields=["project", "-asked_at"], name="question_project_asked"),
            # Rate limit: questions from one contact in the last day.
            models.Index(fields=["contact_hash", "asked_at"], name="question_contact_asked"),
            # The dashboard's overdue count (supervision.county): the kept monthly tallies,
            # plus the unanswered questions of the one month a deadline cut-off falls in.
            models.Index(
                fields=["asked_at"],
                condition=Q(answered_at__isnull=True),
                name="question_unanswered_asked",
            ),
        ]

    def save(self, *args, **kwargs):
        self.contact_hash = lookup_hash(self.contact)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.project} · {self.get_kind_display()} #{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def delete(self, *args, **kwargs):
        raise PermissionError("questions are never deleted; an administrator hides them instead")
