"""The bulk open-data package: every public table as CSV plus a Frictionless ``datapackage.json``.

``gongshi export_open_data`` (daily timer) calls :func:`build`. It streams each table's rows
from the database (``.iterator()``, nothing held in memory but one chunk) into a zip written
to a temporary file, with ``datapackage.json`` (profile ``tabular-data-package``: each
resource's path, format, encoding, bytes, SHA-256 and Table Schema with primary and foreign
keys) written last. The zip is stored through Django's storage API under its SHA-256
(``open-data/<sha256>.zip``); a small ``open-data/current.json`` names the current one and
carries what the page and the API show (date, size, hash, row counts, the descriptor), so
reading it costs no database query. The previous zip is removed once the new one is current.

Only what the public already sees goes in: published disclosure versions (never drafts,
submissions or returned versions), the regulators' public records and rectification steps,
question *counts* (never a question's text, an asker's contact or an owner's data), and the
public fields of organisations (name, credit code, type, region — not phone or address).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import itertools
import json
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

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

DIRECTORY = "open-data"
CURRENT = f"{DIRECTORY}/current.json"
PACKAGE_NAME = "gongshi-open-data"
CHUNK = 500
CACHE_KEY = "opendata:current"
CACHE_SECONDS = 300
LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}


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


# -- cells -------------------------------------------------------------------------------


def cell(value) -> str | int:
    """One value as the Table Schema's default format reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return value


def _site(path: str) -> str:
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
            _site(reverse("supervision:enterprise", args=[org.credit_code])),
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
            _site(reverse("public:project", args=[project.code])),
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
            _site(reverse("public:building", args=[code, building.pk])),
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
            _site(page),
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
            record.project.code,
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


def S(name: str, description: str) -> Column:  # noqa: N802 - reads as a table
    return Column(name, "string", description)


def I(name: str, description: str) -> Column:  # noqa: N802, E743
    return Column(name, "integer", description)


def N(name: str, description: str) -> Column:  # noqa: N802
    return Column(name, "number", description)


def D(name: str, description: str) -> Column:  # noqa: N802
    return Column(name, "date", description)


def T(name: str, description: str) -> Column:  # noqa: N802
    return Column(name, "datetime", description)


