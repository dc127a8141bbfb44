import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gongshi.core.choices import STAGE_ORDER, HousingType, Stage, UnitRole


class Category(models.TextChoices):
    """The six categories of guidance §4."""

    PROCEDURE = "procedure", _("项目建设程序信息")
    PARTIES = "parties", _("参建责任主体信息")
    MATERIALS = "materials", _("主要建筑材料信息")
    ACCEPTANCE = "acceptance", _("工程质量验收信息")
    WARRANTY = "warranty", _("工程质量保修信息")
    OTHER = "other", _("其他信息")


CATEGORY_ORDER = [c.value for c in Category]


class DueStage(models.TextChoices):
    """The three disclosure stages of guidance §5.2."""

    BEFORE_START = "before_start", _("开工前")
    CONSTRUCTION = "construction", _("施工期间")
    BEFORE_HANDOVER = "before_handover", _("交付使用前")


# The first project stage at which an item of each due stage must be on the checklist.
DUE_FROM_STAGE = {
    DueStage.BEFORE_START: Stage.NOT_STARTED,
    DueStage.CONSTRUCTION: Stage.UNDER_CONSTRUCTION,
    DueStage.BEFORE_HANDOVER: Stage.COMPLETED,
}


class Applicability(models.TextChoices):
    BOTH = "both", _("毛坯和全装修")
    SHELL = "shell", _("仅毛坯")
    FITTED = "fitted", _("仅全装修")


class RequirementLevel(models.TextChoices):
    REQUIRED = "required", _("必须公示")
    OPTIONAL = "optional", _("选择公示")
    VOLUNTARY = "voluntary", _("自愿公示")


# Strictness of each level: a city may raise an item's level for its area, never lower it.
REQUIREMENT_RANK = {
    RequirementLevel.VOLUNTARY: 0,
    RequirementLevel.OPTIONAL: 1,
    RequirementLevel.REQUIRED: 2,
}


def stricter(a: str, b: str) -> str:
    """The stricter of two requirement levels."""
    return (
        a if REQUIREMENT_RANK[RequirementLevel(a)] >= REQUIREMENT_RANK[RequirementLevel(b)] else b
    )


class CatalogueItemQuerySet(models.QuerySet):
    def for_project(self, project, today: dt.date | None = None) -> "CatalogueItemQuerySet":
        """Items that apply to a project: province-wide items plus local items of its area
        that are in force ``today`` (default: today).

        The same rule as :func:`gongshi.disclosures.checklist.applies`; due-ness by stage is
        :meth:`due_at` / :func:`gongshi.disclosures.checklist.is_due`.
        """
        applies = [Applicability.BOTH, project.delivery_standard]
        region_code = project.region.code  # costs a query unless region is loaded
        local = Q(region__isnull=False) & (
            Q(region__code=region_code)
            | Q(region__code=region_code[:4] + "00")
            | Q(region__code=region_code[:2] + "0000")
        )
        in_force = Q(effective_from__isnull=True) | Q(
            effective_from__lte=today or timezone.localdate()
        )
        return self.filter(
            Q(region__isnull=True) | local, in_force, applies_to__in=applies, active=True
        )

    def due_at(self, stage: str) -> "CatalogueItemQuerySet":
        index = STAGE_ORDER.index(stage)
        due = [d for d, s in DUE_FROM_STAGE.items() if STAGE_ORDER.index(s) <= index]
        return self.filter(due_stage__in=due)


