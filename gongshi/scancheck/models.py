"""Scan cross-check (扫描件核对): the text read from each scan, and the typed fields it does
not show. Neither is public: the developer sees them in the workspace before publication,
the regulator in the worklist after it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ScanText(models.Model):
    """The text of one stored file, read once in the background (files are immutable)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("等待识别")
        DONE = "done", _("已识别")
        FAILED = "failed", _("识别失败")

    file = models.OneToOneField(
        "files.StoredFile", on_delete=models.CASCADE, related_name="scan_text"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    method = models.CharField(max_length=12, blank=True)  # "text_layer" or "ocr"
    text = models.TextField(blank=True)
    error = models.TextField(blank=True)
    seconds = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("扫描件文字")
        verbose_name_plural = _("扫描件文字")

    def __str__(self) -> str:
        return f"{self.file_id}: {self.status}"


class ScanFlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(confirmed_at__isnull=True)


class ScanFlag(models.Model):
    """A typed field of a version that none of its scans shows (扫描件与填写不一致)."""

    version = models.ForeignKey(
        "disclosures.DisclosureVersion", on_delete=models.CASCADE, related_name="scan_flags"
    )
    field_key = models.CharField(_("字段"), max_length=60)
    field_label = models.CharField(_("字段名称"), max_length=100)
    typed = models.CharField(_("填写的内容"), max_length=300)
    found = models.CharField(_("扫描件上的内容"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_reason = models.TextField(_("确认理由"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    objects = ScanFlagQuerySet.as_manager()

    class Meta:
        ordering = ["version", "field_key"]
        verbose_name = _("扫描件核对问题")
        verbose_name_plural = _("扫描件核对问题")
        constraints = [
            models.UniqueConstraint(fields=["version", "field_key"], name="one_flag_per_field")
        ]

    def __str__(self) -> str:
        return f"{self.version_id} {self.field_key}: {self.typed} / {self.found}"