RESOURCES: tuple[Resource, ...] = (
    Resource(
        "organisations",
        _("单位"),
        _("建设单位、参建单位和住房城乡建设主管部门的公开信息（不含电话、地址）。"),
        (
            S("credit_code", "统一社会信用代码（GB 32100）"),
            S("name", "名称"),
            S("kind", "类型代码：developer 建设单位、regulator 主管部门，其余为参建单位类型"),
            S("kind_label", "类型"),
            S("region_code", "所在地区行政区划代码（GB/T 2260）"),
            S("region_name", "所在地区"),
            S("page_url", "单位公开页面"),
        ),
        organisation_rows,
        ("credit_code",),
    ),
    Resource(
        "projects",
        _("项目"),
        _("每个住宅工程项目：地区、建设单位、阶段日期、完整度和公示评分。"),
        (
            S("code", "公示编号"),
            S("name", "项目名称"),
            S("address", "项目地址"),
            S("region_code", "所在区县或城市的行政区划代码"),
            S("city", "城市"),
            S("district", "区县"),
            S("developer_credit_code", "建设单位统一社会信用代码"),
            S("developer_name", "建设单位名称"),
            S("housing_type", "住房类型代码"),
            S("delivery_standard", "交付标准代码"),
            S("stage", "项目阶段代码"),
            N("floor_area", "总建筑面积（平方米）"),
            I("building_count", "楼栋数"),
            I("household_count", "户数"),
            D("started_on", "开工日期"),
            D("completion_accepted_on", "竣工验收合格日期"),
            D("handed_over_on", "交付日期"),
            T("last_published_at", "最近公示时间（UTC）"),
            N("completeness", "完整性：已到期的必填事项中已公示的比例（0–1）"),
            N("score", "公示评分（0–100，公式见 /score/）"),
            S("page_url", "项目公示页面"),
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
            I("id", "楼栋编号"),
            S("project_code", "项目公示编号"),
            S("name", "楼栋名称"),
            I("position", "排序"),
            I("units", "单元数"),
            I("floors_above", "地上层数"),
            I("floors_below", "地下层数"),
            N("floor_area", "建筑面积（平方米）"),
            I("household_count", "户数"),
            S("page_url", "楼栋公示页面"),
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
            I("id", "版本编号"),
            S("project_code", "项目公示编号"),
            S("item_code", "公示事项编码"),
            S("item_title", "公示事项名称"),
            S("category", "类别代码"),
            I("instance", "第几份"),
            S("instance_label", "份名称"),
            S("buildings", "涵盖楼栋（以“、”分隔）"),
            I("version", "版本号"),
            S("kind", "类型代码：publication 首次公示、correction 更正、withdrawal 撤回等"),
            D("information_date", "信息形成日期"),
            T("published_at", "公示时间（UTC）"),
            I("timeliness_days", "信息形成后第几天公示"),
            S("reason", "更正或撤回原因"),
            S("supplied_by_credit_code", "提供信息单位的统一社会信用代码"),
            Column("values", "object", "字段内容（JSON，键为目录中的字段代码）"),
            I("leaf_index", "公示日志序号（可在 /log/ 核验）"),
            S("page_url", "公示事项页面"),
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
            I("id", "记录编号"),
            S("project_code", "项目公示编号"),
            S("kind", "类型代码"),
            S("event", "事项代码：made 作出、corrected 更正、lifted 解除、revoked 撤销"),
            I("supersedes", "本记录更正、解除或撤销的记录编号"),
            Column("is_current", "boolean", "没有后续记录更正、解除或撤销本记录"),
            S("subject_credit_code", "对象单位统一社会信用代码"),
            S("subject_name", "对象单位名称"),
            S("regulator_name", "作出部门"),
            D("decided_on", "决定日期"),
            S("reason", "事由"),
            S("credit_incentive", "信用激励措施"),
            I("inspection_interval_days", "重点监管检查频次（天）"),
            S("decision_number", "决定书文号"),
            S("issuing_authority", "作出机关"),
            S("legal_basis", "法律依据"),
            S("content", "处罚或惩戒内容"),
            N("amount", "罚款金额（元）"),
            D("rectify_by", "整改期限"),
            S("rectification_state", "整改状态：due、overdue、reported、rejected、accepted"),
            I("leaf_index", "公示日志序号"),
            T("created_at", "记录时间（UTC）"),
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
            I("id", "环节编号"),
            I("record_id", "作出该处罚或记录的监管记录编号"),
            S("project_code", "项目公示编号"),
            S("step", "环节代码：reported 报告、accepted 验收通过、rejected 验收不通过"),
            S("text", "说明"),
            S("organisation_credit_code", "报告或验收单位统一社会信用代码"),
            I("leaf_index", "公示日志序号"),
            T("created_at", "记录时间（UTC）"),
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
            S("project_code", "项目公示编号"),
            I("questions", "咨询和投诉数（不含被屏蔽的）"),
            I("complaints", "其中投诉数"),
            I("answered", "已答复数"),
            I("overdue", "逾期未答复数"),
            I("resolved", "提问人评价已解决数"),
            I("not_resolved", "提问人评价未解决数"),
            I("hidden", "被管理员屏蔽数"),
            N("complaints_per_10k_m2", "每万平方米投诉数"),
        ),
        question_rows,
        ("project_code",),
        (("project_code", "projects", "code"),),
    ),
)


# -- the package -------------------------------------------------------------------------


class _Line:
    def write(self, value: str) -> str:
        return value


def _write_csv(archive: zipfile.ZipFile, resource: Resource) -> dict:
    writer = csv.writer(_Line(), lineterminator="\r\n")
    digest, size, rows = hashlib.sha256(), 0, 0
    with archive.open(resource.path, "w", force_zip64=True) as entry:
        header = [[c.name for c in resource.columns]]
        for number, row in enumerate(itertools.chain(header, resource.rows())):
            data = writer.writerow([cell(v) for v in row]).encode("utf-8")
            entry.write(data)
            digest.update(data)
            size += len(data)
            rows = number
    return {"bytes": size, "hash": f"sha256:{digest.hexdigest()}", "rows": rows}


