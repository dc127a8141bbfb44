"""The built-in disclosure catalogue (公示事项目录): every item of guidance §4, plus items
other provinces' pilots disclose, offered as optional.

Plain data, loaded by :func:`gongshi.catalogue.builtin.ensure_builtin_catalogue` after every
migrate. Codes are stable identifiers (they appear in the API and in printed QR links): never
rename one; retire an item by setting ``"active": False``.

Field definitions follow :mod:`gongshi.catalogue.fields`; the helpers in ``helpers.py`` only save
repeating the same keys.
"""

from __future__ import annotations

from gongshi.catalogue.data.builtin.acceptance import ACCEPTANCE
from gongshi.catalogue.data.builtin.helpers import STRUCTURE_TYPES
from gongshi.catalogue.data.builtin.materials import MATERIALS
from gongshi.catalogue.data.builtin.pilots import PILOTS
from gongshi.catalogue.data.builtin.procedure_parties import PARTIES, PROCEDURE
from gongshi.catalogue.data.builtin.warranty_other import OTHER, WARRANTY

__all__ = ["BUILTIN_ITEMS", "COVERS_BUILDINGS", "REPEATABLE", "STRUCTURE_TYPES"]

#: Items a project discloses several times (guidance §4: permits and their changes, each sales
#: batch's pre-sale permit, each building's acceptances, each fit-out material batch).
REPEATABLE = {
    "procedure.planning_permit",
    "procedure.construction_permit",
    "procedure.presale_permit",
    "materials.fitout",
    "acceptance.foundation",
    "acceptance.main_structure",
    "acceptance.roof",
    "acceptance.household_summary",
    "acceptance.indoor_environment",
    "acceptance.unit_completion",
}
#: Of those, the items the guidance ties to buildings: each instance names the buildings it covers.
COVERS_BUILDINGS = {
    "procedure.presale_permit",
    "acceptance.foundation",
    "acceptance.main_structure",
    "acceptance.roof",
    "acceptance.household_summary",
    "acceptance.indoor_environment",
    "acceptance.unit_completion",
}

BUILTIN_ITEMS: list[dict] = []
for _order, _item in enumerate(PROCEDURE + PARTIES + MATERIALS + ACCEPTANCE + WARRANTY + OTHER +
                               PILOTS, start=1):  # fmt: skip
    BUILTIN_ITEMS.append(
        {
            "requirement": "required",
            "applies_to": "both",
            "scan_required": False,
            "scans": [],
            "scan_required_when": {},
            "description": "",
            "affordable_requirement": "",
            "active": True,
            "repeatable": _item["code"] in REPEATABLE,
            "covers_buildings": _item["code"] in COVERS_BUILDINGS,
            **_item,
            "sort_order": _order * 10,
        }
    )
