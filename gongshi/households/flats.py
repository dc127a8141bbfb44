"""Listing a building's flats: generated from units × floors × flats per floor, or imported
from Excel (all rows or none, errors by the sheet's row number). Every flat gets its archive,
and with it the short code printed on its sheet.
"""

from __future__ import annotations

from typing import IO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gongshi.catalogue.fields import FieldError, FieldValidationError
from gongshi.households.models import FlatArchive, new_flat_code
from gongshi.projects.models import Building, Flat, Project
from gongshi.workspace import excel

MAX_FLATS_PER_BUILDING = 2000

# The import sheet, described as a catalogue table so the workspace's Excel reader checks it.
FLAT_SHEET = {
    "key": "flats",
    "label": "房屋清单",
    "label_en": "Flats",
    "type": "table",
    "columns": [
        {"key": "building", "label": "楼栋", "label_en": "Building", "type": "text",
         "required": True, "max_length": 30},
        {"key": "unit", "label": "单元", "label_en": "Unit", "type": "text",
         "required": True, "max_length": 10},
        {"key": "floor", "label": "楼层", "label_en": "Floor", "type": "number",
         "required": True, "decimals": 0, "min": -5, "max": 200},
        {"key": "number", "label": "房号", "label_en": "Flat number", "type": "text",
         "required": True, "max_length": 20},
        {"key": "area", "label": "建筑面积（平方米）", "label_en": "Floor area (m²)",
         "type": "number", "required": False, "decimals": 2, "min": 1, "max": 10000},
    ],
}  # fmt: skip


def flat_number(floor: int, position: int) -> str:
    """Room numbers as Chinese buildings write them: floor, then two digits (1201, 502)."""
    return f"{floor}{position:02d}"


def _unique_codes(project: Project, count: int) -> list[str]:
    taken = set(FlatArchive.objects.filter(project=project).values_list("code", flat=True))
    codes: list[str] = []
    while len(codes) < count:
        code = new_flat_code()
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return codes


def create_archives(project: Project, flats: list[Flat]) -> list[FlatArchive]:
    archives = [
        FlatArchive(flat=flat, project=project, code=code)
        for flat, code in zip(flats, _unique_codes(project, len(flats)), strict=True)
    ]
    return FlatArchive.objects.bulk_create(archives)


def _existing(building: Building) -> set[tuple[str, str]]:
    return set(building.flats.values_list("unit", "number"))


@transaction.atomic
def generate_flats(
    building: Building, *, floors_from: int, floors_to: int, per_floor: int
) -> list[Flat]:
    """Flats for every unit of ``building``, floors ``floors_from``–``floors_to``.

    Flats already listed (same unit and number) are kept as they are; the rest are added.
    """
    errors = {}
    if floors_from < 1 or floors_to > building.floors_above:
        errors["floors_to"] = _("楼层须在 1 至 %(n)d 层之间（该楼栋地上层数）。") % {
            "n": building.floors_above
        }
    elif floors_from > floors_to:
        errors["floors_from"] = _("起始楼层不能高于结束楼层。")
    if not 1 <= per_floor <= 20:
        errors["per_floor"] = _("每层户数须在 1 至 20 之间。")
    if errors:
        raise ValidationError(errors, code="invalid")
    total = building.units * (floors_to - floors_from + 1) * per_floor
    if total > MAX_FLATS_PER_BUILDING:
        raise ValidationError(
            {"per_floor": _("一次最多生成 %(n)d 户。") % {"n": MAX_FLATS_PER_BUILDING}},
            code="too_many",
        )
    existing = _existing(building)
    flats = [
        Flat(building=building, unit=str(unit), floor=floor, number=flat_number(floor, position))
        for unit in range(1, building.units + 1)
        for floor in range(floors_from, floors_to + 1)
        for position in range(1, per_floor + 1)
        if (str(unit), flat_number(floor, position)) not in existing
    ]
    created = Flat.objects.bulk_create(flats)  # SQLite and PostgreSQL return the keys
    create_archives(building.project, created)
    return created


def import_template() -> bytes:
    return excel.template(FLAT_SHEET)


def import_flats(project: Project, upload: IO[bytes]) -> list[Flat]:
    """The flats of an Excel sheet (楼栋、单元、楼层、房号、建筑面积), all or nothing.

    Every problem is reported with its sheet row ("第 7 行：楼栋“9号楼”不存在"); a flat that is
    already listed is an error too, so importing the same sheet twice adds nothing.
    """
    rows = excel.read_rows(FLAT_SHEET, upload)
    if not rows:
        raise ValidationError(_("表格中没有房屋，请从第 2 行起每行填写一户。"), code="empty")
    buildings = {b.name: b for b in project.buildings.all()}
    existing = set(
        Flat.objects.filter(building__project=project).values_list(
            "building__name", "unit", "number"
        )
    )
    errors: list[FieldError] = []
    flats: list[Flat] = []
    seen: dict[tuple, int] = {}
    for sheet_row, row in enumerate(rows, start=excel.FIRST_DATA_ROW):
        identity = (row["building"], row["unit"], row["number"])
        if identity in seen:
            errors.append(
                FieldError(
                    "flats",
                    _("第 %(row)d 行：楼栋、单元、房号与第 %(first)d 行重复")
                    % {"row": sheet_row, "first": seen[identity]},
                    sheet_row,
                )
            )
            continue
        seen[identity] = sheet_row
        building = buildings.get(row["building"])
        if building is None:
            errors.append(
                FieldError(
                    "flats",
                    _(
                        "第 %(row)d 行：楼栋“%(name)s”不存在，请先在楼栋清单中登记，或改为：%(names)s"
                    )
                    % {
                        "row": sheet_row,
                        "name": row["building"],
                        "names": "、".join(buildings) or _("（尚无楼栋）"),
                    },
                    sheet_row,
                    "building",
                )
            )
            continue
        floor = int(row["floor"])
        if floor == 0 or floor > building.floors_above or floor < -building.floors_below:
            errors.append(
                FieldError(
                    "flats",
                    _("第 %(row)d 行：楼层 %(floor)d 超出%(building)s的层数（地上 %(n)d 层）")
                    % {
                        "row": sheet_row,
                        "floor": floor,
                        "building": building.name,
                        "n": building.floors_above,
                    },
                    sheet_row,
                    "floor",
                )
            )
            continue
        if (building.name, row["unit"], row["number"]) in existing:
            errors.append(
                FieldError(
                    "flats",
                    _("第 %(row)d 行：%(building)s %(unit)s单元 %(number)s 已在房屋清单中")
                    % {
                        "row": sheet_row,
                        "building": building.name,
                        "unit": row["unit"],
                        "number": row["number"],
                    },
                    sheet_row,
                    "number",
                )
            )
            continue
        flats.append(
            Flat(
                building=building,
                unit=row["unit"],
                floor=floor,
                number=row["number"],
                area=row["area"],
            )
        )
    if errors:
        raise FieldValidationError(errors)
    try:
        with transaction.atomic():
            created = Flat.objects.bulk_create(flats)
            create_archives(project, created)
    except IntegrityError as exc:  # another import in between: report, write nothing
        raise ValidationError(
            _("导入时房屋清单已被修改，请刷新页面后重新导入。"), code="conflict"
        ) from exc
    return created
