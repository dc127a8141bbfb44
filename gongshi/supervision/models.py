"""Regulators' actions (§6.3) as an append-only series of recorded events.

A :class:`RegulatorRecord` is one event: a commendation (通报表扬), a key-supervision decision
(重点监管) or a bad-conduct record (不良行为记录) being *made*, *corrected* or *lifted*. Nothing
is edited or deleted: a correction or a lifting is a new record pointing at the one it
changes (``supersedes``). The state of an action is derived from its chain of events.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongshi.core.appendonly import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet  # noqa: F401


class ActionKind(models.TextChoices):
    COMMENDATION = "commendation", _("通报表扬")
    KEY_SUPERVISION = "key_supervision", _("重点监管")
    BAD_CONDUCT = "bad_conduct", _("不良行为记录")
    # Penalties and credit records (§4.6, §6.3): each may carry a rectification track.
    PENALTY = "penalty", _("行政处罚")
    CREDIT_PUNISHMENT = "credit_punishment", _("信用惩戒")
    CRITICISM = "criticism", _("通报批评")
    INTERVIEW = "interview", _("约谈")
    RECTIFICATION_ORDER = "rectification_order", _("责令整改")


#: The kinds entered as penalties and credit records (the rest are §6.3 supervision actions).
PENALTY_KINDS = frozenset(
    {
        ActionKind.PENALTY,
        ActionKind.CREDIT_PUNISHMENT,
        ActionKind.CRITICISM,
        ActionKind.INTERVIEW,
        ActionKind.RECTIFICATION_ORDER,
    }
)


class RecordEvent(models.TextChoices):
    MADE = "made", _("作出")
    CORRECTED = "corrected", _("更正")
    LIFTED = "lifted", _("解除")
    REVOKED = "revoked", _("撤销")


#: The kinds a regulator may decide on an enterprise as a whole (§6.3: 企业和项目).
ENTERPRISE_KINDS = frozenset({ActionKind.COMMENDATION, ActionKind.KEY_SUPERVISION})

#: Events after which the action is no longer in force and its chain ends.
ENDING_EVENTS = (RecordEvent.LIFTED, RecordEvent.REVOKED)


class RecordQuerySet(AppendOnlyQuerySet):
    def current(self) -> RecordQuerySet:
        """Records no later record supersedes: the latest word on each action."""
        later = RegulatorRecord.objects.filter(supersedes=OuterRef("pk"))
        return self.filter(~Exists(later))

    def annotate_current(self) -> RecordQuerySet:
        """Add ``is_current``: no later record supersedes this one (one subquery, no extra query)."""
        later = RegulatorRecord.objects.filter(supersedes=OuterRef("pk"))
        return self.annotate(is_current=~Exists(later))

    def in_force(self) -> RecordQuerySet:
        """Current records of actions that have not been lifted or revoked."""
        return self.current().exclude(event__in=ENDING_EVENTS)

    def within(self, region) -> RecordQuerySet:
        """Records on the area's projects, and enterprise-level decisions its regulators made."""
        return self.filter(
            Q(project__region__code__startswith=region.prefix)
            | Q(project__isnull=True, regulator__region__code__startswith=region.prefix)
        )

    def enterprise_level(self) -> RecordQuerySet:
        """Decisions about an enterprise as a whole (no project): commendation, key supervision."""
        return self.filter(project__isnull=True)

    def about_project(self, project) -> RecordQuerySet:
        """A project's own records and the enterprise-level decisions on its developer or units."""
        from gongshi.projects.models import Participation

        units = Participation.objects.filter(project=project).values("organisation")
        return self.filter(
            Q(project=project)
            | Q(project__isnull=True) & (Q(subject_id=project.developer_id) | Q(subject__in=units))
        )


