"""Companies that register themselves (单位注册) and the units a developer invites (邀请参建单位).

A :class:`Registration` is one application: the company's particulars, its business-licence
scan and a contact, decided by a regulator of the company's city. The organisation's
``registration_status`` carries the outcome the publishing path reads; the applications stay
as the history of what was submitted and decided. An :class:`Invitation` asks a unit that is
not yet on the platform to register; once its registration is approved it is linked to the
project as the developer said.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongshi.core.choices import UnitRole
from gongshi.organisations.models import RegistrationStatus


class RegistrationQuerySet(models.QuerySet):
    def pending(self) -> RegistrationQuerySet:
        return self.filter(status=RegistrationStatus.PENDING)

    def within(self, region) -> RegistrationQuerySet:
        """Applications of companies registered in ``region`` (a regulator's area)."""
        return self.filter(organisation__region__code__startswith=region.prefix)


class Registration(models.Model):
    """A company's application to publish on the platform (单位注册申请)."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人账号"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=50)
    licence = models.ForeignKey(
        "files.StoredFile",
        verbose_name=_("营业执照扫描件"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    licence_name = models.CharField(_("营业执照文件名"), max_length=200)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=40)
    contact_email = models.EmailField(_("联系邮箱"))
    status = models.CharField(
        _("审核状态"),
        max_length=10,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
    )
    reason = models.TextField(_("审核意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("单位注册申请")
        verbose_name_plural = _("单位注册申请")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""),
                name="registration_rejection_has_reason",
                violation_error_message=_("不予通过须说明理由。"),
            ),
        ]
        indexes = [
            # The regulator's worklist: pending applications, oldest first.
            models.Index(
                fields=["submitted_at"],
                condition=Q(status="pending"),
                name="registration_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_status_display()}"


class Invitation(models.Model):
    """A developer's invitation to a unit not yet on the platform to register and join a project."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    role = models.CharField(_("责任主体"), max_length=20, choices=UnitRole.choices)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    name = models.CharField(_("单位名称"), max_length=200)
    leader_name = models.CharField(_("项目负责人"), max_length=50)
    leader_title = models.CharField(_("职务/职称"), max_length=100, blank=True)
    email = models.EmailField(_("邀请邮箱"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("邀请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("邀请时间"), default=timezone.now)
    accepted_at = models.DateTimeField(
        _("关联时间"), null=True, blank=True, help_text=_("该单位注册通过审核、关联到项目的时间。")
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("参建单位邀请")
        verbose_name_plural = _("参建单位邀请")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "role", "credit_code"],
                name="invitation_unique_project_role_code",
                violation_error_message=_("已邀请过该单位担任此责任主体。"),
            ),
        ]
        indexes = [
            # Approving a registration: the open invitations of its credit code.
            models.Index(
                fields=["credit_code"],
                condition=Q(accepted_at__isnull=True),
                name="invitation_open_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.project}"
