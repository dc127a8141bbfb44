"""Area-wide figures for the regulator, computed in the database.

A project's completeness is the share of its due, *required* catalogue items that are
public. Which items those are depends only on a few things — the stage, the delivery
standard, the housing type and the local requirements of its county, city and province — so
the sets are worked out once per combination in Python (with the checklist's own rules,
so the two never disagree) and handed to the database as a CASE expression and a
correlated count. Every figure is then one aggregate query, whatever the number of projects.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db import connection
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Substr
from django.utils import timezone

from gongshi.catalogue.effective import STAGE_PASSED_BY, exemption
from gongshi.catalogue.models import CatalogueItem, LocalRequirement, RequirementLevel, stricter
from gongshi.disclosures.checklist import applies, is_due, region_codes
from gongshi.disclosures.models import Disclosure, TimelinessTally
from gongshi.regions.models import Region


@dataclass(frozen=True)
class RequirementGroup:
    """Projects sharing one set of due, required items."""

    condition: Q
    item_ids: frozenset[int]


def _stage_buckets(cutoffs: list[dt.date]) -> dict[str, Case | Value]:
    """Where each stage date falls among the local effective dates: -1 none, else how many
    of ``cutoffs`` (sorted) are on or before it. Equal buckets mean equal exemptions."""
    return {
        f"bucket_{name}": Case(
            When(**{f"{name}__isnull": True}, then=Value(-1)),
            *[When(**{f"{name}__lt": c}, then=Value(i)) for i, c in enumerate(cutoffs)],
            default=Value(len(cutoffs)),
            output_field=IntegerField(),
        )
        for name in STAGE_PASSED_BY.values()
    }


def _stage_bucket_date(bucket: int | None, cutoffs: list[dt.date]) -> dt.date | None:
    """A date inside ``bucket`` (as good as the project's own for every exemption)."""
    if bucket is None or bucket < 0:
        return None
    return cutoffs[0] - dt.timedelta(days=1) if bucket == 0 else cutoffs[bucket - 1]


def _stage_dates_q(buckets: tuple | None, cutoffs: list[dt.date]) -> Q:
    if buckets is None:
        return Q()
    condition = Q()
    for name, bucket in zip(STAGE_PASSED_BY.values(), buckets, strict=True):
        if bucket < 0:
            condition &= Q(**{f"{name}__isnull": True})
            continue
        if bucket > 0:
            condition &= Q(**{f"{name}__gte": cutoffs[bucket - 1]})
        if bucket < len(cutoffs):
            condition &= Q(**{f"{name}__lt": cutoffs[bucket]})
    return condition


def requirement_groups(projects: QuerySet, today: dt.date | None = None) -> list[RequirementGroup]:
    """The distinct required-and-due item sets among ``projects`` (three small queries)."""
    today = today or timezone.localdate()
    combos = list(
        projects.order_by()
        .values_list("stage", "delivery_standard", "housing_type", "region__code")
        .distinct()
    )
    if not combos:
        return []
    codes: set[str] = set()
    for *_, code in combos:
        codes |= region_codes(code)
    items = list(
        CatalogueItem.objects.filter(
            Q(region__isnull=True) | Q(region__code__in=codes), active=True
        ).select_related("region")
    )
    raised: dict[tuple[str, int], str] = {}
    raised_from: dict[tuple[str, int], dt.date] = {}
    for local in LocalRequirement.objects.filter(
        region__code__in=codes, effective_from__lte=today
    ).select_related("region"):
        raised[(local.region.code, local.item_id)] = local.requirement
        raised_from[(local.region.code, local.item_id)] = local.effective_from
    # A local item or raise binds only projects that had not passed its stage when it took
    # effect (catalogue.effective): projects are told apart by where their stage dates fall
    # among those few effective dates, never by the dates themselves.
    cutoffs = sorted(
        {i.effective_from for i in items if i.region_id and i.effective_from}
        | set(raised_from.values())
    )
    if cutoffs:  # one more small query, only where such dates exist
        buckets = _stage_buckets(cutoffs)
        combos = list(
            projects.order_by()
            .annotate(**buckets)
            .values_list("stage", "delivery_standard", "housing_type", "region__code", *buckets)
            .distinct()
        )
    else:
        combos = [(*combo, -1, -1, -1) for combo in combos]
    regions = {code: Region(code=code) for code in {c[3] for c in combos}}

    # The required set of each combination, then one condition per (stage, standard, housing
    # type, set). The region enters a condition only where local items or requirements make
    # it matter: a CASE with one clause per district and county (thousands of clauses,
    # evaluated on every project row and every disclosure row) made the provincial
    # dashboard take minutes at 10,000 projects (bench/supervision_bench.py).
    by_kind: dict[tuple[str, str, str], dict[tuple, frozenset[int]]] = defaultdict(dict)
    # Counties without local items or requirements of their own (or their city's) share a
    # set: worked out once per kind and local area, not once per county (1,100 combinations
    # × 40 items took most of the dashboard's Python time at 10,000 projects).
    local = {item.region.code for item in items if item.region_id} | {c for c, _ in raised}
    worked: dict[tuple, frozenset[int]] = {}
    for stage, standard, housing, code, *dates in combos:
        area = region_codes(code)
        # Stage dates only matter where local items or raises do.
        when = tuple(dates) if area & local and cutoffs else None
        key = (stage, standard, housing, frozenset(area & local), when)
        if key not in worked:
            project = SimpleNamespace(
                stage=stage,
                delivery_standard=standard,
                housing_type=housing,
                region=regions[code],
                **{
                    name: _stage_bucket_date(b, cutoffs)
                    for name, b in zip(STAGE_PASSED_BY.values(), when or (-1, -1, -1), strict=True)
                },
            )
            required: set[int] = set()
            for item in items:
                if not applies(item, project, today) or not is_due(item, stage):
                    continue
                if item.region_id and exemption(item.effective_from, item.due_stage, project):
                    continue
                level = item.requirement_for(housing)
                for c in area:
                    if (c, item.pk) in raised and not exemption(
                        raised_from[(c, item.pk)], item.due_stage, project
                    ):
                        level = stricter(raised[(c, item.pk)], level)
                if level == RequirementLevel.REQUIRED:
                    required.add(item.pk)
            worked[key] = frozenset(required)
        by_kind[(stage, standard, housing)][(code, when)] = worked[key]

    sets: dict[frozenset[int], Q] = {}
    for (stage, standard, housing), by_place in by_kind.items():
        kind = Q(stage=stage, delivery_standard=standard, housing_type=housing)
        distinct = set(by_place.values())
        for required in distinct:
            # The combinations come from ``projects`` itself, so when every region of this
            # kind has the same set the region need not be tested at all.
            if len(distinct) == 1:
                condition = kind
            else:
                by_when: dict[tuple | None, list[str]] = defaultdict(list)
                for (code, when), found in by_place.items():
                    if found == required:
                        by_when[when].append(code)
                places = Q()
                for when, region_list in by_when.items():
                    places |= Q(region__code__in=sorted(region_list)) & _stage_dates_q(
                        when, cutoffs
                    )
                condition = kind & places
            sets[required] = sets[required] | condition if required in sets else condition
    return [RequirementGroup(condition, item_ids) for item_ids, condition in sets.items()]


def annotate_required(projects: QuerySet, today: dt.date | None = None) -> QuerySet:
    """Add ``required_due`` and ``required_public``: the project's due required items, and
    how many of them are public (counted live)."""
    return projects.annotate(**required_expressions(requirement_groups(projects, today)))


def required_expressions(groups: list[RequirementGroup]) -> dict:
    """``required_due`` and ``required_public`` of the outer project, counted live, for
    projects in ``groups``."""
    if not groups:
        return {
            "required_due": Value(0, IntegerField()),
            "required_public": Value(0, IntegerField()),
        }
    expected = Case(
        *[When(g.condition, then=Value(len(g.item_ids))) for g in groups],
        default=Value(0),
        output_field=IntegerField(),
    )
    # One small correlated count per project: the CASE picks the project's group, and only
    # that branch's subquery runs — an index-only range on ``disclosure_item_complete`` (project,
    # item). Testing every group's condition inside a single subquery, once per disclosure
    # row, took 40 s at 10,000 projects on SQLite (bench/supervision_bench.py).
    public = Case(
        *[When(g.condition, then=_public_count(g.item_ids)) for g in groups if g.item_ids],
        default=Value(0),
        output_field=IntegerField(),
    )
    return {"required_due": expected, "required_public": public}


def completeness_share() -> Case:
    """Completeness 0–1 from ``required_public`` / ``required_due``; 1.0 when nothing is due."""
    return Case(
        When(required_due=0, then=Value(1.0)),
        default=ExpressionWrapper(
            Cast(F("required_public"), FloatField()) / Cast(F("required_due"), FloatField()),
            output_field=FloatField(),
        ),
        output_field=FloatField(),
    )


def annotate_completeness(projects: QuerySet, today: dt.date | None = None) -> QuerySet:
    """Add ``required_due``, ``required_public`` and ``completeness`` (0–1) to each project.

    A project with nothing required yet is complete (1.0), as on its checklist.
    """
    return annotate_required(projects, today).annotate(completeness=completeness_share())


@dataclass
class CompletenessTotals:
    """Completeness figures of a group of projects (a city, or a whole area)."""

    projects: int = 0
    floor_area: float = 0.0
    missing: int = 0  # projects with a due, required item not public
    completeness_sum: float = 0.0  # Σ completeness, for the average
    bands: dict[str, int] = field(default_factory=dict)  # full / 80 / 50 / low → projects

    def add(self, other: CompletenessTotals) -> CompletenessTotals:
        bands = {
            k: self.bands.get(k, 0) + other.bands.get(k, 0) for k in {*self.bands, *other.bands}
        }
        return CompletenessTotals(
            self.projects + other.projects,
            self.floor_area + other.floor_area,
            self.missing + other.missing,
            self.completeness_sum + other.completeness_sum,
            bands,
        )

    @property
    def average(self) -> float | None:
        return self.completeness_sum / self.projects if self.projects else None


def completeness_by_city(
    projects: QuerySet, today: dt.date | None = None, *, annotate=annotate_required
) -> dict[str, CompletenessTotals]:
    """Completeness figures per prefecture (first four digits of the region code): one query.

    ``annotate`` adds each project's ``required_due`` and ``required_public`` (counted live by
    default; the dashboard passes ``figures.annotate_kept_required``, the kept counts).
    The per-project counts are computed once, in a subquery, and grouped outside it: with the
    aggregates written over the annotations directly, every figure would run each project's
    count again (bench/supervision_bench.py). Integer comparisons keep the bands exact.
    """
    inner = (
        annotate(projects, today)
        .annotate(city=Substr("region__code", 1, 4))
        .order_by()
        .values("pk", "city", "required_due", "required_public", "floor_area")
        # DISTINCT (over pk: every row already is) keeps both databases from inlining the
        # subquery into the outer aggregates, which would run each project's count once per
        # figure: 0.9 s instead of 0.13 s on PostgreSQL at 10,000 projects.
        .distinct()
    )
    sql, params = inner.query.sql_with_params()
    bands = {
        "full": "required_public >= required_due",
        "80": "required_public * 5 >= required_due * 4 AND required_public < required_due",
        "50": "required_public * 2 >= required_due AND required_public * 5 < required_due * 4",
        "low": "required_public * 2 < required_due",
    }
    band_sql = ", ".join(f"SUM(CASE WHEN {c} THEN 1 ELSE 0 END)" for c in bands.values())
    outer = (
        "SELECT city, COUNT(*), SUM(floor_area), "
        "SUM(CASE WHEN required_public < required_due THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN required_due = 0 THEN 1.0 ELSE required_public * 1.0 / required_due END), "
        f"{band_sql} FROM ({sql}) AS per_project GROUP BY city"
    )
    result = {}
    with connection.cursor() as cursor:
        cursor.execute(outer, params)
        for city, n, area, missing, total, *counts in cursor.fetchall():
            result[city] = CompletenessTotals(
                projects=n,
                floor_area=float(area or 0),
                missing=missing or 0,
                completeness_sum=float(total or 0),
                bands={k: c or 0 for k, c in zip(bands, counts, strict=True)},
            )
    return result


def _public_count(item_ids: frozenset[int]) -> Coalesce:
    """How many of ``item_ids`` the outer project has disclosed completely.

    One row per item counts (its first instance's ``completes_item``, kept by publish_version):
    a repeatable item counts once, when its required instances are public.
    """
    return Coalesce(
        Subquery(
            Disclosure.objects.filter(
                project=OuterRef("pk"), completes_item=True, item_id__in=sorted(item_ids)
            )
            .order_by()
            .values("project")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


# --- questions ------------------------------------------------------------------------


def overdue_cutoff(working_days: int, today: dt.date, cal=None) -> dt.date:
    """The last asking date whose answer deadline has already passed by ``today``.

    A question asked on day d is overdue once ``today`` is after its deadline
    (``add_working_days(d, N)``), and the deadline only moves forward with d, so the
    overdue questions are exactly those asked on or before this date.
    """
    from gongshi.participation.workdays import calendar_for

    cal = cal or calendar_for([today - dt.timedelta(days=working_days * 2 + 40)])
    day = today
    while cal.add_working_days(day, working_days) >= today:
        day -= dt.timedelta(days=1)
    return day


def overdue_questions_q(deadlines: list[int], today: dt.date, prefix: str = "") -> Q:
    """Q for unanswered questions past their deadline, one clause per deadline length in use."""
    from gongshi.participation.workdays import calendar_for

    assert deadlines, "callers skip the figure when no question exists"
    cal = calendar_for([today - dt.timedelta(days=max(deadlines) * 2 + 40)])
    condition = Q()
    for n in deadlines:
        cutoff = overdue_cutoff(n, today, cal)
        end = timezone.make_aware(dt.datetime.combine(cutoff + dt.timedelta(days=1), dt.time()))
        condition |= Q(**{f"{prefix}deadline_working_days": n, f"{prefix}asked_at__lt": end})
    return Q(**{f"{prefix}answered_at__isnull": True}) & condition


def question_figures(region: Region, today: dt.date | None = None) -> dict[str, int]:
    """Questions and complaints of an area: asked, answered, resolved, overdue (two queries).

    Questions an administrator hid (advertising, abuse) are not counted.
    """
    from gongshi.participation.models import Question, QuestionKind, Resolution

    today = today or timezone.localdate()
    questions = Question.objects.visible().within(region)
    deadlines = list(
        questions.order_by().values_list("deadline_working_days", flat=True).distinct()
    )
    if not deadlines:  # no questions at all
        return {"asked": 0, "complaints": 0, "answered": 0, "resolved": 0, "overdue": 0}
    return questions.aggregate(
        asked=Count("pk"),
        complaints=Count("pk", filter=Q(kind=QuestionKind.COMPLAINT)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        resolved=Count("pk", filter=Q(resolution=Resolution.RESOLVED)),
        overdue=Count("pk", filter=overdue_questions_q(deadlines, today)),
    )


def area_region_ids(region: Region) -> QuerySet:
    """The ids of a region and every region below it, for filters on versions.

    ``…__region__in=area_region_ids(r)`` selects the same rows as
    ``…__region__code__startswith=r.prefix`` but lets the database test an id set instead of
    joining regions and matching a prefix for every version: 3.4 s instead of 21 s for the
    province's 740,000 versions of the last year on SQLite (bench/supervision_bench.py).
    """
    return Region.objects.within(region).values("pk")


# --- timeliness -----------------------------------------------------------------------

#: (label, lowest day, highest day) — days from the information date to first publication.
TIMELINESS_BUCKETS = [
    ("0", None, 0),
    ("1–3", 1, 3),
    ("4–7", 4, 7),
    ("8–30", 8, 30),
    ("31–90", 31, 90),
    (">90", 91, None),
]


def _bucket_q(low: int | None, high: int | None, field_name: str = "days") -> Q:
    q = Q()
    if low is not None:
        q &= Q(**{f"{field_name}__gte": low})
    if high is not None:
        q &= Q(**{f"{field_name}__lte": high})
    return q


def timeliness_histogram(region: Region) -> list[tuple[str, int]]:
    """First publications of an area by days from information date to publication (one query).

    Sums the per-county tallies that publish_version keeps, not the versions themselves.
    """
    counts = TimelinessTally.objects.filter(region__in=area_region_ids(region)).aggregate(
        **{
            f"b{i}": Coalesce(Sum("count", filter=_bucket_q(lo, hi)), 0)
            for i, (_, lo, hi) in enumerate(TIMELINESS_BUCKETS)
        }
    )
    return [(label, counts[f"b{i}"]) for i, (label, _, _) in enumerate(TIMELINESS_BUCKETS)]


def late_publication_count(region: Region) -> int:
    """First publications of an area later than its county's timeliness threshold (one query)."""
    from gongshi.supervision.timeliness import threshold_expression

    return TimelinessTally.objects.filter(
        region__in=area_region_ids(region), days__gt=threshold_expression("region__code")
    ).aggregate(n=Coalesce(Sum("count"), 0))["n"]
