"""Declaring a project's buildings (楼栋) once: by form, by API, or from an Excel sheet.

The developer declares each building with its units and floors; repeatable items that the
guidance ties to buildings (pre-sale permits, completion and household acceptances) then
name the buildings each instance covers. An import writes nothing unless every row is sound,
and says what is wrong row by row ("第 3 行：地上层数不能为空").

A building covered by a published instance keeps its name (the name is in the log leaves of
those versions), and a building with flats registered is not removed (their archives hang on
it).
"""

from __future__ import annotations

from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongshi.catalogue.fields import FieldError, FieldValidationError, clean_scalar
from gongshi.disclosures.errors import field_error
from gongshi.disclosures.instances import refresh_planned_items
from gongshi.disclosures.models import Disclosure, VersionStatus
from gongshi.disclosures.workflow import ProjectAccess
from gongshi.integrity.audit import record
from gongshi.projects.models import Building, Project
from gongshi.workspace import excel

MAX_BUILDINGS = 500

#: The sheet of the Excel template and import, as a table field definition (excel.py reads it).
BUILDING_TABLE: dict[str, Any] = {
    "key": "buildings",
    "label": "楼栋",
    "label_en": "Buildings",
    "type": "table",
    "unique": ["name"],
    "columns": [
        {"key": "name", "label": "楼栋号", "label_en": "Building", "type": "text",
         "required": True, "max_length": 30},
        {"key": "units", "label": "单元数", "label_en": "Units", "type": "number",
         "required": True, "min": 1, "max": 99, "decimals": 0},
        {"key": "floors_above", "label": "地上层数", "label_en": "Floors above ground",
         "type": "number", "required": True, "min": 1, "max": 200, "decimals": 0},
        {"key": "floors_below", "label": "地下层数", "label_en": "Floors below ground",
         "type": "number", "required": False, "min": 0, "max": 20, "decimals": 0},
        {"key": "floor_area", "label": "建筑面积（平方米）", "label_en": "Floor area (m²)",
         "type": "number", "required": False, "min": 0, "decimals": 2},
        {"key": "household_count", "label": "户数", "label_en": "Households",
         "type": "number", "required": False, "min": 0, "max": 10000, "decimals": 0},
        {"key": "sales_batch", "label": "销售批次", "label_en": "Sales batch",
         "type": "number", "required": False, "min": 1, "max": 99, "decimals": 0},
    ],
}  # fmt: skip
COLUMNS = {c["key"]: c for c in BUILDING_TABLE["columns"]}


def published_building_ids(project: Project) -> set[int]:
    """Buildings named by a published instance: their names are frozen in the log."""
    return set(
        Disclosure.objects.filter(
            project=project, versions__status=VersionStatus.PUBLISHED
        ).values_list("buildings", flat=True)
    ) - {None}


def clean_building(data: dict) -> dict:
    """One building's values, checked as the form, the API and the import all check them."""
    errors: list[FieldError] = []
    cleaned: dict[str, Any] = {}
    for key, column in COLUMNS.items():
        raw = data.get(key)
        try:
            value = clean_scalar(column, raw)
        except ValueError as exc:
            errors.append(FieldError(key, f"{column['label']}{exc}"))
            continue
        if value is None and column.get("required"):
            errors.append(FieldError(key, _("%(col)s不能为空") % {"col": column["label"]}))
        cleaned[key] = value
    if errors:
        raise FieldValidationError(errors)
    return {
        "name": cleaned["name"],
        "units": int(cleaned["units"]),
        "floors_above": int(cleaned["floors_above"]),
        "floors_below": int(cleaned["floors_below"] or 0),
        "floor_area": Decimal(cleaned["floor_area"]) if cleaned["floor_area"] else None,
        "household_count": (
            int(cleaned["household_count"]) if cleaned["household_count"] is not None else None
        ),
        "sales_batch": (
            int(cleaned["sales_batch"]) if cleaned.get("sales_batch") is not None else None
        ),
    }


def _sync_count(project: Project) -> None:
    """The project's building count follows the buildings declared; so do the required
    numbers of the items counted by the plan (one pre-sale permit per sales batch)."""
    refresh_planned_items(project)
    count = project.buildings.count()
    if count and project.building_count != count:
        project.building_count = count
        project.save(update_fields=["building_count", "updated_at"])


