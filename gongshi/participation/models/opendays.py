"""Site open days (工地开放日) with social supervisors (社会监督员) and their findings."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongshi.core.crypto import EncryptedTextField, lookup_hash, mask_contact, mask_name


class OpenDayQuerySet(models.QuerySet):
    def reported(self) -> OpenDayQuerySet:
        return self.filter(report_published_at__isnull=False)


class OpenDay(models.Model):
    """A site open day scheduled by the developer."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="open_days"
    )
    date = models.DateField(_("日期"))
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    place = models.CharField(_("集合地点"), max_length=200)
    stage_of_work = models.CharField(
        _("施工进度"), max_length=200, help_text=_("如：主体结构施工至 12 层。")
    )
    capacity = models.PositiveIntegerField(
        _("名额"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    showing = models.TextField(_("开放内容"), help_text=_("现场将展示哪些部位、材料和资料。"))
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    attendance = models.PositiveIntegerField(_("实到人数"), null=True, blank=True)
    report_summary = models.TextField(_("报告摘要"), blank=True)
    report_published_at = models.DateTimeField(_("报告公布时间"), null=True, blank=True)
    leaf_index = models.PositiveBigIntegerField(_("日志序号"), null=True, blank=True)

    objects = OpenDayQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-start_time"]
        verbose_name = _("工地开放日")
        verbose_name_plural = _("工地开放日")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="openday_ends_after_start",
                violation_error_message=_("结束时间须晚于开始时间。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.date}"

    @property
    def is_reported(self) -> bool:
        return self.report_published_at is not None


class Registration(models.Model):
    """A resident or buyer registered to visit (报名). The contact is private."""

    open_day = models.ForeignKey(OpenDay, on_delete=models.CASCADE, related_name="registrations")
    # Name and contact encrypted at rest; contact_hash finds a contact (gongshi.core.crypto).
    name = EncryptedTextField(_("姓名"))
    contact = EncryptedTextField(_("联系方式"))
    contact_hash = models.CharField(max_length=64, editable=False, default="")
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("开放日报名")
        verbose_name_plural = _("开放日报名")
        constraints = [
            models.UniqueConstraint(
                fields=["open_day", "contact_hash"],
                name="registration_unique_contact",
                violation_error_message=_("此联系方式已报名本次开放日。"),
            )
        ]

    def save(self, *args, **kwargs):
        self.contact_hash = lookup_hash(self.contact)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        # Masked: the string ends up in admin pages and audit events.
        return f"{self.open_day} · {self.masked_name}"

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_contact(self) -> str:
        return mask_contact(self.contact) if self.contact else ""


class SupervisorKind(models.TextChoices):
    EXPERT = "expert", _("行业专家")
    RESIDENT = "resident", _("业主（居民）代表")


class SupervisorInvitation(models.Model):
    """An invitation link for one social supervisor of one open day (邀请链接)."""

    open_day = models.ForeignKey(OpenDay, on_delete=models.CASCADE, related_name="invitations")
    name = models.CharField(_("受邀人姓名"), max_length=50)
    kind = models.CharField(_("身份"), max_length=10, choices=SupervisorKind.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("失效时间"))
    accepted_at = models.DateTimeField(_("接受时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("监督员邀请")
        verbose_name_plural = _("监督员邀请")

    def __str__(self) -> str:
        return f"{self.open_day} · {self.name}"


class Supervisor(models.Model):
    """A social supervisor's role on one open day (社会监督员)."""

    open_day = models.ForeignKey(OpenDay, on_delete=models.CASCADE, related_name="supervisors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervised_open_days"
    )
    kind = models.CharField(_("身份"), max_length=10, choices=SupervisorKind.choices)
    invitation = models.OneToOneField(
        SupervisorInvitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    joined_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("社会监督员")
        verbose_name_plural = _("社会监督员")
        constraints = [
            models.UniqueConstraint(
                fields=["open_day", "user"],
                name="supervisor_unique_user",
                violation_error_message=_("该用户已是本次开放日的监督员。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.open_day}"


class FindingResult(models.TextChoices):
    VERIFIED = "verified", _("核实一致")
    DISCREPANCY = "discrepancy", _("存在差异")
    NOT_CHECKED = "not_checked", _("未核查")


class FindingQuerySet(models.QuerySet):
    def discrepancies(self) -> FindingQuerySet:
        return self.filter(result=FindingResult.DISCREPANCY)

    def open_discrepancies(self) -> FindingQuerySet:
        """Discrepancies not yet closed by a supervisor or regulator (the regulator counts these)."""
        return self.discrepancies().filter(closed_at__isnull=True)

    def within(self, region) -> FindingQuerySet:
        return self.filter(open_day__project__region__code__startswith=region.prefix)

    def published(self) -> FindingQuerySet:
        return self.filter(open_day__report_published_at__isnull=False)


class Finding(models.Model):
    """A supervisor's check of one disclosed item on site (核查结果).

    A discrepancy stays open until the developer has responded and a supervisor of the open
    day or a regulator of the area closes it.
    """

    open_day = models.ForeignKey(OpenDay, on_delete=models.PROTECT, related_name="findings")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.ForeignKey(
        "disclosures.DisclosureVersion",
        verbose_name=_("核查的公示版本"),
        on_delete=models.PROTECT,
        related_name="open_day_findings",
    )
    result = models.CharField(_("核查结果"), max_length=12, choices=FindingResult.choices)
    note = models.TextField(_("说明"), max_length=2000, blank=True)
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    developer_response = models.TextField(_("建设单位回复"), blank=True)
    responded_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_note = models.TextField(_("关闭说明"), blank=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["open_day", "recorded_at", "pk"]
        verbose_name = _("核查结果")
        verbose_name_plural = _("核查结果")
        constraints = [
            models.UniqueConstraint(
                fields=["open_day", "supervisor", "version"],
                name="finding_unique_per_supervisor_version",
                violation_error_message=_("您已对该公示事项记录过核查结果。"),
            ),
            models.CheckConstraint(
                condition=~Q(result="discrepancy") | ~Q(note=""),
                name="finding_discrepancy_has_note",
                violation_error_message=_("存在差异时须说明差异所在。"),
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(responded_at__isnull=False),
                name="finding_closed_after_response",
                violation_error_message=_("建设单位回复后才能关闭差异。"),
            ),
        ]
        indexes = [
            # Regulator counts and the project page: open discrepancies.
            models.Index(
                fields=["open_day"],
                name="finding_open_discrepancy",
                condition=Q(result="discrepancy", closed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.open_day} · {self.get_result_display()}"

    @property
    def is_open_discrepancy(self) -> bool:
        return self.result == FindingResult.DISCREPANCY and self.closed_at is None


class FindingPhoto(models.Model):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="photos")
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("文件名"), max_length=200)

    class Meta:
        ordering = ["finding", "pk"]
        verbose_name = _("核查照片")
        verbose_name_plural = _("核查照片")

    def __str__(self) -> str:
        return self.name
