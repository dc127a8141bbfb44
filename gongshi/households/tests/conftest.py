"""An estate for the archive's tests: the world's project with one building of flats, one
flat with an owner and measured data (one value outside its tolerance), and the project's
household acceptance table, warranty contacts and fit-out materials published."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from gongshi.households import archive as archive_rules
from gongshi.households.flats import generate_flats
from gongshi.households.models import FlatArchive, MeasurementKind
from gongshi.projects.models import Building

OWNER_PHONE = "13912345678"
OWNER_NAME = "赵业主"
CONTRACT = "HT-2026-0815"


def accepted_on() -> dt.date:
    """The day the flats passed household acceptance: six weeks before the (frozen) today."""
    return timezone.localdate() - dt.timedelta(days=44)


@dataclass
class Estate:
    building: Building
    archive: FlatArchive  # 1号楼 1单元 301, with owner and measurements

    @property
    def flat_url(self) -> str:
        return f"/p/{self.archive.project.code}/h/{self.archive.code}/"


def publish_builtin(world, code: str, values: dict, *, with_file: bool = False):
    from gongshi.catalogue.models import CatalogueItem
    from gongshi.catalogue.tests.factories import make_version
    from gongshi.disclosures.attachments import attach
    from gongshi.disclosures.services import publish_version
    from gongshi.files.ingest import ingest_upload
    from gongshi.files.testing import make_pdf_bytes

    item = CatalogueItem.objects.get(code=code, region__isnull=True)
    version = make_version(
        world.project,
        item,
        world.users["developer"],
        values=values,
        information_date=timezone.localdate() - dt.timedelta(days=1),
    )
    if with_file or item.scan_required:
        stored = ingest_upload(io.BytesIO(make_pdf_bytes([item.title])))
        attach(version, stored, f"{item.title}.pdf")
    return publish_version(version, world.users["developer"])


def publish_households(world, rows: list[dict]):
    return publish_builtin(
        world,
        "acceptance.household_summary",
        {"household_total": len(rows), "households": rows},
    )


def publish_warranty(world):
    return publish_builtin(
        world,
        "warranty.service",
        {
            "department": "客户服务中心维修部",
            "contact_person": "孙经理",
            "telephone": "0451-87654321",
            "complaint_channel": "哈尔滨市南岗区测试路1号售楼处一楼客服台",
        },
    )


def publish_fitout(world):
    product = {"specification": "标准"}
    return publish_builtin(
        world,
        "materials.fitout",
        {
            "products": [
                {**product, "name": "整体橱柜", "brand": "欧派", "model": "OP-K2026",
                 "grade": "E0级", "origin": "广东广州", "location": "厨房"},
                {**product, "name": "燃气灶", "brand": "方太", "model": "JZT-TH29B",
                 "grade": "一级能效", "origin": "浙江宁波", "location": "厨房"},
                {**product, "name": "实木复合地板", "brand": "大自然", "model": "DZR-1215",
                 "grade": "E1级", "origin": "广东佛山", "location": "客厅、卧室"},
                {**product, "name": "坐便器", "brand": "TOTO", "model": "CW886",
                 "grade": "一级水效", "origin": "辽宁大连", "location": "卫生间"},
            ]
        },
    )  # fmt: skip


def measure(archive: FlatArchive) -> None:
    today = timezone.localdate()
    rows = [
        (MeasurementKind.NET_HEIGHT, "客厅", "2800", "2792", None),
        (MeasurementKind.BAY, "主卧", "3600", "3591", None),
        (MeasurementKind.FLOOR_FLATNESS, "客厅", None, "3", None),
        (MeasurementKind.WALL_VERTICALITY, "主卧北墙", None, "6", None),  # outside ±4
        (MeasurementKind.WINDOW_SIZE, "客厅南窗", "1800", "1804", "10"),
    ]
    for kind, room, design, measured, allowed in rows:
        archive_rules.add_measurement(
            archive,
            kind=kind,
            room=room,
            design_value=Decimal(design) if design else None,
            measured_value=Decimal(measured),
            allowed_deviation=Decimal(allowed) if allowed else None,
            measured_on=today,
        )


@pytest.fixture
def estate(world) -> Estate:
    building = Building.objects.create(
        project=world.project, name="1号楼", units=2, floors_above=6, household_count=24
    )
    generate_flats(building, floors_from=1, floors_to=6, per_floor=2)
    archive = FlatArchive.objects.select_related("flat__building", "project").get(
        flat__building=building, flat__unit="1", flat__number="301"
    )
    archive_rules.set_owner(
        archive, owner_name=OWNER_NAME, owner_phone=OWNER_PHONE, contract_number=CONTRACT
    )
    measure(archive)
    return Estate(building=building, archive=archive)


def household_rows(building: str = "1号楼") -> list[dict]:
    on = accepted_on().isoformat()
    rows = []
    for unit in ("1", "2"):
        for floor in range(1, 7):
            for position in (1, 2):
                rows.append(
                    {
                        "building": building,
                        "unit": unit,
                        "room": f"{floor}{position:02d}",
                        "result": "pass",
                        "acceptance_date": on,
                        "rectification": None,
                    }
                )
    return rows
