"""The developer's disclosure plan (公示方案, guidance §5.1).

Each edit of a published plan is a new row: published plans are kept as they were, the latest
published one is the project's plan, and at most one unpublished draft exists per project.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PlanChannel(models.TextChoices):
    """Where the developer discloses (§5.2: online and offline channels)."""

    SALES_OFFICE = "sales_office", _("售楼处")
    SITE = "site", _("施工现场")
    WEBSITE = "website", _("企业网站")
    WECHAT = "wechat", _("微信公众号")
    DISPLAY_SCREEN = "display_screen", _("电子显示屏")
    KIOSK = "kiosk", _("查询终端")
    SHOW_FLAT = "show_flat", _("样板间")


#: The plan's free-text parts (public, checked for personal data, written in text areas).
PLAN_TEXT_FIELDS = (
    "content",
    "method",
    "regime",
    "procedure",
    "time_limits",
    "management_measures",
)
#: Everything a developer writes in the plan, in form order.
PLAN_FIELDS = ("responsible_person", "responsible_title", "channels", *PLAN_TEXT_FIELDS)

#: Where scans of the originals are posted (§5.2): the sales office, or the site without one.
OFFLINE_PLACES = {PlanChannel.SALES_OFFICE, PlanChannel.SITE}


class PlanQuerySet(models.QuerySet):
    def published(self) -> PlanQuerySet:
        return self.filter(published_at__isnull=False)

    def drafts(self) -> PlanQuerySet:
        return self.filter(published_at__isnull=True)


class DisclosurePlan(models.Model):
    """One version of a project's disclosure plan; published when ``published_at`` is set."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="disclosure_plans"
    )
    responsible_person = models.CharField(_("公示负责人"), max_length=50)
    responsible_title = models.CharField(_("负责人职务"), max_length=50, blank=True)
    channels = models.JSONField(_("公示渠道"), default=list)
    content = models.TextField(_("公示内容"))
    # §5.1 names the plan's method and the developer's disclosure regime (公示制度) too;
    # blank only on plans published before they were asked for.
    method = models.TextField(
        _("公示方式"), blank=True, help_text=_("如：线下张贴原件扫描件，线上同步发布并提供二维码。")
    )
    regime = models.TextField(
        _("公示制度"),
        blank=True,
        help_text=_("信息收集、审核、发布、更新、答复的职责分工，及与监理、施工单位的配合。"),
    )
    procedure = models.TextField(_("公示程序"))
    time_limits = models.TextField(_("公示时限"))
    management_measures = models.TextField(_("管理措施"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-published_at", "-created_at"]
        verbose_name = _("公示方案")
        verbose_name_plural = _("公示方案")
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(published_at__isnull=True),
                name="plan_one_draft_per_project",
                violation_error_message=_("本项目已有一份未发布的公示方案草稿。"),
            )
        ]
        indexes = [
            # The project's current plan: latest published row of a project.
            models.Index(fields=["project", "published_at"], name="plan_project_published"),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {_('公示方案')}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def channel_labels(self) -> list[str]:
        return [str(PlanChannel(c).label) for c in self.channels if c in PlanChannel.values]

    def save(self, *args, **kwargs):
        if self.pk and type(self).objects.filter(pk=self.pk, published_at__isnull=False).exists():
            raise ValueError("a published disclosure plan cannot be changed")
        super().save(*args, **kwargs)


def current_plan(project) -> DisclosurePlan | None:
    """The project's published plan (the latest), or None."""
    return project.disclosure_plans.published().order_by("-published_at").first()
