"""The household archive in the demo (一户一档): 松北·悦澜湾二期's first building with its 72
flats, measured data for the flats of its twelfth floor (one wall out of plumb beyond its
tolerance), photos, a published archive, an owner's pre-handover inspection with one problem
answered and accepted and one still waiting, and the sample flat's room labels.

Made through the domain functions at past moments relative to ``today``. The project's
buildings are reused when present (``gongshi/demo/buildings.py`` declares them); otherwise
this module declares the one it needs. Idempotent: nothing is done if the project's flats
already have archives. Demo content is data, so it is not translated.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from PIL import Image, ImageDraw

from gongshi.accounts.models import User
from gongshi.households import archive as archive_rules
from gongshi.households import owners, samples
from gongshi.households.flats import generate_flats
from gongshi.households.models import FlatArchive, MeasurementKind
from gongshi.organisations.models import Membership
from gongshi.projects.models import Building, Project

PROJECT = "YRW2QA"  # 松北·悦澜湾二期: six buildings, fitted delivery
TZ = ZoneInfo("Asia/Shanghai")

# (kind, room, design, measured, allowed or None for the usual value)
MEASURED = [
    (MeasurementKind.NET_HEIGHT, "客厅", "2900", "2893", None),
    (MeasurementKind.NET_HEIGHT, "主卧", "2900", "2896", None),
    (MeasurementKind.BAY, "客厅", "3900", "3892", None),
    (MeasurementKind.DEPTH, "客厅", "5400", "5409", None),
    (MeasurementKind.BAY, "主卧", "3600", "3594", None),
    (MeasurementKind.FLOOR_FLATNESS, "客厅", None, "3", None),
    (MeasurementKind.WALL_VERTICALITY, "主卧北墙", None, "3", None),
    (MeasurementKind.WINDOW_SIZE, "客厅南窗", "2100", "2104", None),
    (MeasurementKind.DOOR_SIZE, "入户门", "1000", "997", None),
]


def _at(today: dt.date, days_ago: int, hour: int) -> dt.datetime:
    return dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(hour), tzinfo=TZ)


def _photo(caption: str, shade: int) -> io.BytesIO:
    image = Image.new("RGB", (480, 320), (shade, shade - 20, shade - 40))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 440, 280), outline=(60, 60, 60), width=6)
    draw.line((40, 280, 440, 40), fill=(90, 90, 90), width=3)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    out.seek(0)
    out.name = f"{caption}.jpg"
    return out


def _building(project: Project) -> Building:
    existing = project.buildings.filter(name="1号楼").first()
    if existing is not None:
        return existing
    return Building.objects.create(
        project=project, name="1号楼", position=1, units=2, floors_above=18, household_count=72
    )


def seed_households(today: dt.date) -> int:
    """Archives for the demo project's first building; returns how many were created."""
    project = Project.objects.filter(code=PROJECT).first()
    if project is None or FlatArchive.objects.filter(project=project).exists():
        return 0
    developer = (
        User.objects.filter(
            pk__in=Membership.objects.filter(organisation=project.developer).values("user")
        )
        .order_by("pk")
        .first()
    )
    with transaction.atomic():
        building = _building(project)
        floors = min(building.floors_above, 18)
        created = generate_flats(building, floors_from=1, floors_to=floors, per_floor=2)
        archives = {
            (a.flat.unit, a.flat.number): a
            for a in FlatArchive.objects.filter(flat__building=building).select_related("flat")
        }
        measured_on = today - dt.timedelta(days=20)
        twelfth = [archives[(unit, f"12{n:02d}")] for unit in ("1", "2") for n in (1, 2)]
        for index, archive in enumerate(twelfth):
            for kind, room, design, measured, allowed in MEASURED:
                value = Decimal(measured)
                if index == 1 and kind == MeasurementKind.WALL_VERTICALITY:
                    value = Decimal("6")  # 1单元 1202: out of plumb, beyond ±4 mm
                archive_rules.add_measurement(
                    archive,
                    kind=kind,
                    room=room,
                    design_value=Decimal(design) if design else None,
                    measured_value=value,
                    allowed_deviation=Decimal(allowed) if allowed else None,
                    measured_on=measured_on,
                )
            archive_rules.add_photo(archive, _photo("客厅", 200 + index * 10), "客厅及南窗")
            archive_rules.publish(archive, True, now=_at(today, 18, 10))

        # The owner of 1单元 1201 inspects before handover: one problem fixed and accepted,
        # one answered and waiting for the owner's decision.
        archive = archives[("1", "1201")]
        archive_rules.set_owner(
            archive, owner_name="刘晓梅", owner_phone="13904511201", contract_number="YLW2-1-1201"
        )
        crack = owners.record_problem(
            archive,
            location="主卧窗台",
            description="窗台石材靠墙一侧有一条约 20 cm 的裂缝。",
            photo=_photo("窗台", 180),
            now=_at(today, 10, 15),
        )
        owners.answer_problem(
            crack,
            developer,
            answer="更换整块窗台石材，并检查窗框与墙体间的打胶。",
            fix_by=today - dt.timedelta(days=4),
            now=_at(today, 9, 11),
        )
        owners.owner_decides(crack, True, now=_at(today, 3, 16))
        drain = owners.record_problem(
            archive,
            location="卫生间地漏",
            description="淋浴区放水后地漏周边积水，约 10 分钟才排净。",
            now=_at(today, 10, 15),
        )
        owners.answer_problem(
            drain,
            developer,
            answer="淋浴区地面重新找坡，更换防臭地漏芯。",
            fix_by=today + dt.timedelta(days=5),
            now=_at(today, 8, 14),
        )

        sample = samples.create_sample(
            project, name="A户型样板间", layout="三室两厅一卫 约 118 平方米", rooms=[]
        )
        for name, locations in [
            ("客厅", "客厅"),
            ("餐厅", "客厅"),
            ("主卧", "卧室"),
            ("次卧", "卧室"),
            ("厨房", "厨房"),
            ("卫生间", "卫生间"),
        ]:
            samples.add_room(sample, name=name, locations=locations)
    return len(created)
