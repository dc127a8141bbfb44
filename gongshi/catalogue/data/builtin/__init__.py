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

__all__ = ["BUILTIN_ITEMS", "STRUCTURE_TYPES"]

BUILTIN_ITEMS: list[dict] = []
for _order, _item in enumerate(PROCEDURE + PARTIES + MATERIALS + ACCEPTANCE + WARRANTY + OTHER +
                               PILOTS, start=1):  # fmt: skip
    BUILTIN_ITEMS.append(
        {
            "requirement": "required",
            "applies_to": "both",
            "scan_required": False,
            "scans": [],
            "description": "",
            "affordable_requirement": "",
            "active": True,
            **_item,
            "sort_order": _order * 10,
        }
    )
