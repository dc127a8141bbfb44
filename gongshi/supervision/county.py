"""Per-county tallies behind the regulator's dashboard (:class:`~.models.CountyTally`).

Counting an area's projects by stage and type, its questions by month, its completeness and
its online-disclosure and open-day figures scanned every project and question of the area for
each request (1.3 s on SQLite at 100,000 projects, BENCHMARKS.md). Instead each project's
share of its county's counts is kept like :class:`~gongshi.disclosures.models.PublicationTally`:

* :func:`contributions` works out what a project adds to its county: one for its stage,
  housing type and delivery standard, its floor area (in hundredths of m²), one for its kept
  pair of due / public required items (:class:`~.models.ProjectFigures`), one for the month of
  its completion acceptance, one for the month it started building when it is under
  construction without an open day, its open discrepancies, and its visible questions by
  local month, kind, answered / resolved and deadline;
* ``figures.refresh`` — which already runs in the writing transaction of every change that
  can move these (the project saved or moved to another county, a question or finding
  saved, an open day scheduled, an item becoming complete or not) — stores that share
  (:class:`~.models.CountyShare`) and adds the difference from the share stored
  before to the county rows (:func:`apply`, upserts in key order); a project deleted takes its
  share away (:func:`forget`);
* nothing kept depends on the date: ``dashboard.kept_figures`` derives what does at read time —
  the completeness of the projects whose kept pair a date has overtaken is counted live for
  them only (as ``figures.annotate_kept_required`` does), and the online-disclosure,
  open-day and overdue-question counts sum the kept months before the month their cut-off
  falls in and count that one month live (an index each);
* ``gongshi recount`` checks every row's share and every county row (:func:`differences`),
  ``--fix`` rewrites them (``figures.rebuild``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils import timezone

from gongshi.core.choices import Stage
from gongshi.disclosures.tallies import _bump
from gongshi.projects.models import Project
from gongshi.supervision.metrics import CompletenessTotals
from gongshi.supervision.models import CountyShare, CountyTally, ProjectFigures

CHUNK = 2000


def _month(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def month_start(key_month: str) -> dt.date:
    """The first day of a key's ``YYYY-MM``."""
    return dt.date(int(key_month[:4]), int(key_month[5:7]), 1)


def question_key(asked_at, kind: str, answered: bool, resolved: bool, deadline: int) -> str:
    month = timezone.localtime(asked_at).date()
    return f"q:{_month(month)}:{kind}:{int(answered)}{int(resolved)}:{deadline}"


def project_keys(
    *,
    stage: str,
    housing_type: str,
    delivery_standard: str,
    floor_area: Decimal | None,
    completion_accepted_on: dt.date | None,
    started_on: dt.date | None,
    has_open_day: bool,
    required_due: int,
    required_public: int,
    open_discrepancies: int,
) -> Counter:
    keys: Counter = Counter()
    keys[f"p:{stage}:{housing_type}:{delivery_standard}"] += 1
    floor = int((Decimal(floor_area or 0) * 100).to_integral_value())
    if floor:
        keys["floor"] += floor
    keys[f"r:{required_due}:{required_public}"] += 1
    if completion_accepted_on is not None:
        keys[f"done:{_month(completion_accepted_on)}"] += 1
    if stage == Stage.UNDER_CONSTRUCTION and started_on is not None and not has_open_day:
        keys[f"nod:{_month(started_on)}"] += 1
    if open_discrepancies:
        keys["disc"] += open_discrepancies
    return keys


