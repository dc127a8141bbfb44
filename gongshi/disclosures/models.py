"""Disclosures and their append-only versions.

A :class:`Disclosure` is one catalogue item on one project. Its :class:`DisclosureVersion`
rows are the history: drafts and submissions may change, but once a version is published
it is frozen — ``save()``/``delete()`` and QuerySet ``update()``/``delete()`` refuse, and a
database trigger refuses raw SQL too. A correction is a new version with a reason; a
withdrawal is a new version of kind ``withdrawal`` with a reason and no values.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImmutableVersionError(Exception):
    """Raised on any attempt to change or delete a published version."""


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    PUBLISHED = "published", _("已公示")


class VersionKind(models.TextChoices):
    PUBLICATION = "publication", _("首次公示")
    CORRECTION = "correction", _("更正")
    WITHDRAWAL = "withdrawal", _("撤回")
    # "以公开为常态、不公开为例外" (§2.3): an item that does not apply to this project (no
    # pre-sale permit for rental housing, say) is declared so, publicly, with the reason.
    INAPPLICABLE = "inapplicable", _("不适用说明")


class Disclosure(models.Model):
    """One instance of a catalogue item disclosed for one project (公示事项实例).

    Most items are disclosed once per project: instance 1. A repeatable item (one pre-sale
    permit per sales batch, one completion acceptance per building) has one row per instance,
    numbered 1, 2, 3 … in the order the developer added them; each has its own versions, files
    and log leaves. ``label`` and ``buildings`` say which batch or buildings it is; they are
    part of its log leaves, so they are frozen once the instance has been published.
    """

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="disclosures"
    )
    item = models.ForeignKey(
        "catalogue.CatalogueItem", on_delete=models.PROTECT, related_name="disclosures"
    )
    instance = models.PositiveIntegerField(
        _("份号"), default=1, help_text=_("同一事项的第几份，从 1 起按新增顺序编号，不再改变。")
    )
    label = models.CharField(
        _("名称"), max_length=100, blank=True, help_text=_("如“第一批（1号楼、2号楼）”。")
    )
    buildings = models.ManyToManyField(
        "projects.Building", verbose_name=_("涵盖楼栋"), blank=True, related_name="disclosures"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Kept by publish_version in the publishing transaction, so area-wide figures (10,000
    # projects, 1,000,000 versions) count rows instead of scanning every version history.
    # The versions stay the source of truth; the checklist derives from them.
    is_public = models.BooleanField(_("当前已公示"), default=False)
    last_published_at = models.DateTimeField(_("最近公示时间"), null=True, blank=True)
    # The first publication, set once by publish_version and never changed: its timeliness
    # decides whether the item was disclosed late (regulator figures and the score).
    first_published_at = models.DateTimeField(_("首次公示时间"), null=True, blank=True)
    first_timeliness_days = models.IntegerField(_("首次公示及时性（天）"), null=True, blank=True)
    # Set on instance 1 only, by publish_version and when the plan's required number changes
    # (see .instances): the item has as many public instances as the project requires, so
    # regulator figures count one row per complete item, whatever the number of instances.
    completes_item = models.BooleanField(_("事项已完整公示"), default=False)
    # On instance 1 only: how many instances the project must disclose, declared by the
    # developer with the plan (三批预售 → 3 pre-sale permits, six buildings → 6 completion
    # acceptances). Read with the checklist's own query, so it costs nothing extra.
    required_instances = models.PositiveIntegerField(_("应公示份数"), default=1)
    # Set when the developer declares the number: until then an item the plan counts (one
    # pre-sale permit per sales batch, one completion acceptance per building) follows the
    # buildings declared (see .instances.required_for).
    required_declared = models.BooleanField(_("应公示份数由开发单位填报"), default=False)

    class Meta:
        verbose_name = _("公示事项")
        verbose_name_plural = _("公示事项")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "item", "instance"],
                name="disclosure_unique_instance",
                violation_error_message=_("本项目此事项已有该份号。"),
            ),
            models.CheckConstraint(
                condition=Q(instance__gte=1) & Q(required_instances__gte=1),
                name="disclosure_instance_positive",
                violation_error_message=_("份号和应公示份数至少为 1。"),
            ),
        ]
        indexes = [
            # Regulator completeness figures: complete items per project.
            models.Index(
                fields=["project", "item"],
                condition=models.Q(completes_item=True),
                name="disclosure_item_complete",
            ),
            # The score's timeliness: first publications per project, on time or late.
            models.Index(
                fields=["project", "first_timeliness_days"],
                condition=models.Q(first_timeliness_days__isnull=False),
                name="disclosure_first_publication",
            ),
        ]

    def __str__(self) -> str:
        if self.instance == 1 and not self.label:
            return f"{self.project} · {self.item.title}"
        return f"{self.project} · {self.item.title} · {self.instance_title}"

    @property
    def instance_title(self) -> str:
        """What the public calls this instance: its label, or "第 2 份"."""
        return self.label or _("第 %(n)d 份") % {"n": self.instance}

    @property
    def identifies_instance(self) -> bool:
        """Whether the log leaves name the instance (any instance but a plain first one)."""
        return self.instance != 1 or bool(self.label) or bool(self.building_names())

    def building_names(self) -> list[str]:
        """Names of the buildings covered, in the project's order (prefetch ``buildings``)."""
        if self.pk is None:
            return []
        buildings = sorted(self.buildings.all(), key=lambda b: (b.position, b.pk))
        return [b.name for b in buildings]

    @property
    def first_information_date(self) -> dt.date | None:
        """The information date of the first publication (its date less its timeliness)."""
        if self.first_published_at is None or self.first_timeliness_days is None:
            return None
        published_on = timezone.localdate(self.first_published_at)
        return published_on - dt.timedelta(days=self.first_timeliness_days)


