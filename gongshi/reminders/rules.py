"""What falls due, when: the reminder rules, read from the existing deadline logic.

* A disclosure item falls due on the last day its first publication is still on time
  (:func:`gongshi.disclosures.checklist.is_late`: more than the area's timeliness threshold
  days after the information date). The information date is the one the developer entered on
  the pending draft (the plan's date); without one, the date the project entered the stage
  the item is due at (开工 for 施工期间, 竣工验收 for 交付使用前 — the stage rules). Items due
  before the start with no draft carry no date and are not reminded.
* A question's answer deadline is :func:`gongshi.participation.questions.with_deadlines`'s.

Working days are counted on the holiday calendar (:mod:`gongshi.participation.workdays`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings

from gongshi.catalogue.models import DueStage
from gongshi.core.choices import Stage
from gongshi.disclosures.checklist import checklists_for
from gongshi.participation.models import Question
from gongshi.participation.questions import with_deadlines
from gongshi.participation.workdays import WorkingCalendar
from gongshi.projects.models import Project

DEFAULT_ITEM_DAYS_BEFORE = 3
DEFAULT_ESCALATE_AFTER = 5
DEFAULT_QUESTION_DAYS_BEFORE = 2
BATCH = 500  # projects whose checklists are worked out at once


def item_days_before() -> int:
    """N: working days before an item falls due that its developer is reminded."""
    return getattr(settings, "GONGSHI_REMIND_ITEM_WORKING_DAYS", DEFAULT_ITEM_DAYS_BEFORE)


def escalate_after() -> int:
    """M: working days an item is overdue before the regulators of its area hear of it."""
    return getattr(settings, "GONGSHI_ESCALATE_AFTER_WORKING_DAYS", DEFAULT_ESCALATE_AFTER)


def question_days_before() -> int:
    """K: working days before an answer deadline that the developer and asker are reminded."""
    return getattr(settings, "GONGSHI_REMIND_QUESTION_WORKING_DAYS", DEFAULT_QUESTION_DAYS_BEFORE)


# The stage whose date starts the clock of an item due at it (no date for "before start").
_STAGE_DATE = {
    DueStage.CONSTRUCTION: "started_on",
    DueStage.BEFORE_HANDOVER: "completion_accepted_on",
}


@dataclass
class DueItem:
    project: Project
    item: object  # CatalogueItem
    due_on: dt.date
    instance: int = 1

    @property
    def object_key(self) -> str:
        return f"item:{self.project.pk}:{self.item.code}"


def item_due_on(entry, project, threshold: int) -> dt.date | None:
    """The last on-time day of a checklist entry that is required, due and not disclosed."""
    pending = entry.pending
    start = pending.information_date if pending is not None else None
    if start is None:
        field = _STAGE_DATE.get(entry.item.due_stage)
        start = getattr(project, field) if field else None
    if start is None:
        return None
    return start + dt.timedelta(days=threshold)


def due_items(today: dt.date) -> Iterator[DueItem]:
    """Every required item that is due at its project's stage and not disclosed, with its date.

    A constant number of queries per :data:`BATCH` projects (their checklists at once).
    """
    pks = list(
        Project.objects.exclude(stage=Stage.HANDED_OVER).order_by("pk").values_list("pk", flat=True)
    )
    for start in range(0, len(pks), BATCH):
        projects = Project.objects.filter(pk__in=pks[start : start + BATCH]).select_related(
            "region", "developer"
        )
        yield from _due_in(checklists_for(projects, today=today).values())


def _due_in(checklists) -> Iterator[DueItem]:
    for checklist in checklists:
        project = checklist.project
        for entry in checklist.entries:
            if not entry.is_missing_required:
                continue
            due_on = item_due_on(entry, project, checklist.timeliness_threshold)
            if due_on is not None:
                yield DueItem(project, entry.item, due_on)


def item_reminders(today: dt.date, cal: WorkingCalendar) -> Iterator[tuple[str, DueItem]]:
    """(rule, item) for each item the rules name today: due soon, overdue, or escalated."""
    from gongshi.reminders.models import Rule

    n, m = item_days_before(), escalate_after()
    for due in due_items(today):
        if today <= due.due_on:
            if cal.working_days_between(today, due.due_on) <= n:
                yield Rule.ITEM_DUE_SOON, due
            continue
        late_by = cal.working_days_between(due.due_on, today)
        if late_by > m:
            yield Rule.ITEM_ESCALATED, due
        else:
            # The day it became overdue (or the first run after it, until it is escalated).
            yield Rule.ITEM_OVERDUE, due


def question_reminders(today: dt.date, now: dt.datetime, cal: WorkingCalendar):
    """Unanswered visible questions whose deadline is within K working days (today included)."""
    k = question_days_before()
    questions = (
        Question.objects.visible()
        .unanswered()
        .select_related("project__region", "project__developer")
        .order_by("pk")
    )
    for state in with_deadlines(questions, now=now):
        if today <= state.deadline and cal.working_days_between(today, state.deadline) <= k:
            yield state
