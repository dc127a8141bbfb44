"""Reminders in the demo: an item of 悦澜湾二期 falls due tomorrow, and the day's reminders
are sent while seeding, so 王建国 (demo-hongtai) finds notifications on signing in."""

from __future__ import annotations

import datetime as dt

from gongshi.disclosures.checklist import project_checklist
from gongshi.disclosures.models import Disclosure, DisclosureVersion, VersionKind, VersionStatus
from gongshi.participation.workdays import WorkingCalendar
from gongshi.projects.models import Participation, Project

#: The project whose item falls due on the next working day.
DUE_TOMORROW_PROJECT = "YRW2QA"


def _due_tomorrow(project: Project, today: dt.date, author) -> DisclosureVersion | None:
    """A draft, dated so that its item falls due on the next working day (once)."""
    tomorrow = WorkingCalendar().add_working_days(today, 1)
    checklist = project_checklist(project, today=today)
    for entry in checklist.entries:
        if not entry.is_missing_required or entry.pending is not None or entry.item.repeatable:
            continue
        supplier = (
            Participation.objects.filter(project=project, role=entry.item.supplier)
            .select_related("organisation")
            .first()
        )
        organisation = supplier.organisation if supplier else project.developer
        disclosure, _created = Disclosure.objects.get_or_create(
            project=project, item=entry.item, instance=1
        )
        return DisclosureVersion.objects.create(
            disclosure=disclosure,
            kind=VersionKind.PUBLICATION,
            values={},
            information_date=tomorrow - dt.timedelta(days=checklist.timeliness_threshold),
            supplied_by=organisation,
            created_by=author,
            status=VersionStatus.DRAFT,
        )
    return None


def seed_reminders(now: dt.datetime, developer_user) -> int:
    """Leave an item due tomorrow (first run only) and send today's reminders; returns how
    many reminders were sent (none on a second run)."""
    from django.utils import timezone

    from gongshi.reminders.models import ReminderSent
    from gongshi.reminders.sending import send_reminders

    project = (
        Project.objects.select_related("region", "developer")
        .filter(code=DUE_TOMORROW_PROJECT)
        .first()
    )
    if project is not None and not ReminderSent.objects.filter(project=project).exists():
        _due_tomorrow(project, timezone.localdate(now), developer_user)
    return send_reminders(now=now).reminders
