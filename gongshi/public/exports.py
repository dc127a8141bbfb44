"""Open data exports: the project list and one project's disclosures, as CSV and Excel.

The project list is written in batches (each batch's checklists in a constant number of
queries), so exporting 10,000 projects streams instead of holding them all in memory.
One project's disclosures are written in long form — one line per field value, one line
per table cell — so every value of every version is there, machine-readable.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from gongshi.catalogue.fields import label_of
from gongshi.disclosures.checklist import checklists_for
from gongshi.disclosures.models import DisclosureVersion, VersionStatus
from gongshi.public.display import display_value
from gongshi.public.status import completeness_percent, group_status

BATCH = 500


def project_header() -> list[str]:
    return [
        _("公示编号"), _("项目名称"), _("城市"), _("区县"), _("地址"), _("建设单位"),
        _("统一社会信用代码"), _("住房类型"), _("交付标准"), _("项目阶段"), _("总建筑面积（平方米）"),
        _("户数"), _("完整度（%）"), _("状态"), _("应公示项数"), _("已公示项数"), _("网址"),
    ]  # fmt: skip


def project_rows(queryset) -> Iterator[list]:
    projects = list(queryset)
    for start in range(0, len(projects), BATCH):
        batch = projects[start : start + BATCH]
        checklists = checklists_for(batch)
        for project in batch:
            checklist = checklists[project.pk]
            county = project.region.level == "county"
            yield [
                project.code,
                project.name,
                project.region.parent.name
                if county and project.region.parent_id
                else project.region.name,
                project.region.name if county else "",
                project.address,
                project.developer.name,
                project.developer.credit_code,
                project.get_housing_type_display(),
                project.get_delivery_standard_display(),
                project.get_stage_display(),
                str(project.floor_area),
                project.household_count,
                completeness_percent(checklist),
                group_status(checklist.entries).word,
                checklist.required_due,
                checklist.required_published,
                f"{settings.SITE_URL}/p/{project.code}/",
            ]


def disclosure_header() -> list[str]:
    return [
        _("类别"), _("事项编码"), _("事项名称"), _("版本"), _("类型"), _("公示时间"), _("信息形成日期"),
        _("原因"), _("日志序号"), _("字段"), _("行号"), _("列"), _("内容"),
        # Appended, so the columns scripts already read keep their places.
        _("第几份"), _("份名称"), _("涵盖楼栋"),
    ]  # fmt: skip


def disclosure_rows(project) -> Iterator[list]:
    """Every value of every published version of every instance of the project's items: two
    queries (the versions, the buildings their instances cover)."""
    versions = (
        DisclosureVersion.objects.filter(
            disclosure__project=project, status=VersionStatus.PUBLISHED
        )
        .select_related("disclosure__item")
        .prefetch_related("disclosure__buildings")
        .order_by(
            "disclosure__item__category",
            "disclosure__item__sort_order",
            "disclosure__item__code",
            "disclosure__instance",
            "number",
        )
    )
    for version in versions:
        disclosure = version.disclosure
        item = disclosure.item
        which = [
            disclosure.instance,
            disclosure.instance_title if item.repeatable else disclosure.label,
            "、".join(disclosure.building_names()),
        ]
        head = [
            item.get_category_display(),
            item.code,
            item.title,
            version.number,
            version.get_kind_display(),
            timezone.localtime(version.published_at).strftime("%Y-%m-%d %H:%M"),
            version.information_date.isoformat() if version.information_date else "",
            version.reason,
            "" if version.leaf_index is None else version.leaf_index,
        ]
        values = version.values or {}
        if not values:
            yield [*head, "", "", "", "", *which]
        for definition in item.fields:
            value = values.get(definition["key"])
            if definition["type"] != "table":
                yield [
                    *head, label_of(definition), "", "", display_value(definition, value), *which,
                ]  # fmt: skip
                continue
            for number, row in enumerate(value or [], start=1):
                for column in definition["columns"]:
                    yield [
                        *head,
                        label_of(definition),
                        number,
                        label_of(column),
                        display_value(column, row.get(column["key"])),
                        *which,
                    ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """CSV lines with a byte-order mark, so Excel opens the Chinese text correctly."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def xlsx_bytes(title: str, header: list[str], rows: Iterable[list]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