class CatalogueItem(models.Model):
    """One disclosure item of the catalogue (公示事项): what must be disclosed, when, by whom.

    ``fields`` holds the item's structured field definitions (see ``gongshi.catalogue.fields``).
    Built-in items have no region; a city's local items (§6.1) carry the region that added them.
    """

    code = models.CharField(
        _("编码"),
        max_length=60,
        unique=True,
        validators=[
            RegexValidator(
                r"^[a-z0-9_]+(\.[a-z0-9_]+)*$",
                _("编码只能使用小写字母、数字、下划线，并以点分隔，如 procedure.planning_permit。"),
            )
        ],
        help_text=_("稳定编码，公布后不再更改，如 procedure.planning_permit。"),
    )
    title = models.CharField(_("名称"), max_length=200)
    title_en = models.CharField(_("英文名称"), max_length=200)
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices)
    due_stage = models.CharField(_("公示阶段"), max_length=16, choices=DueStage.choices)
    supplier = models.CharField(_("提供单位"), max_length=20, choices=UnitRole.choices)
    applies_to = models.CharField(
        _("适用交付标准"), max_length=8, choices=Applicability.choices, default=Applicability.BOTH
    )
    requirement = models.CharField(
        _("公示要求"),
        max_length=10,
        choices=RequirementLevel.choices,
        default=RequirementLevel.REQUIRED,
    )
    affordable_requirement = models.CharField(
        _("保障性住房公示要求"),
        max_length=10,
        choices=RequirementLevel.choices,
        blank=True,
        help_text=_("为空表示与上面的公示要求相同。"),
    )
    scan_required = models.BooleanField(_("须上传原件扫描件"), default=False)
    scans = models.JSONField(
        _("扫描件清单"),
        default=list,
        blank=True,
        help_text=_(
            '应上传的原件，如 [{"key": "authorisation", "label": "法定代表人授权书", '
            '"label_en": "Letter of authorisation"}]。'
        ),
    )
    # A scan needed only for some answers: the penalties item (§4.6) needs the decision's scan
    # when the developer answers 有, none when it answers 无.
    scan_required_when = models.JSONField(
        _("须上传扫描件的条件"),
        default=dict,
        blank=True,
        help_text=_(
            '某字段取某值时须上传扫描件，如 {"field": "has_items", "value": "yes"}；'
            "为空表示按上面“须上传原件扫描件”。"
        ),
    )
    fields = models.JSONField(_("字段定义"), default=list)
    # A project may disclose the item several times, each instance with its own versions,
    # files and log leaves: one pre-sale permit per sales batch, one completion acceptance
    # per building. How many a project needs is declared with its plan (Disclosure.required_instances).
    repeatable = models.BooleanField(
        _("可多份公示"),
        default=False,
        help_text=_("如每批预售许可证、每栋楼的竣工验收：每份单独公示、更正和撤回。"),
    )
    covers_buildings = models.BooleanField(
        _("按楼栋公示"),
        default=False,
        help_text=_("每份公示注明其涵盖的楼栋（如预售许可证、竣工验收、分户验收）。"),
    )
    description = models.TextField(_("说明"), blank=True)
    basis = models.CharField(
        _("依据"), max_length=200, blank=True, help_text=_("如：指导意见第四条第1项")
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("地方事项所属地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="local_items",
        help_text=_("为空表示全省通用事项。"),
    )
    effective_from = models.DateField(_("生效日期"), null=True, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    builtin_digest = models.CharField(
        _("内置数据摘要"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("内置事项最近一次载入时内容的 SHA-256；管理员修改过的内置事项不再被覆盖。"),
    )
    # Any change shows at once on public pages: their fingerprint includes the latest of these.
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = CatalogueItemQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("公示事项")
        verbose_name_plural = _("公示事项目录")
        constraints = [
            # A local item binds only projects before its stage on this date (catalogue.effective).
            models.CheckConstraint(
                condition=Q(region__isnull=True) | Q(effective_from__isnull=False),
                name="local_item_has_effective_date",
                violation_error_message=_("地方事项须填写生效日期：此前已过该阶段的项目不适用。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def display_title(self) -> str:
        return self.title_en if (get_language() or "").startswith("en") else self.title

    def clean(self) -> None:
        from gongshi.catalogue.fields import (
            validate_definitions,
            validate_scan_condition,
            validate_scans,
        )

        problems = {}
        if definition_problems := validate_definitions(self.fields):
            problems["fields"] = definition_problems
        if scan_problems := validate_scans(self.scans):
            problems["scans"] = scan_problems
        if not problems and (condition_problems := validate_scan_condition(self)):
            problems["scan_required_when"] = condition_problems
        if problems:
            raise ValidationError(problems)

    def requirement_for(self, housing_type: str) -> str:
        """The province-wide level for a housing type (before any local raise)."""
        if housing_type == HousingType.AFFORDABLE and self.affordable_requirement:
            return self.affordable_requirement
        return self.requirement

    def requires_scan(self, values: dict | None) -> bool:
        """Whether a version with these values must carry a scan of the original."""
        if self.scan_required:
            return True
        when = self.scan_required_when or {}
        return bool(when) and (values or {}).get(when.get("field")) == when.get("value")

    def missing_scan_message(self) -> str:
        """The sentence that tells the person which scan to upload before publishing."""
        from gongshi.catalogue.fields import label_of

        language = get_language()
        scans = "、".join(label_of(s, language) for s in self.scans) or self.display_title
        when = self.scan_required_when or {}
        field = next((f for f in self.fields if f["key"] == when.get("field")), None)
        if self.scan_required or field is None:
            return _("此事项须上传原件扫描件（PDF、JPG 或 PNG）。")
        value = next(
            (
                label_of(c, language)
                for c in field.get("choices", [])
                if c["value"] == when["value"]
            ),
            when["value"],
        )
        return _(
            "“%(field)s”选择“%(value)s”时，须上传%(scans)s的扫描件（PDF、JPG 或 PNG）："
            "请在下方“原件扫描件”处上传后再公示。"
        ) % {"field": label_of(field, language), "value": value, "scans": scans}

    @property
    def has_table(self) -> bool:
        return any(f["type"] == "table" for f in self.fields)


class LocalRequirement(models.Model):
    """A city or county raising a catalogue item's requirement level in its area (§6.1).

    From ``effective_from`` on, projects in ``region`` (or below it) must disclose the item at
    ``requirement``; the province-wide level is never lowered.
    """

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("地区"),
        on_delete=models.PROTECT,
        related_name="local_requirements",
    )
    item = models.ForeignKey(
        CatalogueItem,
        verbose_name=_("公示事项"),
        on_delete=models.CASCADE,
        related_name="local_requirements",
    )
    requirement = models.CharField(
        _("本地公示要求"), max_length=10, choices=RequirementLevel.choices
    )
    effective_from = models.DateField(_("生效日期"))
    basis = models.CharField(
        _("依据"), max_length=200, blank=True, help_text=_("如：哈尔滨市住宅工程质量信息公示清单")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        ordering = ["region", "item"]
        verbose_name = _("地方公示要求")
        verbose_name_plural = _("地方公示要求")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "item"],
                name="local_requirement_unique_region_item",
                violation_error_message=_("该地区已对此事项设定了公示要求，请修改已有设定。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} · {self.item.title} · {self.get_requirement_display()}"

    def clean(self) -> None:
        if self.item_id is None or not self.requirement:
            return
        levels = [self.item.requirement, self.item.affordable_requirement or self.item.requirement]
        weakest = min(levels, key=lambda level: REQUIREMENT_RANK[RequirementLevel(level)])
        if (
            REQUIREMENT_RANK[RequirementLevel(self.requirement)]
            <= REQUIREMENT_RANK[RequirementLevel(weakest)]
        ):
            raise ValidationError(
                {
                    "requirement": _(
                        "地方只能提高公示要求：此事项全省要求为“%(level)s”，请选择更严格的要求。"
                    )
                    % {"level": RequirementLevel(weakest).label}
                }
            )


class WarrantyMeasure(models.TextChoices):
    """How a warranty period is measured (建设工程质量管理条例 第四十条)."""

    DESIGN_LIFE = "design_life", _("设计文件规定的合理使用年限")
    YEARS = "years", _("年")
    HEATING_SEASONS = "heating_seasons", _("个采暖期、供冷期")


class WarrantyPart(models.Model):
    """A part of the works with its warranty period (保修期限), run from handover.

    The statutory minimums of 第四十条 are loaded once (``gongshi.catalogue.warranty``); the
    administrator may lengthen a period, never shorten it below the law. ``items`` are the
    warranty items whose online retention follows this period.
    """

    code = models.SlugField(_("编码"), max_length=30, unique=True, editable=False)
    title = models.CharField(_("保修部位"), max_length=100)
    title_en = models.CharField(_("英文名称"), max_length=100)
    measure = models.CharField(
        _("计算方式"), max_length=16, choices=WarrantyMeasure.choices, editable=False
    )
    length = models.PositiveSmallIntegerField(
        _("期限"),
        null=True,
        blank=True,
        help_text=_("年数或采暖期数；按设计使用年限计的部位留空（取项目公示的设计使用年限）。"),
    )
    items = models.ManyToManyField(
        CatalogueItem,
        verbose_name=_("按此期限保留的保修事项"),
        related_name="warranty_parts",
        blank=True,
        limit_choices_to={"category": Category.WARRANTY},
    )
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("保修期限")
        verbose_name_plural = _("保修期限")

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return self.title_en if (get_language() or "").startswith("en") else self.title

    def clean(self) -> None:
        from gongshi.catalogue.warranty import check_period

        check_period(self)