def _apply(project: Project, building: Building | None, values: dict, frozen: set[int]) -> Building:
    if building is not None and building.pk in frozen and values["name"] != building.name:
        raise field_error(
            "name",
            _("“%(name)s”已在公示中引用，楼栋号不能修改（已记入公示日志）。")
            % {"name": building.name},
            "building_published",
        )
    if building is None:
        building = Building(project=project, position=project.buildings.count() + 1)
    for key, value in values.items():
        setattr(building, key, value)
    building.save()
    return building


@transaction.atomic
def save_building(access: ProjectAccess, data: dict, building: Building | None = None) -> Building:
    """Add a building, or change one (``building``); the developer only."""
    access.require_developer()
    project = access.project
    values = clean_building(data)
    clash = project.buildings.filter(name=values["name"])
    if building is not None:
        clash = clash.exclude(pk=building.pk)
    if clash.exists():
        raise field_error(
            "name", _("本项目已有楼栋“%(name)s”，请换一个楼栋号。") % values, "unique"
        )
    if building is None and project.buildings.count() >= MAX_BUILDINGS:
        raise ValidationError(
            _("一个项目最多登记 %(n)d 栋楼。") % {"n": MAX_BUILDINGS}, code="too_many_buildings"
        )
    saved = _apply(project, building, values, published_building_ids(project))
    _sync_count(project)
    record(access.user, "project.building_saved", saved, project=project.code, name=saved.name)
    return saved


@transaction.atomic
def remove_building(access: ProjectAccess, building: Building) -> None:
    access.require_developer()
    if building.pk in published_building_ids(access.project):
        raise ValidationError(
            _("“%(name)s”已在公示中引用，不能删除。") % {"name": building.name},
            code="building_published",
        )
    if building.flats.exists():
        raise ValidationError(
            _("“%(name)s”已登记房屋，不能删除；请先删除其房屋。") % {"name": building.name},
            code="building_has_flats",
        )
    record(
        access.user, "project.building_removed", building, project=access.project.code,
        name=building.name,
    )  # fmt: skip
    building.delete()
    _sync_count(access.project)


def template() -> bytes:
    """The empty Excel sheet to fill in (headers, formats)."""
    return excel.template(BUILDING_TABLE)


def export(project: Project) -> bytes:
    rows = [
        {
            "name": b.name,
            "units": str(b.units),
            "floors_above": str(b.floors_above),
            "floors_below": str(b.floors_below),
            "floor_area": str(b.floor_area) if b.floor_area is not None else None,
            "household_count": str(b.household_count) if b.household_count is not None else None,
            "sales_batch": str(b.sales_batch) if b.sales_batch is not None else None,
        }
        for b in project.buildings.all()
    ]
    return excel.export(BUILDING_TABLE, rows)


@transaction.atomic
def import_buildings(access: ProjectAccess, upload: IO[bytes]) -> tuple[int, int]:
    """Declare the buildings of a sheet: new names added, known ones updated; all or nothing.

    Returns (added, updated). Raises FieldValidationError with every bad row's number.
    """
    access.require_developer()
    project = access.project
    rows = excel.read_rows(BUILDING_TABLE, upload)  # row-numbered errors, nothing returned
    if not rows:
        raise ValidationError(_("表格中没有楼栋，请在模板第 2 行起填写。"), code="excel_empty")
    existing = {b.name: b for b in project.buildings.all()}
    if len({*existing, *(r["name"] for r in rows)}) > MAX_BUILDINGS:
        raise ValidationError(
            _("一个项目最多登记 %(n)d 栋楼。") % {"n": MAX_BUILDINGS}, code="too_many_buildings"
        )
    frozen = published_building_ids(project)
    added = updated = 0
    for row in rows:
        values = clean_building(row)  # already checked by read_rows; converts the types
        building = existing.get(values["name"])
        _apply(project, building, values, frozen)
        if building is None:
            added += 1
        else:
            updated += 1
    _sync_count(project)
    record(
        access.user, "project.buildings_imported", project, project=project.code,
        added=added, updated=updated,
    )  # fmt: skip
    return added, updated
