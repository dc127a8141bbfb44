"""Fixtures for the public portal's tests: a controlled catalogue and published disclosures."""

from __future__ import annotations

import pytest

from gongshi.catalogue.models import Category, DueStage
from gongshi.catalogue.tests.factories import make_item, only_items, publish
from gongshi.core.choices import UnitRole

PERMIT_FIELDS = [
    {
        "key": "certificate_number",
        "label": "证书编号",
        "label_en": "Certificate number",
        "type": "text",
        "required": True,
    },
    {"key": "issued_on", "label": "发证日期", "label_en": "Issue date", "type": "date"},
    {"key": "authority", "label": "发证机关", "label_en": "Issuing authority", "type": "text"},
]

RESULT_CHOICES = [
    {"value": "pass", "label": "合格", "label_en": "Pass"},
    {"value": "fail", "label": "不合格", "label_en": "Fail"},
]

HOUSEHOLD_FIELDS = [
    {
        "key": "households",
        "label": "分户验收汇总表",
        "label_en": "Household acceptance summary",
        "type": "table",
        "unique": ["building", "unit", "room"],
        "columns": [
            {
                "key": "building",
                "label": "楼栋",
                "label_en": "Building",
                "type": "text",
                "required": True,
            },
            {"key": "unit", "label": "单元", "label_en": "Unit", "type": "text"},
            {"key": "room", "label": "房号", "label_en": "Room", "type": "text", "required": True},
            {
                "key": "result",
                "label": "验收结论",
                "label_en": "Result",
                "type": "choice",
                "choices": RESULT_CHOICES,
            },
            {"key": "accepted_on", "label": "验收日期", "label_en": "Date", "type": "date"},
            {
                "key": "rectification",
                "label": "整改情况",
                "label_en": "Rectification",
                "type": "text",
            },
        ],
    }
]


def household_rows(
    buildings: int = 1, units: int = 2, floors: int = 3, per_floor: int = 2
) -> list[dict]:
    rows = []
    for b in range(1, buildings + 1):
        for u in range(1, units + 1):
            for f in range(1, floors + 1):
                for r in range(1, per_floor + 1):
                    rows.append(
                        {
                            "building": str(b),
                            "unit": str(u),
                            "room": f"{f}{r:02d}",
                            "result": "pass",
                            "accepted_on": "2025-03-18",
                            "rectification": "",
                        }
                    )
    return rows


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rendered fragments are cached by data fingerprint; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalogue(db):
    """Two procedure permits and the household table; every other item switched off."""
    planning = make_item(
        code="t.planning_permit", title="建设工程规划许可证", title_en="Planning permit",
        category=Category.PROCEDURE, fields=PERMIT_FIELDS,
    )  # fmt: skip
    construction = make_item(
        code="t.construction_permit", title="建筑工程施工许可证", title_en="Construction permit",
        category=Category.PROCEDURE, fields=PERMIT_FIELDS,
    )  # fmt: skip
    households = make_item(
        code="t.household_acceptance", title="分户验收汇总表", title_en="Household acceptance",
        category=Category.ACCEPTANCE, due_stage=DueStage.CONSTRUCTION,
        supplier=UnitRole.CONTRACTOR, fields=HOUSEHOLD_FIELDS,
    )  # fmt: skip
    only_items(planning, construction, households)
    return {"planning": planning, "construction": construction, "households": households}


@pytest.fixture
def presale(catalogue):
    """A repeatable pre-sale permit, one instance per batch of buildings."""
    return make_item(
        code="t.presale_permit", title="商品房预售许可证", title_en="Pre-sale permit",
        category=Category.PROCEDURE, fields=PERMIT_FIELDS, repeatable=True,
        covers_buildings=True,
    )  # fmt: skip


def publish_permit(world, item, number: str = "建字第230103202500001号", **kwargs):
    return publish(
        world.project,
        item,
        world.users["developer"],
        values={
            "certificate_number": number,
            "issued_on": "2025-03-01",
            "authority": "哈尔滨市自然资源和规划局",
        },
        **kwargs,
    )


def publish_households(world, item, rows, **kwargs):
    return publish(
        world.project, item, world.users["developer"], values={"households": rows}, **kwargs
    )


def publish_with_file(
    world,
    item,
    values: dict,
    *,
    name: str = "扫描件.pdf",
    lines=None,
    reason: str = "",
    kind: str = "publication",
):
    """Publish ``values`` with a real PDF attached, through the one publication path."""
    import datetime as dt
    import io

    from django.utils import timezone

    from gongshi.catalogue.tests.factories import make_version
    from gongshi.disclosures.attachments import attach
    from gongshi.disclosures.services import publish_version
    from gongshi.files.ingest import ingest_upload
    from gongshi.files.testing import make_pdf_bytes

    version = make_version(
        world.project, item, world.users["developer"], values=values,
        information_date=timezone.localdate() - dt.timedelta(days=1), reason=reason, kind=kind,
    )  # fmt: skip
    stored = ingest_upload(io.BytesIO(make_pdf_bytes(lines or [item.title, name])))
    attach(version, stored, name)
    return publish_version(version, world.users["developer"])
