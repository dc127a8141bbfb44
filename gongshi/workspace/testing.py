"""Catalogue items and access helpers for workspace and workflow tests."""

from __future__ import annotations

from gongshi.catalogue.models import Category, DueStage
from gongshi.catalogue.tests.factories import make_item
from gongshi.core.choices import UnitRole
from gongshi.disclosures.workflow import ProjectAccess

HOUSEHOLD_FIELDS = [
    {"key": "summary", "label": "验收说明", "label_en": "Summary", "type": "textarea"},
    {
        "key": "households",
        "label": "分户验收汇总表",
        "label_en": "Household acceptance",
        "type": "table",
        "required": True,
        "unique": ["building", "unit", "room"],
        "columns": [
            {
                "key": "building",
                "label": "楼栋",
                "label_en": "Building",
                "type": "text",
                "required": True,
            },
            {"key": "unit", "label": "单元", "label_en": "Unit", "type": "text", "required": True},
            {"key": "room", "label": "房号", "label_en": "Room", "type": "text", "required": True},
            {
                "key": "result",
                "label": "验收结论",
                "label_en": "Result",
                "type": "choice",
                "required": True,
                "choices": [
                    {"value": "pass", "label": "合格", "label_en": "Pass"},
                    {"value": "fail", "label": "不合格", "label_en": "Fail"},
                ],
            },
            {
                "key": "date",
                "label": "验收日期",
                "label_en": "Date",
                "type": "date",
                "required": True,
            },
            {"key": "area", "label": "面积", "label_en": "Area", "type": "number", "decimals": 2},
            {
                "key": "rectification",
                "label": "整改情况",
                "label_en": "Rectification",
                "type": "text",
            },
        ],
    },
]

WARRANTY_FIELDS = [
    {"key": "department", "label": "保修部门", "type": "text", "required": True},
    {"key": "hotline", "label": "保修电话", "type": "text", "required": True, "public_phone": True},
    {"key": "note", "label": "说明", "type": "textarea"},
]


def household_item(**fields):
    defaults = {
        "code": "test.households",
        "title": "分户验收汇总表",
        "title_en": "Household acceptance summary",
        "category": Category.ACCEPTANCE,
        "due_stage": DueStage.CONSTRUCTION,
        "supplier": UnitRole.CONTRACTOR,
        "fields": HOUSEHOLD_FIELDS,
    }
    defaults.update(fields)
    return make_item(**defaults)


def household_rows(n: int, start: int = 1) -> list[dict]:
    rows = []
    for i in range(start, start + n):
        rows.append(
            {
                "building": f"{(i - 1) // 200 + 1}号楼",
                "unit": f"{(i - 1) // 50 % 4 + 1}单元",
                "room": f"{(i - 1) % 50 // 2 + 1:02d}{(i - 1) % 2 + 1:02d}",
                "result": "pass" if i % 17 else "fail",
                "date": "2025-06-18",
                "area": f"{80 + i % 40}.5",
                "rectification": "" if i % 17 else "墙面空鼓，已整改",
            }
        )
    return rows


def access(world, role: str, project=None) -> ProjectAccess:
    """The ProjectAccess of a persona on the world's project (or another one)."""
    return ProjectAccess.for_user(project or world.project, world.users[role])
