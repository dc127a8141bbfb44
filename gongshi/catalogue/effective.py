"""Local items respect time: a city's item applies only to projects still before its stage.

A local item (a catalogue item with a region, §6.1) or a local raise of a requirement
(:class:`~gongshi.catalogue.models.LocalRequirement`) takes effect on its ``effective_from``.
A project that had already passed the item's stage by then could not have disclosed it in
time, so the item is not required of it (a raise leaves the province-wide level). When a
project passed a stage is read from its dates: the start for items due before the start, the
completion acceptance for items due during construction, the handover for items due before
handover. A stage with no date (not reached, or not recorded) has not been passed: the item
applies — a regulator can correct the dates (``supervision.stage_dates``).

The checklist (``disclosures.checklist``) and the area figures (``supervision.metrics``) both
decide with :func:`exemption`, so the page, the workspace, the API and the score agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from gongshi.catalogue.models import DueStage

#: The project date on which it passes each due stage.
STAGE_PASSED_BY = {
    DueStage.BEFORE_START: "started_on",
    DueStage.CONSTRUCTION: "completion_accepted_on",
    DueStage.BEFORE_HANDOVER: "handed_over_on",
}


@dataclass(frozen=True)
class LocalExemption:
    """Why a local item (or a local raise) does not bind a project."""

    effective_from: dt.date
    passed_on: dt.date
    due_stage: str
    #: True: the local item does not apply at all; False: only the raise does not apply
    waives_item: bool = True

    @property
    def reason(self) -> str:
        values = {
            "effective": self.effective_from.isoformat(),
            "passed": self.passed_on.isoformat(),
            "stage": DueStage(self.due_stage).label,
        }
        if self.waives_item:
            return (
                _("本地事项于 %(effective)s 施行，项目已于 %(passed)s 过“%(stage)s”阶段，不适用。")
                % values
            )
        return (
            _(
                "本地提高的公示要求于 %(effective)s 施行，项目已于 %(passed)s 过“%(stage)s”阶段，"
                "按全省要求公示。"
            )
            % values
        )


def stage_passed_on(due_stage: str, project) -> dt.date | None:
    """The date the project passed ``due_stage`` (None: not passed, or not recorded)."""
    return getattr(project, STAGE_PASSED_BY[DueStage(due_stage)], None)


def exemption(
    effective_from: dt.date | None, due_stage: str, project, *, waives_item: bool = True
) -> LocalExemption | None:
    """The exemption if the project passed ``due_stage`` before ``effective_from``."""
    if effective_from is None:
        return None
    passed = stage_passed_on(due_stage, project)
    if passed is None or passed >= effective_from:
        return None
    return LocalExemption(effective_from, passed, due_stage, waives_item)
