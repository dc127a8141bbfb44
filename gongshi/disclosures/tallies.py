"""State derived from the published versions and kept in the publishing transaction.

Area-wide figures over every version ever published — the regulator's monthly trend, the
timeliness histogram, the late count, each project's score — would otherwise scan the whole
version history (1,000,000 rows at provincial scale took seconds per figure). So
:func:`gongshi.disclosures.services.publish_version` keeps, in the same transaction:

* on the :class:`~.models.Disclosure` row: ``is_public``, ``last_published_at`` and, once,
  ``first_published_at`` / ``first_timeliness_days``;
* :class:`~.models.PublicationTally`: published versions per county, local month and kind;
* :class:`~.models.TimelinessTally`: first publications per county and days late;
* on the :class:`~gongshi.projects.models.Project` row: ``last_published_at``, the latest
  publication of any of its items (the search page's default order).

The versions stay the source of truth. :func:`differences` recounts everything from them
(``gongshi recount``), :func:`rebuild` rewrites it, and a project that moves to another
county takes its counts along (:func:`move_project`).

Apps above keep per-project counts of their own from ``signals.disclosures_changed`` (each
project's score counts: ``supervision.figures``) and register their check and rewrite in
:data:`kept_elsewhere`, so the one ``gongshi recount`` covers them too.

Functions that migrations call take an ``apps`` registry, so they run on historical models.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.apps import apps as global_apps
from django.db import connection, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

#: ``gongshi recount`` checks and ``--fix`` rewrites, besides this module's own, what apps
#: above keep (registered in their AppConfig.ready): (name, differences(), rebuild()).
kept_elsewhere: list[tuple[str, object, object]] = []

PUBLISHED = "published"
PUBLICATION = "publication"
WITHDRAWAL = "withdrawal"

Months = Counter  # (region id, first day of the month, kind) → published versions
Days = Counter  # (region id, days from information date) → first publications


def month_of(moment: dt.datetime) -> dt.date:
    """The first day of ``moment``'s month in local (Beijing) time."""
    return timezone.localtime(moment).date().replace(day=1)


def _bump(model, by: int, **key) -> None:
    """Add ``by`` to the row with ``key`` (made if missing) — one atomic upsert, no race."""
    if by < 0:  # taking away: the row exists (the count cannot go negative)
        model.objects.filter(**key).update(count=F("count") + by)
        return
    if not by:
        return
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in key]
    names = ", ".join(quote(f.column) for f in fields)
    values = [f.get_db_prep_value(v, connection) for f, v in zip(fields, key.values(), strict=True)]
    table, count = quote(model._meta.db_table), quote("count")
    marks = ", ".join(["%s"] * (len(fields) + 1))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}, {count}) VALUES ({marks}) ON CONFLICT ({names})"
            f" DO UPDATE SET {count} = {table}.{count} + excluded.{count}",
            [*values, by],
        )


def record_publication(version, region_id: int) -> None:
    """Count ``version``, being published in a project of ``region_id``.

    publish_version calls this inside its transaction, with the project row locked.
    """
    from gongshi.disclosures.models import PublicationTally, TimelinessTally
    from gongshi.projects.models import Project

    Project.objects.filter(
        Q(last_published_at__isnull=True) | Q(last_published_at__lt=version.published_at),
        pk=version.disclosure.project_id,
    ).update(last_published_at=version.published_at)
    _bump(
        PublicationTally,
        1,
        region_id=region_id,
        month=month_of(version.published_at),
        kind=version.kind,
    )
    if version.kind == PUBLICATION and version.timeliness_days is not None:
        _bump(TimelinessTally, 1, region_id=region_id, days=version.timeliness_days)


