import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongshi.core.appendonly import AppendOnlyModel
from gongshi.core.choices import STAGE_ORDER, DeliveryStandard, HousingType, Stage, UnitRole

# Crockford-style alphabet without 0/O, 1/I/L: a code read aloud or typed from paper survives.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6


def new_public_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class StructureType(models.TextChoices):
    FRAME = "frame", _("框架结构")
    SHEAR_WALL = "shear_wall", _("剪力墙结构")
    FRAME_SHEAR_WALL = "frame_shear_wall", _("框架-剪力墙结构")
    FRAME_CORE_TUBE = "frame_core_tube", _("框架-核心筒结构")
    MASONRY = "masonry", _("砖混结构")
    STEEL = "steel", _("钢结构")
    PREFABRICATED_CONCRETE = "prefabricated_concrete", _("装配式混凝土结构")


class NullsFirstIndex(models.Index):
    """An index whose first (nullable) field sorts NULLs first on every database.

    SQLite sorts NULLs first already and refuses ``NULLS FIRST`` in an index; PostgreSQL
    sorts them last unless told. Read backwards, the index gives ``DESC NULLS LAST`` — the
    order that puts rows without a value at the end on both.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        saved = self.fields_orders
        (first, order), *rest = saved
        self.fields_orders = [(first, f"{order} NULLS FIRST".strip()), *rest]
        try:
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        finally:
            self.fields_orders = saved


# Written only by the publishing transaction (gongshi.disclosures.tallies), never by save().
KEPT_BY_PUBLISHING = {"last_published_at"}

# Saving any of these recomputes the search text (see gongshi.projects.search_text).
SEARCHED_FIELDS = {"code", "name", "address", "region", "region_id", "developer", "developer_id"}


class ProjectQuerySet(models.QuerySet):
    def within(self, region) -> "ProjectQuerySet":
        """Projects in a region or any region below it (a regulator's area)."""
        return self.filter(region__code__startswith=region.prefix)

    def matching(self, query: str) -> "ProjectQuerySet":
        """Projects whose search text contains every word of ``query`` (Chinese or pinyin).

        See :mod:`gongshi.projects.search_text`; answered from each engine's index
        (:mod:`gongshi.projects.search_index`).
        """
        from gongshi.projects.search_index import matching_filter
        from gongshi.projects.search_text import query_terms

        terms = query_terms(query)
        return matching_filter(self, terms) if terms else self

    def refresh_search_text(self) -> int:
        """Recompute the search text of these projects (after bulk_create or a rename)."""
        from gongshi.projects.search_text import search_text_for

        changed = []
        for project in self.select_related("region__parent", "developer"):
            text = search_text_for(project)
            if text != project.search_text:
                project.search_text = text
                changed.append(project)
        type(self)(self.model).bulk_update(changed, ["search_text"], batch_size=500)
        return len(changed)

    def for_organisation(self, organisation) -> "ProjectQuerySet":
        """Projects an organisation develops or takes part in."""
        return self.filter(
            Q(developer=organisation) | Q(participations__organisation=organisation)
        ).distinct()


class Project(models.Model):
    """A residential project (住宅工程项目) whose quality information is disclosed."""

    code = models.CharField(
        _("公示编号"), max_length=12, unique=True, default=new_public_code, editable=False
    )
    name = models.CharField(_("项目名称"), max_length=200)
    address = models.CharField(_("项目地址"), max_length=300)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在区县"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    developer = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("建设单位"),
        on_delete=models.PROTECT,
        related_name="developed_projects",
    )
    housing_type = models.CharField(_("住房类型"), max_length=12, choices=HousingType.choices)
    delivery_standard = models.CharField(
        _("交付标准"), max_length=8, choices=DeliveryStandard.choices
    )
    floor_area = models.DecimalField(_("总建筑面积（平方米）"), max_digits=12, decimal_places=2)
    building_count = models.PositiveIntegerField(_("楼栋数"))
    household_count = models.PositiveIntegerField(_("户数"))
    structure_type = models.CharField(_("结构类型"), max_length=30, choices=StructureType.choices)
    contract_duration_days = models.PositiveIntegerField(_("合同工期（日历天）"))
    stage = models.CharField(
        _("项目阶段"), max_length=20, choices=Stage.choices, default=Stage.NOT_STARTED
    )
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    completion_accepted_on = models.DateField(_("竣工验收合格日期"), null=True, blank=True)
    handed_over_on = models.DateField(_("交付日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    last_published_at = models.DateTimeField(
        _("最近公示时间"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("最近一次公示（含更正、撤回）的时间，公示时在同一事务中更新。"),
    )
    search_text = models.TextField(
        _("检索文本"),
        blank=True,
        default="",
        editable=False,
        help_text=_("名称、地址、建设单位、地区及其拼音和首字母（小写），保存时自动生成。"),
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__in=[Stage.NOT_STARTED, Stage.UNDER_CONSTRUCTION])
                | Q(completion_accepted_on__isnull=False),
                name="project_completed_has_acceptance_date",
                violation_error_message=_(
                    "项目进入“已竣工验收”或“已交付”阶段前，须填写竣工验收合格日期。"
                ),
            ),
        ]
        indexes = [
            # Regulator area filters: region__code__startswith on the joined region.
            models.Index(fields=["region", "stage"], name="project_region_stage"),
            # The search page's default order (most recently published first, projects with
            # nothing published last), read backwards: no sort, no scan of the versions.
            NullsFirstIndex(fields=["last_published_at", "id"], name="project_last_published"),
            # The regulator's drill-down sorted by name (supervision.console): a page of 50
            # read in order, not every project of the area scored and sorted.
            models.Index(fields=["name", "id"], name="project_name"),
            # The dashboard's online-disclosure and open-day counts (supervision.county): the
            # kept monthly tallies, plus the projects of the one month a cut-off falls in.
            models.Index(fields=["completion_accepted_on"], name="project_completion_accepted"),
            models.Index(fields=["started_on"], name="project_started"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.stage in (Stage.COMPLETED, Stage.HANDED_OVER) and not self.completion_accepted_on:
            raise ValidationError(
                {
                    "completion_accepted_on": _(
                        "项目进入“已竣工验收”或“已交付”阶段前，须填写竣工验收合格日期。"
                    )
                }
            )
        if (
            self.completion_accepted_on
            and self.started_on
            and self.completion_accepted_on < self.started_on
        ):
            raise ValidationError(
                {"completion_accepted_on": _("竣工验收合格日期不能早于开工日期。")}
            )

    def save(self, *args, **kwargs):
        from gongshi.projects.search_text import search_text_for

        update_fields = kwargs.get("update_fields")
        if update_fields is None and not self._state.adding:
            # last_published_at belongs to publish_version: saving facts loaded before a
            # publication must not write back the older time.
            update_fields = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in KEPT_BY_PUBLISHING
            ]
            kwargs["update_fields"] = update_fields
        if update_fields is None or set(update_fields) & SEARCHED_FIELDS:
            # Reads region, its city and the developer: up to three queries unless loaded.
            self.search_text = search_text_for(self)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    @property
    def stage_index(self) -> int:
        return STAGE_ORDER.index(self.stage)


class Participation(models.Model):
    """One of the seven units on a project (参建单位), with its project leader (项目负责人)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    role = models.CharField(_("责任主体类型"), max_length=20, choices=UnitRole.choices)
    leader_name = models.CharField(_("项目负责人"), max_length=50)
    leader_title = models.CharField(_("职务/职称"), max_length=50, blank=True)

    class Meta:
        ordering = ["project", "role"]
        verbose_name = _("参建单位")
        verbose_name_plural = _("参建单位")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "role", "organisation"],
                name="participation_unique_role_org",
                violation_error_message=_("该单位已以此身份参与本项目。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_role_display()} · {self.organisation}"


class Building(models.Model):
    """A building of a project (楼栋), declared once with its units and floors.

    Items the guidance ties to buildings (completion acceptance, household acceptance,
    pre-sale permits by building) point to the buildings they cover; each flat
    (:class:`Flat`) belongs to one building.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="buildings")
    name = models.CharField(
        _("楼栋号"), max_length=30, help_text=_("如“1号楼”“A座”，与预售许可、竣工验收文件一致。")
    )
    position = models.PositiveIntegerField(_("排序"), default=0)
    units = models.PositiveSmallIntegerField(_("单元数"), default=1)
    floors_above = models.PositiveSmallIntegerField(_("地上层数"))
    floors_below = models.PositiveSmallIntegerField(_("地下层数"), default=0)
    floor_area = models.DecimalField(
        _("建筑面积（平方米）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    household_count = models.PositiveIntegerField(_("户数"), null=True, blank=True)
    # The plan's sales batches: a project needs one pre-sale permit per batch declared here
    # (gongshi.disclosures.instances.required_for).
    sales_batch = models.PositiveSmallIntegerField(
        _("销售批次"), null=True, blank=True, help_text=_("第几批预售，如 1、2、3；未定可空。")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["project", "position", "id"]
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"],
                name="building_unique_name",
                violation_error_message=_("本项目已有同名楼栋。"),
            ),
            models.CheckConstraint(
                condition=Q(units__gte=1) & Q(floors_above__gte=1),
                name="building_has_units_and_floors",
                violation_error_message=_("楼栋至少有一个单元、一层地上楼层。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.name}"


class Flat(models.Model):
    """One flat (户) of a building: building + unit + floor + room number.

    Its public archive (一户一档) hangs off this row; owners' names and numbers are never
    stored here.
    """

    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="flats")
    unit = models.CharField(_("单元"), max_length=10, help_text=_("如“1”“2单元”。"))
    floor = models.SmallIntegerField(_("楼层"))
    number = models.CharField(_("房号"), max_length=20, help_text=_("如“1201”。"))
    area = models.DecimalField(
        _("建筑面积（平方米）"), max_digits=8, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["building", "unit", "floor", "number"]
        verbose_name = _("房屋")
        verbose_name_plural = _("房屋")
        constraints = [
            models.UniqueConstraint(
                fields=["building", "unit", "number"],
                name="flat_unique_number",
                violation_error_message=_("该楼栋该单元已有此房号。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.building.name} {self.unit}单元 {self.number}"


class StageCorrection(AppendOnlyModel):
    """A regulator's correction of a project's stage dates (阶段日期更正): public and logged.

    Made by ``gongshi.supervision.stage_dates.correct_stage_dates`` only; ``before`` and
    ``after`` hold the stage and the three dates as ISO strings. Deadlines and states that
    depend on the dates are derived from the project row at read time, so they follow at once.
    """

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="stage_corrections"
    )
    regulator = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("更正部门"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("更正原因"))
    before = models.JSONField(_("更正前"))
    after = models.JSONField(_("更正后"))
    leaf_index = models.PositiveBigIntegerField(_("日志序号"), null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("更正时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("阶段日期更正")
        verbose_name_plural = _("阶段日期更正")

    def __str__(self) -> str:
        return f"{self.project} · {self.created_at:%Y-%m-%d}"

    @staticmethod
    def payload_for(project_code: str, regulator_code: str, reason: str, before, after) -> dict:
        """The log leaf's content (``stage_correction``): written once, rebuilt by verifiers."""
        return {
            "project": project_code,
            "regulator": regulator_code,
            "reason": reason,
            "before": before,
            "after": after,
        }

    def log_payload(self) -> dict:
        """The leaf rebuilt from this row as the site holds it now (needs ``project``,
        ``regulator``): any later change to the row shows as a field that differs."""
        return self.payload_for(
            self.project.code, self.regulator.credit_code, self.reason, self.before, self.after
        )

    @property
    def changes(self) -> list[tuple[str, str, str]]:
        """(field label, before, after) of each changed field."""
        labels = {
            "stage": _("项目阶段"),
            "started_on": _("开工日期"),
            "completion_accepted_on": _("竣工验收合格日期"),
            "handed_over_on": _("交付日期"),
        }
        stages = dict(Stage.choices)
        shown = []
        for key, label in labels.items():
            old, new = self.before.get(key), self.after.get(key)
            if old != new:
                if key == "stage":
                    old, new = stages.get(old, old), stages.get(new, new)
                shown.append((str(label), old or "—", new or "—"))
        return shown
