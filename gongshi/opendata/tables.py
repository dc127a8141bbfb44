"""The tables of the open-data package: each one's columns (a Table Schema) and its rows.

Each ``*_rows`` function streams its rows from the database with ``.iterator()``, a constant
number of queries whatever the number of rows; :data:`RESOURCES` lists the tables in the
order of the package, with their primary and foreign keys. Only what the public sees.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gongshi.core.choices import OrganisationType
from gongshi.disclosures.models import DisclosureVersion, VersionStatus
from gongshi.organisations.models import Organisation
from gongshi.projects.models import Building, Participation, Project
from gongshi.supervision.metrics import overdue_questions_q
from gongshi.supervision.models import (
    ENDING_EVENTS,
    PENALTY_KINDS,
    RectificationStep,
    RegulatorRecord,
)
from gongshi.supervision.rectification import track_state
from gongshi.supervision.score import _count, annotate_score

CHUNK = 500


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean, date, datetime, object
    description: str


@dataclass(frozen=True)
class Resource:
    name: str
    title: Promise
    description: Promise
    columns: tuple[Column, ...]
    rows: Callable[[], Iterator[list]]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = field(default=())  # (field, resource, field)

    @property
    def path(self) -> str:
        return f"data/{self.name}.csv"

    def schema(self) -> dict:
        schema: dict = {
            "fields": [
                {"name": c.name, "type": c.type, "description": c.description} for c in self.columns
            ],
            "primaryKey": list(self.primary_key),
            "missingValues": [""],
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": own, "reference": {"resource": other, "fields": theirs}}
                for own, other, theirs in self.foreign_keys
            ]
        return schema


def site(path: str) -> str:
    return settings.SITE_URL + path


def _city_and_district(region) -> tuple[str, str]:
    if region.level == "county" and region.parent_id:
        return region.parent.name, region.name
    return region.name, ""


# -- rows --------------------------------------------------------------------------------


def organisation_rows() -> Iterator[list]:
    shown = (
        Q(kind=OrganisationType.REGULATOR)
        | Q(pk__in=Project.objects.values("developer"))
        | Q(pk__in=Participation.objects.values("organisation"))
    )
    queryset = Organisation.objects.filter(shown).select_related("region").order_by("credit_code")
    for org in queryset.iterator(chunk_size=CHUNK):
        yield [
            org.credit_code,
            org.name,
            org.kind,
            org.get_kind_display(),
            org.region.code,
            org.region.name,
            site(reverse("supervision:enterprise", args=[org.credit_code])),
        ]


def project_rows() -> Iterator[list]:
    queryset = annotate_score(
        Project.objects.select_related("region__parent", "developer")
    ).order_by("code")
    for project in queryset.iterator(chunk_size=CHUNK):
        city, district = _city_and_district(project.region)
        yield [
            project.code,
            project.name,
            project.address,
            project.region.code,
            city,
            district,
            project.developer.credit_code,
            project.developer.name,
            project.housing_type,
            project.delivery_standard,
            project.stage,
            project.floor_area,
            project.building_count,
            project.household_count,
            project.started_on,
            project.completion_accepted_on,
            project.handed_over_on,
            project.last_published_at,
            round(project.completeness, 4),
            round(project.score, 2),
            site(reverse("public:project", args=[project.code])),
        ]


def building_rows() -> Iterator[list]:
    queryset = Building.objects.select_related("project").order_by(
        "project__code", "position", "pk"
    )
    for building in queryset.iterator(chunk_size=CHUNK):
        code = building.project.code
        yield [
            building.pk,
            code,
            building.name,
            building.position,
            building.units,
            building.floors_above,
            building.floors_below,
            building.floor_area,
            building.household_count,
            site(reverse("public:building", args=[code, building.pk])),
        ]


def version_rows() -> Iterator[list]:
    queryset = (
        DisclosureVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("disclosure__item", "disclosure__project", "supplied_by")
        .prefetch_related("disclosure__buildings")
        .order_by(
            "disclosure__project__code", "disclosure__item__code", "disclosure__instance", "number"
        )
    )
    for version in queryset.iterator(chunk_size=CHUNK):
        disclosure = version.disclosure
        item, code = disclosure.item, disclosure.project.code
        if item.repeatable:
            page = reverse("public:instance", args=[code, item.code, disclosure.instance])
        else:
            page = reverse("public:item", args=[code, item.code])
        yield [
            version.pk,
            code,
            item.code,
            item.title,
            item.category,
            disclosure.instance,
            disclosure.label,
            "、".join(disclosure.building_names()),
            version.number,
            version.kind,
            version.information_date,
            version.published_at,
            version.timeliness_days,
            version.reason,
            version.supplied_by.credit_code,
            version.values or {},
            version.leaf_index,
            site(page),
        ]


def _record_states() -> tuple[dict[int, int], dict[int, list]]:
    """Each record's chain origin and each origin's rectification steps (ids and kinds only)."""
    supersedes = dict(RegulatorRecord.objects.values_list("pk", "supersedes_id").iterator())
    origins: dict[int, int] = {}
    for pk in supersedes:
        origin = pk
        while supersedes.get(origin):
            origin = supersedes[origin]
        origins[pk] = origin
    steps: dict[int, list] = defaultdict(list)
    for record_id, step in (
        RectificationStep.objects.order_by("created_at", "pk")
        .values_list("record_id", "step")
        .iterator()
    ):
        steps[record_id].append(SimpleNamespace(step=step))
    return origins, steps


def record_rows() -> Iterator[list]:
    origins, steps = _record_states()
    today = timezone.localdate()
    queryset = (
        RegulatorRecord.objects.select_related("project", "subject", "regulator")
        .annotate_current()
        .order_by("pk")
    )
    for record in queryset.iterator(chunk_size=CHUNK):
        state = ""
        if record.kind in PENALTY_KINDS and record.is_current and record.event not in ENDING_EVENTS:
            origin_steps = steps.get(origins.get(record.pk, record.pk), [])
            if record.rectify_by or origin_steps:
                state = track_state(record, origin_steps, today).code
        yield [
            record.pk,
            record.project.code if record.project_id else "",  # enterprise-level decisions
            record.kind,
            record.event,
            record.supersedes_id,
            record.is_current,
            record.subject.credit_code,
            record.subject.name,
            record.regulator.name,
            record.decided_on,
            record.reason,
            record.credit_incentive,
            record.inspection_interval_days,
            record.decision_number,
            record.issuing_authority,
            record.legal_basis,
            record.content,
            record.amount,
            record.rectify_by,
            state,
            record.leaf_index,
            record.created_at,
        ]


def rectification_rows() -> Iterator[list]:
    queryset = RectificationStep.objects.select_related("project", "organisation").order_by("pk")
    for step in queryset.iterator(chunk_size=CHUNK):
        yield [
            step.pk,
            step.record_id,
            step.project.code,
            step.step,
            step.text,
            step.organisation.credit_code,
            step.leaf_index,
            step.created_at,
        ]


def question_rows() -> Iterator[list]:
    """Counts only, per project: one query (a subquery per figure, as the score counts them)."""
    from gongshi.participation.models import Question, QuestionKind, Resolution

    visible = Question.objects.visible()
    deadlines = list(
        Question.objects.order_by().values_list("deadline_working_days", flat=True).distinct()
    )
    overdue = (
        visible.filter(overdue_questions_q(deadlines, timezone.localdate()))
        if deadlines
        else Question.objects.none()
    )
    queryset = (
        Project.objects.only("code", "floor_area")
        .annotate(
            questions_asked=_count(visible),
            complaints_count=_count(visible.filter(kind=QuestionKind.COMPLAINT)),
            questions_answered=_count(visible.answered()),
            questions_overdue=_count(overdue),
            questions_resolved=_count(visible.filter(resolution=Resolution.RESOLVED)),
            questions_not_resolved=_count(visible.filter(resolution=Resolution.NOT_RESOLVED)),
            questions_hidden=_count(Question.objects.filter(hidden_at__isnull=False)),
        )
        .order_by("code")
    )
    for project in queryset.iterator(chunk_size=CHUNK):
        area = float(project.floor_area)
        per_10k = project.complaints_count * 10000 / area if area > 0 else 0.0
        yield [
            project.code,
            project.questions_asked,
            project.complaints_count,
            project.questions_answered,
            project.questions_overdue,
            project.questions_resolved,
            project.questions_not_resolved,
            project.questions_hidden,
            round(per_10k, 4),
        ]


def text(name: str, description: str) -> Column:
    return Column(name, "string", description)


def integer(name: str, description: str) -> Column:
    return Column(name, "integer", description)


def number(name: str, description: str) -> Column:
    return Column(name, "number", description)


def date(name: str, description: str) -> Column:
    return Column(name, "date", description)


def moment(name: str, description: str) -> Column:
    return Column(name, "datetime", description)


RESOURCES: tuple[Resource, ...] = (
    Resource(
        "organisations",
        _("单位"),
        _("建设单位、参建单位和住房城乡建设主管部门的公开信息（不含电话、地址）。"),
        (
            text("credit_code", "统一社会信用代码（GB 32100）"),
            text("name", "名称"),
            text("kind", "类型代码：developer 建设单位、regulator 主管部门，其余为参建单位类型"),
            text("kind_label", "类型"),
            text("region_code", "所在地区行政区划代码（GB/T 2260）"),
            text("region_name", "所在地区"),
            text("page_url", "单位公开页面"),
        ),
        organisation_rows,
        ("credit_code",),
    ),
    Resource(
        "projects",
        _("项目"),
        _("每个住宅工程项目：地区、建设单位、阶段日期、完整度和公示评分。"),
        (
            text("code", "公示编号"),
            text("name", "项目名称"),
            text("address", "项目地址"),
            text("region_code", "所在区县或城市的行政区划代码"),
            text("city", "城市"),
            text("district", "区县"),
            text("developer_credit_code", "建设单位统一社会信用代码"),
            text("developer_name", "建设单位名称"),
            text("housing_type", "住房类型代码"),
            text("delivery_standard", "交付标准代码"),
            text("stage", "项目阶段代码"),
            number("floor_area", "总建筑面积（平方米）"),
            integer("building_count", "楼栋数"),
            integer("household_count", "户数"),
            date("started_on", "开工日期"),
            date("completion_accepted_on", "竣工验收合格日期"),
            date("handed_over_on", "交付日期"),
            moment("last_published_at", "最近公示时间（UTC）"),
            number("completeness", "完整性：已到期的必填事项中已公示的比例（0–1）"),
            number("score", "公示评分（0–100，公式见 /score/）"),
            text("page_url", "项目公示页面"),
        ),
        project_rows,
        ("code",),
        (("developer_credit_code", "organisations", "credit_code"),),
    ),
    Resource(
        "buildings",
        _("楼栋"),
        _("项目的楼栋：单元数、层数、面积和户数。"),
        (
            integer("id", "楼栋编号"),
            text("project_code", "项目公示编号"),
            text("name", "楼栋名称"),
            integer("position", "排序"),
            integer("units", "单元数"),
            integer("floors_above", "地上层数"),
            integer("floors_below", "地下层数"),
            number("floor_area", "建筑面积（平方米）"),
            integer("household_count", "户数"),
            text("page_url", "楼栋公示页面"),
        ),
        building_rows,
        ("id",),
        (("project_code", "projects", "code"),),
    ),
    Resource(
        "disclosure_versions",
        _("公示信息版本"),
        _(
            "每个已公示的版本（首次公示、更正、撤回、不适用说明），字段内容为 JSON；不含草稿和未公示的版本。"
        ),
        (
            integer("id", "版本编号"),
            text("project_code", "项目公示编号"),
            text("item_code", "公示事项编码"),
            text("item_title", "公示事项名称"),
            text("category", "类别代码"),
            integer("instance", "第几份"),
            text("instance_label", "份名称"),
            text("buildings", "涵盖楼栋（以“、”分隔）"),
            integer("version", "版本号"),
            text("kind", "类型代码：publication 首次公示、correction 更正、withdrawal 撤回等"),
            date("information_date", "信息形成日期"),
            moment("published_at", "公示时间（UTC）"),
            integer("timeliness_days", "信息形成后第几天公示"),
            text("reason", "更正或撤回原因"),
            text("supplied_by_credit_code", "提供信息单位的统一社会信用代码"),
            Column("values", "object", "字段内容（JSON，键为目录中的字段代码）"),
            integer("leaf_index", "公示日志序号（可在 /log/ 核验）"),
            text("page_url", "公示事项页面"),
        ),
        version_rows,
        ("id",),
        (
            ("project_code", "projects", "code"),
            ("supplied_by_credit_code", "organisations", "credit_code"),
        ),
    ),
    Resource(
        "regulator_records",
        _("监管记录"),
        _(
            "主管部门的通报表扬、重点监管、不良行为记录、行政处罚和信用惩戒，含更正、解除、撤销和整改状态。"
        ),
        (
            integer("id", "记录编号"),
            text("project_code", "项目公示编号（对企业整体的决定为空）"),
            text("kind", "类型代码"),
            text("event", "事项代码：made 作出、corrected 更正、lifted 解除、revoked 撤销"),
            integer("supersedes", "本记录更正、解除或撤销的记录编号"),
            Column("is_current", "boolean", "没有后续记录更正、解除或撤销本记录"),
            text("subject_credit_code", "对象单位统一社会信用代码"),
            text("subject_name", "对象单位名称"),
            text("regulator_name", "作出部门"),
            date("decided_on", "决定日期"),
            text("reason", "事由"),
            text("credit_incentive", "信用激励措施"),
            integer("inspection_interval_days", "重点监管检查频次（天）"),
            text("decision_number", "决定书文号"),
            text("issuing_authority", "作出机关"),
            text("legal_basis", "法律依据"),
            text("content", "处罚或惩戒内容"),
            number("amount", "罚款金额（元）"),
            date("rectify_by", "整改期限"),
            text("rectification_state", "整改状态：due、overdue、reported、rejected、accepted"),
            integer("leaf_index", "公示日志序号"),
            moment("created_at", "记录时间（UTC）"),
        ),
        record_rows,
        ("id",),
        (
            ("project_code", "projects", "code"),
            ("subject_credit_code", "organisations", "credit_code"),
            ("supersedes", "", "id"),
        ),
    ),
    Resource(
        "rectification_steps",
        _("整改环节"),
        _("处罚和信用记录的整改报告与验收。"),
        (
            integer("id", "环节编号"),
            integer("record_id", "作出该处罚或记录的监管记录编号"),
            text("project_code", "项目公示编号"),
            text("step", "环节代码：reported 报告、accepted 验收通过、rejected 验收不通过"),
            text("text", "说明"),
            text("organisation_credit_code", "报告或验收单位统一社会信用代码"),
            integer("leaf_index", "公示日志序号"),
            moment("created_at", "记录时间（UTC）"),
        ),
        rectification_rows,
        ("id",),
        (
            ("record_id", "regulator_records", "id"),
            ("project_code", "projects", "code"),
            ("organisation_credit_code", "organisations", "credit_code"),
        ),
    ),
    Resource(
        "question_statistics",
        _("咨询投诉统计"),
        _("每个项目的咨询和投诉数量（只有数量，不含内容和提问人信息）。"),
        (
            text("project_code", "项目公示编号"),
            integer("questions", "咨询和投诉数（不含被屏蔽的）"),
            integer("complaints", "其中投诉数"),
            integer("answered", "已答复数"),
            integer("overdue", "逾期未答复数"),
            integer("resolved", "提问人评价已解决数"),
            integer("not_resolved", "提问人评价未解决数"),
            integer("hidden", "被管理员屏蔽数"),
            number("complaints_per_10k_m2", "每万平方米投诉数"),
        ),
        question_rows,
        ("project_code",),
        (("project_code", "projects", "code"),),
    ),
)
