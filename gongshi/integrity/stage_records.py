"""A project's stage-date corrections (阶段日期更正) beside their log entries and proofs.

A regulator's correction is a leaf of its own (``stage_correction``, written by
``supervision.stage_dates``); the entries API lists it next to the published versions so the
verifiers rebuild it from the row the site holds now, compare it with the log's entry and
prove the entry is in the signed tree — as for any version. Three queries.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from gongshi.integrity import log, tree
from gongshi.integrity.models import LogEntry
from gongshi.projects.models import Project, StageCorrection


@dataclass
class CorrectionRecord:
    correction: StageCorrection
    published: dict[str, Any]
    entry: LogEntry | None
    proof: list[bytes] | None


def _proofs(indices: list[int], size: int) -> dict[int, list[bytes]]:
    try:
        return log.inclusion_proofs(indices, size)
    except tree.MissingNodeError:
        proofs = {}  # damaged tables: prove what can still be proved, one by one
        for index in indices:
            with contextlib.suppress(tree.MissingNodeError):
                proofs.update(log.inclusion_proofs([index], size))
        return proofs


def stage_correction_records(project: Project, size: int) -> list[CorrectionRecord]:
    """The project's corrections, oldest first, each with its leaf rebuilt from the row."""
    corrections = list(
        StageCorrection.objects.filter(project=project)
        .select_related("project", "regulator")
        .order_by("created_at", "pk")
    )
    indices = [c.leaf_index for c in corrections if c.leaf_index is not None]
    entries = LogEntry.objects.in_bulk(indices)
    proofs = _proofs([i for i in indices if i < size], size) if indices else {}
    return [
        CorrectionRecord(
            correction=c,
            published={**c.log_payload(), "type": "stage_correction"},
            entry=entries.get(c.leaf_index),
            proof=proofs.get(c.leaf_index),
        )
        for c in corrections
    ]