def descriptor(created: dt.datetime, written: dict[str, dict]) -> dict:
    """The Frictionless Data Package descriptor (``datapackage.json``)."""
    with override(settings.LANGUAGE_CODE):
        return {
            "profile": "tabular-data-package",
            "name": PACKAGE_NAME,
            "id": _site(reverse("opendata:page")),
            "title": "公示 Gongshi 住宅工程质量信息公示开放数据",
            "description": (
                "住宅工程质量信息公示平台上公众可见的全部数据：项目、楼栋、已公示的公示信息版本、"
                "监管记录和整改、咨询投诉统计、单位。每日生成。"
            ),
            "homepage": _site(reverse("opendata:page")),
            "version": created.strftime("%Y%m%d%H%M%S"),
            "created": cell(created),
            "licenses": [LICENSE],
            "sources": [{"title": "公示 Gongshi", "path": settings.SITE_URL + "/"}],
            "resources": [
                {
                    "name": r.name,
                    "path": r.path,
                    "profile": "tabular-data-resource",
                    "title": str(r.title),
                    "description": str(r.description),
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "bytes": written[r.name]["bytes"],
                    "hash": written[r.name]["hash"],
                    "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
                    "schema": r.schema(),
                }
                for r in RESOURCES
            ],
        }


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """One read-only transaction for every table, so the files agree with each other (a
    version never names a project the projects file lacks). PostgreSQL needs REPEATABLE READ
    for one snapshot across statements; SQLite's read transaction is one already."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def build() -> dict:
    """Write a new package, make it current, remove the previous one; return its metadata."""
    created = timezone.now().replace(microsecond=0)
    previous = read_current(fresh=True)
    with tempfile.TemporaryFile() as handle:
        with (
            zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive,
            _snapshot(),
        ):
            written = {r.name: _write_csv(archive, r) for r in RESOURCES}
            package = descriptor(created, written)
            archive.writestr(
                "datapackage.json", json.dumps(package, ensure_ascii=False, indent=2) + "\n"
            )
        handle.seek(0)
        digest = hashlib.sha256()
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
        size = handle.tell()
        sha256 = digest.hexdigest()
        name = f"{DIRECTORY}/{sha256}.zip"
        handle.seek(0)
        if not default_storage.exists(name):
            name = default_storage.save(name, File(handle, name=f"{sha256}.zip"))
    meta = {
        "name": name,
        "sha256": sha256,
        "size": size,
        "created": package["created"],
        "resources": [
            {"name": r.name, "path": r.path, "rows": written[r.name]["rows"]} for r in RESOURCES
        ],
        "datapackage": package,
    }
    if default_storage.exists(CURRENT):
        default_storage.delete(CURRENT)
    default_storage.save(CURRENT, ContentFile(json.dumps(meta, ensure_ascii=False).encode()))
    cache.set(CACHE_KEY, {"meta": meta}, CACHE_SECONDS)
    if previous and previous["name"] != name and default_storage.exists(previous["name"]):
        default_storage.delete(previous["name"])
    return meta


def read_current(*, fresh: bool = False) -> dict | None:
    """The current package's metadata, or None when none was generated yet.

    No database query; the storage is read at most every :data:`CACHE_SECONDS` per cache
    (``build`` refreshes the shared cache at once; a per-process cache catches up in time).
    """
    if not fresh and (cached := cache.get(CACHE_KEY)) is not None:
        return cached["meta"]
    meta = None
    if default_storage.exists(CURRENT):
        try:
            with default_storage.open(CURRENT, "rb") as handle:
                meta = json.loads(handle.read())
        except (FileNotFoundError, ValueError):
            meta = None
    cache.set(CACHE_KEY, {"meta": meta}, CACHE_SECONDS)
    return meta


def created_at(meta: dict) -> dt.datetime:
    return dt.datetime.strptime(meta["created"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


RESOURCE_TITLES = {r.name: (r.title, r.description) for r in RESOURCES}