class RegulatorRecord(AppendOnlyModel):
    """One recorded event of a regulator's action on a project, or on an enterprise (public).

    An enterprise-level decision (commendation or key supervision of the organisation as a
    whole) has no project: it shows on the enterprise page and on each of its projects' pages.
    """

    kind = models.CharField(_("类型"), max_length=20, choices=ActionKind.choices)
    event = models.CharField(
        _("事项"), max_length=10, choices=RecordEvent.choices, default=RecordEvent.MADE
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        related_name="regulator_records",
        null=True,
        blank=True,
        help_text=_("企业层面的表扬或重点监管不针对单个项目，留空。"),
    )
    subject = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("对象单位"),
        on_delete=models.PROTECT,
        related_name="regulator_records",
        help_text=_("表扬或不良行为记录针对的单位：建设单位或参建单位。"),
    )
    regulator = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("作出部门"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("决定日期"))
    reason = models.TextField(_("事由"))
    credit_incentive = models.CharField(_("信用激励措施"), max_length=300, blank=True)
    inspection_interval_days = models.PositiveIntegerField(
        _("检查频次（天）"), null=True, blank=True, help_text=_("重点监管期间每隔多少天检查一次。")
    )
    # Penalties and credit records: the decision as issued (the reason holds the facts).
    decision_number = models.CharField(_("决定书文号"), max_length=100, blank=True)
    issuing_authority = models.CharField(_("作出机关"), max_length=200, blank=True)
    legal_basis = models.TextField(_("法律依据"), blank=True)
    content = models.TextField(_("处罚或惩戒内容"), blank=True)
    amount = models.DecimalField(
        _("罚款金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    rectify_by = models.DateField(
        _("整改期限"), null=True, blank=True, help_text=_("须在此日期前完成整改并报告。")
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("更正或解除的记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    leaf_index = models.PositiveBigIntegerField(_("日志序号"), null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    objects = RecordQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-created_at"]
        verbose_name = _("监管记录")
        verbose_name_plural = _("监管记录")
        constraints = [
            models.CheckConstraint(
                condition=Q(event="made", supersedes__isnull=True)
                | Q(supersedes__isnull=False) & ~Q(event="made"),
                name="record_change_points_at_record",
                violation_error_message=_(
                    "更正或解除必须指向原记录；新作出的记录不能指向其他记录。"
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind="key_supervision")
                | Q(event="lifted")
                | Q(inspection_interval_days__gte=1),
                name="record_key_supervision_has_interval",
                violation_error_message=_("重点监管须规定检查频次。"),
            ),
            models.CheckConstraint(
                condition=Q(project__isnull=False)
                | Q(kind__in=["commendation", "key_supervision"]),
                name="record_enterprise_level_kinds",
                violation_error_message=_("企业层面只能作出通报表扬或重点监管。"),
            ),
        ]
        indexes = [
            # /records/ filtered by kind, newest first.
            models.Index(fields=["kind", "-decided_on"], name="record_kind_decided"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} {self.get_event_display()} · {self.project or self.subject}"
        )

    @property
    def is_enterprise_level(self) -> bool:
        return self.project_id is None

    @property
    def is_penalty(self) -> bool:
        return self.kind in PENALTY_KINDS

    def origin(self) -> RegulatorRecord:
        """The record that first made this action (walks the chain; a query per step)."""
        record = self
        while record.supersedes_id:
            record = record.supersedes
        return record


class RectificationStepKind(models.TextChoices):
    REPORTED = "reported", _("整改情况报告")
    ACCEPTED = "accepted", _("整改验收通过")
    REJECTED = "rejected", _("整改验收不通过")


class RectificationStep(AppendOnlyModel):
    """One step of a record's rectification track (public, append-only, logged).

    The developer (or the unit the record is about) reports what it did; the regulator of the
    project's area accepts the rectification or sends it back. Steps belong to the record that
    first made the action, so a correction of the deadline keeps the track.
    """

    record = models.ForeignKey(
        RegulatorRecord,
        verbose_name=_("监管记录"),
        on_delete=models.PROTECT,
        related_name="rectification_steps",
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="+"
    )
    step = models.CharField(_("环节"), max_length=10, choices=RectificationStepKind.choices)
    text = models.TextField(_("说明"))
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("报告或验收单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    leaf_index = models.PositiveBigIntegerField(_("日志序号"), null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("整改环节")
        verbose_name_plural = _("整改环节")

    def __str__(self) -> str:
        return f"{self.get_step_display()} · {self.record_id}"


class InspectionQuerySet(models.QuerySet):
    def open(self) -> InspectionQuerySet:
        """Planned, not yet performed, under a key-supervision decision still in force."""
        return self.filter(performed_on__isnull=True, record__in=RegulatorRecord.objects.in_force())

    def overdue(self, today: dt.date | None = None) -> InspectionQuerySet:
        return self.open().filter(scheduled_on__lt=today or timezone.localdate())

    def within(self, region) -> InspectionQuerySet:
        return self.filter(project__region__code__startswith=region.prefix)


class Inspection(models.Model):
    """A scheduled (and later performed) inspection of a project under key supervision."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    record = models.ForeignKey(
        RegulatorRecord,
        verbose_name=_("重点监管决定"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    scheduled_on = models.DateField(_("计划检查日期"))
    performed_on = models.DateField(_("实际检查日期"), null=True, blank=True)
    findings = models.TextField(_("检查发现"), blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("检查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["scheduled_on"]
        verbose_name = _("检查")
        verbose_name_plural = _("检查")
        indexes = [
            # Dashboard: overdue inspections (performed_on IS NULL AND scheduled_on < today).
            models.Index(
                fields=["scheduled_on"],
                condition=Q(performed_on__isnull=True),
                name="inspection_open_scheduled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.scheduled_on}"

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Whether it is overdue, given that its decision is in force (the caller knows that)."""
        return self.performed_on is None and self.scheduled_on < (today or timezone.localdate())


class ScoreWeights(AppendOnlyModel):
    """The disclosure-score formula's weights, set by the provincial department.

    Each change is a new row (the latest is in force), so a published score can always be
    traced to the weights it was computed with.
    """

    completeness = models.PositiveSmallIntegerField(_("完整性权重"), default=40)
    timeliness = models.PositiveSmallIntegerField(_("及时性权重"), default=20)
    responsiveness = models.PositiveSmallIntegerField(_("咨询答复权重"), default=20)
    complaints = models.PositiveSmallIntegerField(_("投诉频次权重"), default=10)
    discrepancies = models.PositiveSmallIntegerField(_("开放日问题权重"), default=10)
    complaint_cap = models.DecimalField(
        _("投诉上限（件/万平方米）"),
        max_digits=6,
        decimal_places=2,
        default=2,
        help_text=_("每万平方米投诉达到此数，该项得分为 0。"),
    )
    discrepancy_cap = models.PositiveSmallIntegerField(
        _("未关闭问题上限（个）"),
        default=3,
        help_text=_("未关闭的核查不符问题达到此数，该项得分为 0。"),
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("评分权重")
        verbose_name_plural = _("评分权重")
        constraints = [
            models.CheckConstraint(
                condition=Q(completeness__gt=0)
                | Q(timeliness__gt=0)
                | Q(responsiveness__gt=0)
                | Q(complaints__gt=0)
                | Q(discrepancies__gt=0),
                name="score_weights_not_all_zero",
                violation_error_message=_("权重不能全部为 0。"),
            ),
            models.CheckConstraint(
                condition=Q(complaint_cap__gt=0) & Q(discrepancy_cap__gt=0),
                name="score_caps_positive",
                violation_error_message=_("上限必须大于 0。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.completeness}/{self.timeliness}/{self.responsiveness}/{self.complaints}/{self.discrepancies}"

    @classmethod
    def current(cls) -> ScoreWeights:
        """The weights in force (the defaults when none were ever set; not saved)."""
        return cls.objects.first() or cls()

    @property
    def total(self) -> int:
        return (
            self.completeness
            + self.timeliness
            + self.responsiveness
            + self.complaints
            + self.discrepancies
        )


class TimelinessSetting(models.Model):
    """A region's timeliness threshold: publications more days after the information date are late.

    Set by the region's regulator; a county's setting wins over its city's, a city's over the
    province's, and the platform default (GONGSHI_TIMELINESS_THRESHOLD_DAYS) applies otherwise.
    """

    region = models.OneToOneField(
        "regions.Region",
        verbose_name=_("地区"),
        on_delete=models.PROTECT,
        related_name="timeliness_setting",
    )
    threshold_days = models.PositiveSmallIntegerField(
        _("及时公示期限（天）"), help_text=_("信息形成后超过此天数才公示，即为逾期公示。")
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("及时性期限")
        verbose_name_plural = _("及时性期限")

    def __str__(self) -> str:
        return f"{self.region}: {self.threshold_days}"


class ProjectFigures(models.Model):
    """The counts behind a project's score, kept up to date in the writing transaction.

    The dashboard's completeness figures and the drill-down's score order read every project of
    an area; counted from the disclosures and questions for each request that took seconds at
    100,000 projects (BENCHMARKS.md). :mod:`gongshi.supervision.figures` keeps this row whenever
    a publication, a completion, a question, a finding or the project itself changes, and
    ``gongshi recount`` checks it against the live counts (``--fix`` rewrites it).

    Nothing here depends on the date except through a stored threshold, so a reader knows when
    a kept figure no longer holds and counts that project live instead:

    Date-dependent counts hold from ``counted_on`` (a read for an earlier day counts live):

    * ``required_due`` / ``required_public`` hold until ``required_until`` (the next date a
      local item or a raised requirement takes effect for the project; none: until a change);
    * ``on_time_publications`` holds while the county's threshold is ``on_time_threshold``;
    * ``overdue_questions`` holds until ``overdue_until``, the day the next unanswered
      question passes its deadline (none: every unanswered one is overdue already).
    """

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("项目"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="figures",
    )
    counted_on = models.DateField(_("计数日期"), null=True, blank=True)
    required_due = models.PositiveIntegerField(_("应公示的必须公示事项"), default=0)
    required_public = models.PositiveIntegerField(_("已公示的必须公示事项"), default=0)
    required_until = models.DateField(_("必须公示事项计数有效至"), null=True, blank=True)
    first_publications = models.PositiveIntegerField(_("首次公示"), default=0)
    on_time_publications = models.PositiveIntegerField(_("及时首次公示"), default=0)
    on_time_threshold = models.PositiveSmallIntegerField(_("计数所用及时性期限"), default=0)
    questions_asked = models.PositiveIntegerField(_("咨询投诉"), default=0)
    unanswered_questions = models.PositiveIntegerField(_("未答复的咨询投诉"), default=0)
    overdue_questions = models.PositiveIntegerField(_("逾期未答复的咨询投诉"), default=0)
    overdue_until = models.DateField(_("逾期计数有效至"), null=True, blank=True)
    complaints = models.PositiveIntegerField(_("投诉"), default=0)
    open_discrepancies = models.PositiveIntegerField(_("未关闭的核查不符问题"), default=0)

    class Meta:
        verbose_name = _("项目统计")
        verbose_name_plural = _("项目统计")
        indexes = [
            # figures.requirement_stale(): the few projects whose kept count a date has passed.
            models.Index(fields=["required_until"], name="figures_required_until"),
            models.Index(fields=["counted_on"], name="figures_counted_on"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}"


class CountyShare(models.Model):
    """What one project added to its county's :class:`CountyTally` rows when last counted:
    ``{"region": id, "keys": {key: n}}`` (:mod:`gongshi.supervision.county`), so the next count
    moves exactly the difference — to another county too. A row of its own, so the narrow
    :class:`ProjectFigures` rows the drill-down scans stay narrow."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("项目"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="county_share",
    )
    share = models.JSONField(_("计入县级统计"), default=dict, blank=True)

    class Meta:
        verbose_name = _("项目计入县级统计")
        verbose_name_plural = _("项目计入县级统计")

    def __str__(self) -> str:
        return f"{self.project_id}"


class CountyTally(models.Model):
    """One count of a county's projects or questions, kept in the writing transaction.

    The dashboard sums these rows over an area instead of scanning its projects and questions
    for each request (BENCHMARKS.md, issue 15). ``key`` names what is counted, e.g.
    ``p:under_construction:commercial:finished`` (projects of a stage, housing type and
    delivery standard), ``r:12:9`` (projects with 12 due required items, 9 of them public, as
    kept on :class:`ProjectFigures`), ``done:2026-05`` (projects accepted on completion that
    month), ``q:2026-05:complaint:10:10`` (visible questions asked that local month, of a kind,
    answered and resolved or not, by their deadline in working days). Nothing here depends on
    the date: :mod:`gongshi.supervision.county` derives what does at read time.
    """

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(_("统计项"), max_length=80)
    count = models.BigIntegerField(_("数量"), default=0)

    class Meta:
        verbose_name = _("县级统计")
        verbose_name_plural = _("县级统计")
        constraints = [
            models.UniqueConstraint(fields=["region", "key"], name="county_tally_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.key}: {self.count}"
