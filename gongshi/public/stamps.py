"""Bump the public page stamps in the transaction that changes what a page shows.

Receivers are connected in :meth:`gongshi.public.apps.PublicConfig.ready` to every model a
public project page reads, so the lower apps never import this one. Each bump is one
``INSERT … ON CONFLICT DO UPDATE`` inside the writer's transaction: a rolled-back change
leaves the stamp alone, a committed one is seen by every process at the same moment as the
data, and two concurrent writers cannot lose a bump.

What a page shows, and the receiver that notices its change:

- the project row, its units (Participation), its buildings, its disclosures and published versions
  (publications, corrections, withdrawals, "does not apply" declarations), its published
  plan, regulator records, inspections and rectification steps → :func:`touch_project`;
- an organisation's name or credit code → every project it develops or takes part in;
- the catalogue, local requirements, score weights, timeliness settings, region names, and
  the built-in catalogue's sync after ``migrate`` → :func:`touch_site`;
- the holiday calendar (deadlines on the page), also when seeded in bulk
  (``gongshi.core.signals.site_content_changed``) → :func:`touch_site`;
- questions, answers and open days keep their own ``ParticipationStamp``, which the
  fingerprint reads directly.

Writes that bypass ``save()`` (``QuerySet.update``, ``bulk_create``) on these models must
call :func:`touch_project` / :func:`touch_site` themselves (tests in
``gongshi/public/tests/test_page_cache.py`` pin each kind of change).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.db import connection, connections, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils import timezone

from gongshi.core.signals import site_content_changed
from gongshi.public.models import PageStamp, SiteStamp

_UPSERT = (
    "INSERT INTO {table} ({key}, revision, changed_at) VALUES (%s, 1, %s) "
    "ON CONFLICT ({key}) DO UPDATE SET revision = {table}.revision + 1, "
    "changed_at = excluded.changed_at"
)


def _upsert(model, key: str, ids: Iterable[int], db=None) -> None:
    db = db or connection
    rows = sorted(set(ids))  # a fixed order, so two writers never lock rows crosswise
    if not rows:
        return
    now = db.ops.adapt_datetimefield_value(timezone.now())
    sql = _UPSERT.format(table=db.ops.quote_name(model._meta.db_table), key=key)
    with db.cursor() as cursor:
        cursor.executemany(sql, [(pk, now) for pk in rows])


def touch_project(*project_ids: int) -> None:
    """Record that something on these projects' public pages changed."""
    ids = [pk for pk in project_ids if pk is not None]
    _upsert(PageStamp, "project_id", ids)
    if ids:
        _prerender_after_commit(ids)


def _prerender_after_commit(ids: list[int]) -> None:
    """Once the writing transaction commits, queue the boards of these projects that were
    printed recently (``gongshi.public.tasks.prerender_boards``): one callback per transaction,
    however many rows it touched."""
    from gongshi.public.tasks import queue_prerender

    if not connection.in_atomic_block:
        queue_prerender(ids)
        return
    level = tuple(connection.savepoint_ids)
    state = getattr(connection, "_gongshi_board_prerender", None)
    # A new transaction or savepoint, or the last callback ran or was dropped by a rollback.
    if (
        state is None
        or state[2] != level
        or not any(entry[1] is state[1] for entry in connection.run_on_commit)
    ):
        pending: set[int] = set()
        state = (pending, lambda: queue_prerender(sorted(pending)), level)
        connection._gongshi_board_prerender = state
        transaction.on_commit(state[1])
    state[0].update(ids)


def touch_site() -> None:
    """Record a change that shows on every project's public page."""
    _upsert(SiteStamp, "id", [1])


# (model label, how to find the project id of an instance, or a list of them); instances for
# which it returns None change nothing public.
def _version_project(version) -> int | None:
    from gongshi.disclosures.models import VersionStatus

    if version.status != VersionStatus.PUBLISHED:
        return None  # drafts and submissions are not public
    return version.disclosure.project_id


def _plan_project(plan) -> int | None:
    return plan.project_id if plan.published_at is not None else None


def _organisation_projects(organisation_id: int) -> list[int]:
    from gongshi.projects.models import Project

    return list(
        Project.objects.filter(
            Q(developer_id=organisation_id) | Q(participations__organisation_id=organisation_id)
        ).values_list("pk", flat=True)
    )


def _record_projects(record) -> int | list[int]:
    # An enterprise-level decision shows on every project of its subject.
    if record.project_id is None:
        return _organisation_projects(record.subject_id)
    return record.project_id


PROJECT_SOURCES = {
    "projects.Project": lambda project: project.pk,
    "projects.Participation": lambda participation: participation.project_id,
    "projects.Building": lambda building: building.project_id,
    "disclosures.Disclosure": lambda disclosure: disclosure.project_id,
    "disclosures.DisclosureVersion": _version_project,
    "workspace.DisclosurePlan": _plan_project,
    "supervision.RegulatorRecord": _record_projects,
    "projects.StageCorrection": lambda correction: correction.project_id,
    "supervision.Inspection": lambda inspection: inspection.project_id,
    "supervision.RectificationStep": lambda step: step.project_id,
}
SITE_SOURCES = [
    "catalogue.CatalogueItem",
    "catalogue.LocalRequirement",
    "catalogue.WarrantyPart",
    "supervision.ScoreWeights",
    "supervision.TimelinessSetting",
    "regions.Region",
    # The holiday calendar moves every open question's deadline (and its provisional note).
    "participation.CalendarDay",
]


def _project_receiver(find):
    def receiver(sender, instance, **kwargs) -> None:
        if kwargs.get("raw"):
            return  # loaddata: no page to refresh
        found = find(instance)
        touch_project(*(found if isinstance(found, list) else [found]))

    return receiver


def _site_receiver(sender, instance=None, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    touch_site()


def _organisation_saved(sender, instance, **kwargs) -> None:
    if kwargs.get("raw") or instance.pk is None:
        return
    touch_project(*_organisation_projects(instance.pk))


def connect() -> None:
    for label, find in PROJECT_SOURCES.items():
        if not apps.is_installed(f"gongshi.{label.split('.')[0]}"):
            continue
        receiver = _project_receiver(find)
        for signal in (post_save, post_delete):
            if signal is post_delete and label == "projects.Project":
                continue  # its stamp goes with it
            signal.connect(
                receiver, sender=label, weak=False, dispatch_uid=f"public_stamp_{label}_{signal}"
            )
    for label in SITE_SOURCES:
        if not apps.is_installed(f"gongshi.{label.split('.')[0]}"):
            continue
        for signal in (post_save, post_delete):
            signal.connect(
                _site_receiver, sender=label, dispatch_uid=f"public_site_{label}_{signal}"
            )
    post_save.connect(
        _organisation_saved, sender="organisations.Organisation", dispatch_uid="public_org"
    )
    # Bulk writes below (the holiday calendar's package seed) say so with a signal.
    site_content_changed.connect(_site_receiver, dispatch_uid="public_site_content")
    # The built-in catalogue and the calendar are synced with bulk writes after migrate.
    post_migrate.connect(_site_after_migrate, dispatch_uid="public_site_after_migrate")


def _site_after_migrate(sender, using: str = "default", **kwargs) -> None:
    # After every app's handler (each may sync data in bulk); a bump per app is cheap.
    db = connections[using]
    if SiteStamp._meta.db_table not in db.introspection.table_names():
        return  # migrated only part of the way
    _upsert(SiteStamp, "id", [1], db)