def contributions(kept: dict[int, tuple[int, int, int]]) -> dict[int, dict]:
    """What each project adds to its county, given its kept (required_due, required_public,
    open_discrepancies): ``{pk: {"region": id, "keys": {key: n}}}`` (two queries a chunk)."""
    from gongshi.participation.models import OpenDay, Question, Resolution

    ids = sorted(kept)
    result: dict[int, dict] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        shares: dict[int, tuple[int, Counter]] = {}
        for pk, region, stage, housing, standard, floor, done, started, open_day in (
            Project.objects.filter(pk__in=chunk)
            .annotate(has_open_day=Exists(OpenDay.objects.filter(project=OuterRef("pk"))))
            .order_by()
            .values_list(
                "pk",
                "region_id",
                "stage",
                "housing_type",
                "delivery_standard",
                "floor_area",
                "completion_accepted_on",
                "started_on",
                "has_open_day",
            )
        ):
            due, public, discrepancies = kept[pk]
            shares[pk] = (
                region,
                project_keys(
                    stage=stage,
                    housing_type=housing,
                    delivery_standard=standard,
                    floor_area=floor,
                    completion_accepted_on=done,
                    started_on=started,
                    has_open_day=open_day,
                    required_due=due,
                    required_public=public,
                    open_discrepancies=discrepancies,
                ),
            )
        for project, asked_at, kind, answered_at, resolution, deadline in (
            Question.objects.visible()
            .filter(project__in=chunk)
            .order_by()
            .values_list(
                "project", "asked_at", "kind", "answered_at", "resolution", "deadline_working_days"
            )
        ):
            if project in shares:
                key = question_key(
                    asked_at,
                    kind,
                    answered_at is not None,
                    resolution == Resolution.RESOLVED,
                    deadline,
                )
                shares[project][1][key] += 1
        for pk, (region, keys) in shares.items():
            result[pk] = {"region": region, "keys": dict(sorted(keys.items()))}
    return result


def apply(old: dict | None, new: dict | None) -> None:
    """Move the county rows from a project's ``old`` share to its ``new`` one (upserts, in
    key order so two transactions lock rows in the same order)."""
    deltas = _summed([new])
    deltas.subtract(_summed([old]))
    for (region, key), n in sorted(deltas.items()):
        if n:
            _bump(CountyTally, n, region_id=region, key=key)


def forget(sender, instance, **kw) -> None:
    """A project is being deleted: its share leaves its county (pre_delete, in the delete's
    transaction)."""
    for share in CountyShare.objects.filter(project=instance.pk).values_list("share", flat=True):
        apply(share, None)


def rewrite(shares: Iterable[dict]) -> None:
    """Rewrite every county row as the sum of these shares (``recount --fix``)."""
    total = _summed(shares)
    CountyTally.objects.all().delete()
    CountyTally.objects.bulk_create(
        [CountyTally(region_id=r, key=k, count=n) for (r, k), n in sorted(total.items()) if n],
        batch_size=1000,
    )


def _summed(shares: Iterable[dict]) -> Counter:
    total: Counter = Counter()
    for share in shares:
        if share:
            for key, n in share["keys"].items():
                total[(share["region"], key)] += n
    return total


def differences() -> list[str]:
    """Each kept share against the project's kept row and live state, and each county row
    against the sum of the shares (empty when all agree)."""
    found: list[str] = []
    stored: dict[int, dict] = {}
    kept: dict[int, tuple[int, int, int]] = {}
    for pk, due, public, discrepancies in ProjectFigures.objects.values_list(
        "pk", "required_due", "required_public", "open_discrepancies"
    ).iterator(chunk_size=CHUNK):
        kept[pk] = (due, public, discrepancies)
    stored = dict(CountyShare.objects.values_list("project", "share").iterator(chunk_size=CHUNK))
    want = contributions(kept)
    for pk in sorted(want):
        if stored.get(pk) != want[pk]:
            found.append(f"CountyShare {pk}: stored {stored.get(pk)}, counted {want[pk]}")
            if len(found) >= 20:
                return found
    expected = _summed(stored.values())
    have = Counter(
        {(r, k): n for r, k, n in CountyTally.objects.values_list("region", "key", "count") if n}
    )
    for region, key in sorted(set(expected) | set(have), key=str):
        if expected[(region, key)] != have[(region, key)]:
            found.append(
                f"CountyTally region={region} key={key}: stored {have[(region, key)]}, "
                f"projects say {expected[(region, key)]}"
            )
            if len(found) >= 40:
                break
    return found


# --- reading -----------------------------------------------------------------------------


@dataclass
class AreaFigures:
    """The dashboard's counts for an area, from the kept tallies or counted live."""

    by_stage: Counter = field(default_factory=Counter)  # stage → projects
    by_type: Counter = field(default_factory=Counter)  # (housing type, standard) → projects
    by_city: dict[str, CompletenessTotals] = field(default_factory=dict)  # city prefix →
    questions: dict[str, int] = field(default_factory=dict)  # asked, answered, … overdue
    complaints_by_city: Counter = field(default_factory=Counter)
    asked_by_month: Counter = field(default_factory=Counter)  # first day of month → asked
    online_required: int = 0
    without_open_day: int = 0
    open_discrepancies: int = 0