class VersionQuerySet(models.QuerySet):
    def published(self) -> VersionQuerySet:
        return self.filter(status=VersionStatus.PUBLISHED)

    def _refuse_if_published(self, action: str) -> None:
        if self.filter(status=VersionStatus.PUBLISHED).exists():
            raise ImmutableVersionError(f"published disclosure versions cannot be {action}")

    def update(self, **kwargs):
        self._refuse_if_published("updated")
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_published("deleted")
        return super().delete()


class DisclosureVersion(models.Model):
    """One version of a disclosure: its field values, files, dates and who stands behind it."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(
        _("版本号"), null=True, blank=True, help_text=_("公示时按顺序编号；草稿无版本号。")
    )
    kind = models.CharField(
        _("类型"), max_length=12, choices=VersionKind.choices, default=VersionKind.PUBLICATION
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    values = models.JSONField(_("字段内容"), default=dict, blank=True)
    information_date = models.DateField(_("信息形成日期"), null=True, blank=True)
    reason = models.TextField(_("变更原因"), blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    supplied_by = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("提供单位"),
        on_delete=models.PROTECT,
        related_name="supplied_versions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核公示人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    timeliness_days = models.IntegerField(
        _("公示及时性（天）"),
        null=True,
        blank=True,
        help_text=_("公示日期与信息形成日期相差的天数。"),
    )
    lock_version = models.PositiveIntegerField(_("编辑版本"), default=1)
    leaf_index = models.PositiveBigIntegerField(_("日志序号"), null=True, blank=True, unique=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["disclosure", "number", "created_at"]
        verbose_name = _("公示版本")
        verbose_name_plural = _("公示版本")
        constraints = [
            models.UniqueConstraint(
                fields=["disclosure", "number"],
                name="version_unique_number",
                violation_error_message=_("该版本号已存在。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="published")
                | (Q(number__isnull=False) & Q(published_at__isnull=False)),
                name="version_published_has_number_and_time",
            ),
            models.CheckConstraint(
                condition=Q(kind="publication") | ~Q(reason=""),
                name="version_change_has_reason",
                violation_error_message=_("更正或撤回必须填写原因。"),
            ),
        ]
        indexes = [
            # The public page and checklists: a disclosure's published versions in order.
            models.Index(
                fields=["disclosure", "status", "number"], name="version_disclosure_status"
            ),
            # Regulator timeliness figures: published versions by publication time.
            models.Index(fields=["status", "published_at"], name="version_status_published"),
        ]

    def __str__(self) -> str:
        return f"{self.disclosure} v{self.number or '—'} ({self.get_status_display()})"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    def _stored_status(self) -> str | None:
        if self.pk is None:
            return None
        return type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()

    def save(self, *args, **kwargs):
        if self._stored_status() == VersionStatus.PUBLISHED:
            raise ImmutableVersionError("a published disclosure version cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._stored_status() == VersionStatus.PUBLISHED:
            raise ImmutableVersionError("a published disclosure version cannot be deleted")
        return super().delete(*args, **kwargs)


class VersionFileQuerySet(models.QuerySet):
    def _refuse_if_published(self, action: str) -> None:
        if self.filter(version__status=VersionStatus.PUBLISHED).exists():
            raise ImmutableVersionError(f"files of published versions cannot be {action}")

    def update(self, **kwargs):
        self._refuse_if_published("updated")
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_published("deleted")
        return super().delete()


class VersionFile(models.Model):
    """A file attached to a version, with the name the uploader gave it."""

    version = models.ForeignKey(
        DisclosureVersion, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.ForeignKey(
        "files.StoredFile", on_delete=models.PROTECT, related_name="attachments"
    )
    name = models.CharField(_("文件名"), max_length=200)
    label = models.CharField(_("说明"), max_length=100, blank=True)
    position = models.PositiveIntegerField(_("顺序"), default=0)

    objects = VersionFileQuerySet.as_manager()

    class Meta:
        ordering = ["version", "position", "pk"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.name

    def _version_published(self) -> bool:
        return DisclosureVersion.objects.filter(
            pk=self.version_id, status=VersionStatus.PUBLISHED
        ).exists()

    def save(self, *args, **kwargs):
        if self._version_published():
            raise ImmutableVersionError("files of a published version cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._version_published():
            raise ImmutableVersionError("files of a published version cannot be removed")
        return super().delete(*args, **kwargs)


class PublicationTally(models.Model):
    """Published versions of one kind in one county-level region in one (local) month.

    Kept by publish_version in the publishing transaction (see :mod:`.tallies`), so the
    regulator's monthly trend reads a few hundred rows instead of every version ever
    published. The versions stay the source of truth: ``gongshi tallies --check`` recounts.
    """

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("月份"), help_text=_("当月第一天（北京时间）。"))
    kind = models.CharField(_("类型"), max_length=12, choices=VersionKind.choices)
    count = models.PositiveIntegerField(_("数量"), default=0)

    class Meta:
        verbose_name = _("月度公示统计")
        verbose_name_plural = _("月度公示统计")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "month", "kind"], name="publication_tally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.month:%Y-%m} {self.kind}: {self.count}"


class TimelinessTally(models.Model):
    """First publications in one county-level region that came ``days`` after their information date.

    Kept by publish_version like :class:`PublicationTally`; the timeliness histogram and the
    late count (any threshold) are sums over these rows.
    """

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    days = models.IntegerField(_("天数"))
    count = models.PositiveIntegerField(_("数量"), default=0)

    class Meta:
        verbose_name = _("公示及时性统计")
        verbose_name_plural = _("公示及时性统计")
        constraints = [
            models.UniqueConstraint(fields=["region", "days"], name="timeliness_tally_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.days}d: {self.count}"