def counted(
    *,
    region_ids: Iterable[int] | None = None,
    project_ids: Iterable[int] | None = None,
    apps=global_apps,
) -> tuple[Months, Days]:
    """The tallies as the versions say they should be (two GROUP BY queries)."""
    versions = apps.get_model("disclosures", "DisclosureVersion").objects.filter(status=PUBLISHED)
    if region_ids is not None:
        versions = versions.filter(disclosure__project__region_id__in=list(region_ids))
    if project_ids is not None:
        versions = versions.filter(disclosure__project_id__in=list(project_ids))
    months: Months = Counter()
    for region, month, kind, n in (
        versions.annotate(month=TruncMonth("published_at"))
        .values_list("disclosure__project__region_id", "month", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        months[(region, timezone.localtime(month).date(), kind)] += n
    days: Days = Counter()
    for region, late, n in (
        versions.filter(kind=PUBLICATION, timeliness_days__isnull=False)
        .values_list("disclosure__project__region_id", "timeliness_days")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        days[(region, late)] += n
    return months, days


def stored(*, region_ids: Iterable[int] | None = None, apps=global_apps) -> tuple[Months, Days]:
    months_model = apps.get_model("disclosures", "PublicationTally")
    days_model = apps.get_model("disclosures", "TimelinessTally")
    month_rows = months_model.objects.exclude(count=0)
    day_rows = days_model.objects.exclude(count=0)
    if region_ids is not None:
        month_rows = month_rows.filter(region_id__in=list(region_ids))
        day_rows = day_rows.filter(region_id__in=list(region_ids))
    months: Months = Counter(
        {(r, m, k): n for r, m, k, n in month_rows.values_list("region", "month", "kind", "count")}
    )
    days: Days = Counter({(r, d): n for r, d, n in day_rows.values_list("region", "days", "count")})
    return months, days


@transaction.atomic
def rebuild(*, region_ids: Iterable[int] | None = None, apps=global_apps) -> None:
    """Rewrite the tallies (of these regions, or all) and every disclosure's derived columns."""
    region_ids = None if region_ids is None else list(region_ids)
    months_model = apps.get_model("disclosures", "PublicationTally")
    days_model = apps.get_model("disclosures", "TimelinessTally")
    months, days = counted(region_ids=region_ids, apps=apps)
    for model in (months_model, days_model):
        rows = model.objects.all()
        if region_ids is not None:
            rows = rows.filter(region_id__in=region_ids)
        rows.delete()
    months_model.objects.bulk_create(
        [months_model(region_id=r, month=m, kind=k, count=n) for (r, m, k), n in months.items()],
        batch_size=1000,
    )
    days_model.objects.bulk_create(
        [days_model(region_id=r, days=d, count=n) for (r, d), n in days.items()],
        batch_size=1000,
    )
    disclosures = apps.get_model("disclosures", "Disclosure").objects.all()
    if region_ids is not None:
        disclosures = disclosures.filter(project__region_id__in=region_ids)
    disclosures.update(**_expected_columns(apps))
    projects = apps.get_model("projects", "Project").objects.all()
    if region_ids is not None:
        projects = projects.filter(region_id__in=region_ids)
    if _has_project_column(projects.model):
        # From the disclosures' own latest publication, just rewritten above: each project's
        # few disclosure rows rather than a join to its versions (which SQLite planned as a
        # scan of the version table per project — minutes at 1,000,000 versions).
        projects.update(last_published_at=_expected_last_published(apps))
    if not _has_instances(disclosures.model):
        return  # a migration before repeatable items
    complete = _expected_completion(disclosures)
    stored_complete = set(disclosures.filter(completes_item=True).values_list("pk", flat=True))
    for value, ids in ((True, complete - stored_complete), (False, stored_complete - complete)):
        ids = sorted(ids)
        for start in range(0, len(ids), 5000):  # SQLite's limit on parameters per query
            disclosures.model.objects.filter(pk__in=ids[start : start + 5000]).update(
                completes_item=value
            )
    if apps is global_apps:  # not in migrations: the registered ones use today's models
        for _name, _differences, rebuild_kept in kept_elsewhere:
            rebuild_kept()


def _has_project_column(model) -> bool:
    return any(field.name == "last_published_at" for field in model._meta.get_fields())


def _expected_last_published(apps) -> Subquery:
    """A project's latest publication, correction or withdrawal: the latest of its
    disclosures' ``last_published_at`` (themselves checked against the versions)."""
    return Subquery(
        apps.get_model("disclosures", "Disclosure")
        .objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(last=Max("last_published_at"))
        .values("last")
    )


def _has_instances(model) -> bool:
    return any(field.name == "completes_item" for field in model._meta.get_fields())


def _expected_completion(disclosures) -> set[int]:
    """The disclosures whose ``completes_item`` should be set: each complete item's first
    instance, by the one rule in :func:`gongshi.disclosures.instances.is_complete`."""
    from gongshi.disclosures.instances import PlanCounts, derived_required, is_complete

    model = disclosures.model
    planned = any(f.name == "required_declared" for f in model._meta.get_fields())
    counts: dict[int, PlanCounts] = {}
    if planned:
        # The plan's sales batches and buildings, as instances.plan_counts reads them.
        buildings = model._meta.apps.get_model("projects", "Building").objects.order_by()
        for row in buildings.values("project_id").annotate(
            n=Count("pk"), batches=Count("sales_batch", distinct=True)
        ):
            counts[row["project_id"]] = PlanCounts(row["batches"], row["n"])
    latest = (
        disclosures.model._meta.apps.get_model("disclosures", "DisclosureVersion")
        .objects.filter(disclosure=OuterRef("pk"), status=PUBLISHED)
        .order_by("-number")
        .values("kind")[:1]
    )
    groups: dict[tuple[int, int], list] = {}
    rows = disclosures.annotate(latest_kind=Subquery(latest)).values_list(
        "pk",
        "project_id",
        "item_id",
        "instance",
        "required_instances",
        "item__repeatable",
        "latest_kind",
        *(["required_declared", "item__code", "item__covers_buildings"] if planned else []),
    )
    for row in rows.iterator(chunk_size=2000):
        groups.setdefault((row[1], row[2]), []).append(row)
    complete: set[int] = set()
    for rows in groups.values():
        first = next((r for r in rows if r[3] == 1), None)
        if first is None:
            continue
        required = first[4] if first[5] else 1
        if planned and first[5] and not first[7]:
            derived = derived_required(first[8], first[9], counts.get(first[1], PlanCounts()))
            required = derived[0] if derived else required
        kinds = [r[6] for r in rows]
        public = sum(1 for k in kinds if k not in (None, WITHDRAWAL, "inapplicable"))
        if is_complete(public, required, "inapplicable" in kinds):
            complete.add(first[0])
    return complete


def _expected_columns(apps) -> dict:
    """Each disclosure's derived columns as subqueries over its published versions."""
    versions = apps.get_model("disclosures", "DisclosureVersion").objects.filter(
        disclosure=OuterRef("pk"), status=PUBLISHED
    )
    first = versions.filter(kind=PUBLICATION)
    last = versions.order_by("-number")
    return {
        "first_published_at": Subquery(first.values("published_at")[:1]),
        "first_timeliness_days": Subquery(first.values("timeliness_days")[:1]),
        "last_published_at": Subquery(last.values("published_at")[:1]),
        # Public when the latest published version is not a withdrawal.
        "is_public": Exists(
            versions.exclude(kind=WITHDRAWAL).filter(
                ~Exists(
                    versions.model.objects.filter(
                        disclosure=OuterRef("disclosure"),
                        status=PUBLISHED,
                        number__gt=OuterRef("number"),
                    )
                )
            )
        ),
    }


def differences(apps=global_apps) -> list[str]:
    """What disagrees with the versions: tally rows, then disclosures (empty when all agree)."""
    found: list[str] = []
    want_months, want_days = counted(apps=apps)
    have_months, have_days = stored(apps=apps)
    for key in sorted(set(want_months) | set(have_months), key=str):
        if want_months[key] != have_months[key]:
            region, month, kind = key
            found.append(
                f"PublicationTally region={region} month={month:%Y-%m} kind={kind}: "
                f"stored {have_months[key]}, versions say {want_months[key]}"
            )
    for key in sorted(set(want_days) | set(have_days)):
        if want_days[key] != have_days[key]:
            region, days = key
            found.append(
                f"TimelinessTally region={region} days={days}: "
                f"stored {have_days[key]}, versions say {want_days[key]}"
            )
    disclosures = apps.get_model("disclosures", "Disclosure").objects.annotate(
        **{f"want_{name}": expr for name, expr in _expected_columns(apps).items()}
    )
    for name in ("first_published_at", "first_timeliness_days", "last_published_at", "is_public"):
        want = f"want_{name}"
        wrong = disclosures.filter(
            Q(**{f"{name}__isnull": True, f"{want}__isnull": False})
            | Q(**{f"{name}__isnull": False, f"{want}__isnull": True})
            | (Q(**{f"{name}__isnull": False, f"{want}__isnull": False}) & ~Q(**{name: F(want)}))
        )
        for pk in wrong.values_list("pk", flat=True)[:20]:
            found.append(f"Disclosure {pk}: {name} disagrees with its versions")
    projects = apps.get_model("projects", "Project").objects.annotate(
        want=_expected_last_published(apps)
    )
    if _has_project_column(projects.model):
        wrong = projects.filter(
            Q(last_published_at__isnull=True, want__isnull=False)
            | Q(last_published_at__isnull=False, want__isnull=True)
            | (
                Q(last_published_at__isnull=False, want__isnull=False)
                & ~Q(last_published_at=F("want"))
            )
        )
        for pk in wrong.values_list("pk", flat=True)[:20]:
            found.append(f"Project {pk}: last_published_at disagrees with its versions")
    all_disclosures = apps.get_model("disclosures", "Disclosure").objects.all()
    if not _has_instances(all_disclosures.model):
        return found
    complete = _expected_completion(all_disclosures)
    stored_complete = set(all_disclosures.filter(completes_item=True).values_list("pk", flat=True))
    for pk in sorted(complete ^ stored_complete)[:20]:
        found.append(f"Disclosure {pk}: completes_item disagrees with its instances")
    if apps is global_apps:
        for _name, kept_differences, _rebuild in kept_elsewhere:
            found += kept_differences()
    return found


def move_project(project_id: int, old_region_id: int, new_region_id: int) -> None:
    """Carry a project's counts from its old county to its new one (a corrected address)."""
    from gongshi.disclosures.models import PublicationTally, TimelinessTally

    if old_region_id == new_region_id:
        return
    months, days = counted(project_ids=[project_id])
    for (_, month, kind), n in months.items():
        _bump(PublicationTally, -n, region_id=old_region_id, month=month, kind=kind)
        _bump(PublicationTally, n, region_id=new_region_id, month=month, kind=kind)
    for (_, late), n in days.items():
        _bump(TimelinessTally, -n, region_id=old_region_id, days=late)
        _bump(TimelinessTally, n, region_id=new_region_id, days=late)
