"""The regulator's dashboard and worklists for an area: every figure one database aggregate.

Each figure carries the query string of its drill-down (the projects behind the number), so
the page, the CSV/Excel export and the chart all read the same structure.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _

from gongshi.core.choices import DeliveryStandard, HousingType, Stage
from gongshi.disclosures.models import (
    Disclosure,
    DisclosureVersion,
    PublicationTally,
    TimelinessTally,
    VersionStatus,
)
from gongshi.projects.models import Project
from gongshi.public.retention import ONLINE_MONTHS_AFTER_COMPLETION, add_months
from gongshi.regions.models import Region, RegionLevel
from gongshi.supervision import county
from gongshi.supervision.figures import annotate_kept_required
from gongshi.supervision.metrics import (
    CompletenessTotals,
    area_region_ids,
    completeness_by_city,
    late_publication_count,
    overdue_cutoff,
    question_figures,
    timeliness_histogram,
)
from gongshi.supervision.models import CountyTally, Inspection, ProjectFigures
from gongshi.supervision.timeliness import threshold_expression


def _at_least(share: Fraction) -> GreaterThanOrEqual:
    """required_public / required_due ≥ share, in integers (exact; true when nothing is due)."""
    return GreaterThanOrEqual(
        F("required_public") * share.denominator, F("required_due") * share.numerator
    )


# On required_public and required_due rather than the float completeness, so the dashboard's
# aggregate computes each project's public count once, not again inside a ratio.
COMPLETENESS_BANDS = [
    ("100%", "full", Q(_at_least(Fraction(1)))),
    ("80–99%", "80", Q(_at_least(Fraction(4, 5))) & ~Q(_at_least(Fraction(1)))),
    ("50–79%", "50", Q(_at_least(Fraction(1, 2))) & ~Q(_at_least(Fraction(4, 5)))),
    ("<50%", "low", ~Q(_at_least(Fraction(1, 2)))),
]
COMPLETENESS_FILTERS = {key: q for _, key, q in COMPLETENESS_BANDS}


@dataclass
class Figure:
    label: str
    value: float | int
    drill: str = ""  # query string for /supervision/projects/


@dataclass
class Dashboard:
    region: Region
    today: dt.date
    totals: dict = field(default_factory=dict)
    by_stage: list[Figure] = field(default_factory=list)
    by_type: list[Figure] = field(default_factory=list)
    completeness: list[Figure] = field(default_factory=list)
    timeliness: list[Figure] = field(default_factory=list)
    questions: list[Figure] = field(default_factory=list)
    trends: list[dict] = field(default_factory=list)
    #: the provincial department's comparison of its cities (empty for a city's regulator)
    by_city: list[dict] = field(default_factory=list)
    #: visible questions asked per local month (first day → n), from the county tallies
    asked_by_month: dict = field(default_factory=dict)

    def summary(self) -> list[Figure]:
        """The headline figures, as numbers (rates and shares in per cent), for the exports."""
        t = self.totals

        def percent(share):
            return round(share * 100, 1) if share is not None else ""

        def ratio(value, places):
            return round(value, places) if value is not None else ""

        return [
            Figure(_("项目"), t["projects"]),
            Figure(_("平均公示完整性（%）"), percent(t["average_completeness"])),
            Figure(_("缺少必须公示事项的项目"), t["missing_required"]),
            Figure(_("逾期公示的事项"), t["late_publications"]),
            Figure(_("每项目投诉"), ratio(t["complaints_per_project"], 2)),
            Figure(_("每万平方米投诉"), ratio(t["complaints_per_10k_m2"], 3)),
            Figure(_("开放日未关闭的核查不符问题"), t["open_discrepancies"]),
            Figure(_("逾期未检查（重点监管）"), t["overdue_inspections"]),
            Figure(_("仍须在线公示的项目"), t["online_required"]),
            Figure(_("开工半年以上未办开放日"), t["without_open_day"]),
            Figure(_("答复率（%）"), percent(t["answered_rate"])),
            Figure(_("解决率（%）"), percent(t["resolved_rate"])),
        ]

    def tables(self) -> list[tuple[str, list[Figure]]]:
        """Every figure group, for the page's tables and the exports."""
        return [
            (_("按阶段"), self.by_stage),
            (_("按住房类型和交付标准"), self.by_type),
            (_("公示完整性"), self.completeness),
            (_("公示及时性（信息形成至公示的天数）"), self.timeliness),
            (_("咨询投诉"), self.questions),
        ]


def online_disclosure_cutoff(today: dt.date) -> dt.date:
    """The earliest completion-acceptance date whose online disclosure is still required today.

    Online disclosure lasts until completion acceptance + 6 months, inclusive.
    """
    day = add_months(today, -ONLINE_MONTHS_AFTER_COMPLETION)
    while add_months(day - dt.timedelta(days=1), ONLINE_MONTHS_AFTER_COMPLETION) >= today:
        day -= dt.timedelta(days=1)
    while add_months(day, ONLINE_MONTHS_AFTER_COMPLETION) < today:
        day += dt.timedelta(days=1)
    return day


def online_disclosure_required(projects: QuerySet, today: dt.date) -> QuerySet:
    return projects.filter(
        Q(completion_accepted_on__isnull=True)
        | Q(completion_accepted_on__gte=online_disclosure_cutoff(today))
    )


#: How long a project may be under construction before an open day is expected (§6.2: the
#: developer holds site open days "according to the progress of the works").
OPEN_DAY_AFTER_DAYS = 180


def scan_mismatch_count(projects: QuerySet) -> int:
    """Projects with a published version whose scan does not show a typed field."""
    return projects.filter(pk__in=flagged_projects()).count()


def flagged_projects() -> QuerySet:
    """The projects of published versions with a scan flag, found from the (few) flags.

    Joined the other way round, SQLite walked the whole version table (10,000,000 rows at
    provincial scale) to find the flagged ones: the flags' version ids come first.
    """
    from gongshi.scancheck.models import ScanFlag

    return DisclosureVersion.objects.filter(
        pk__in=ScanFlag.objects.values("version"), status=VersionStatus.PUBLISHED
    ).values("disclosure__project")


def without_open_day(projects: QuerySet, today: dt.date) -> QuerySet:
    """Projects building for over six months that have never scheduled a site open day."""
    from gongshi.participation.models import OpenDay

    return projects.filter(
        stage=Stage.UNDER_CONSTRUCTION,
        started_on__lte=today - dt.timedelta(days=OPEN_DAY_AFTER_DAYS),
    ).exclude(pk__in=OpenDay.objects.values("project"))


def stale_boards(projects: QuerySet, days: int | None = None) -> QuerySet:
    """Projects whose latest board printed by the developer is older than their latest
    publication by more than ``days`` (GONGSHI_BOARD_STALE_DAYS, 30 by default): the board
    on the wall (§5.2: updated as work progresses) no longer shows what the site does."""
    from django.conf import settings
    from django.db.models import DateTimeField, ExpressionWrapper, OuterRef, Subquery

    from gongshi.public.models import BoardPrint

    days = days if days is not None else getattr(settings, "GONGSHI_BOARD_STALE_DAYS", 30)
    latest_print = (
        BoardPrint.objects.filter(project=OuterRef("pk"), by_developer=True)
        .order_by("-printed_at")
        .values("printed_at")[:1]
    )
    # Only projects with a developer's print, and their latest publication as publish_version
    # keeps it on the project row (not a maximum over its versions per request).
    return (
        projects.filter(pk__in=BoardPrint.objects.filter(by_developer=True).values("project"))
        .annotate(
            board_printed_at=Subquery(latest_print, output_field=DateTimeField()),
            latest_published_at=F("last_published_at"),
        )
        .filter(
            board_printed_at__lt=ExpressionWrapper(
                F("latest_published_at") - dt.timedelta(days=days), output_field=DateTimeField()
            )
        )
    )


def area_projects(region: Region) -> QuerySet:
    return Project.objects.within(region)


def late_first_publications(region: Region) -> QuerySet:
    """Disclosures of the area whose first publication came after the county's threshold."""
    return Disclosure.objects.filter(
        first_timeliness_days__gt=threshold_expression("project__region__code"),
        project__region__in=area_region_ids(region),
    )


def _totals(pairs: Counter, floor: int) -> CompletenessTotals:
    totals = CompletenessTotals(
        floor_area=floor / 100, bands={"full": 0, "80": 0, "50": 0, "low": 0}
    )
    for (due, public), n in pairs.items():
        if not n:
            continue
        totals.projects += n
        totals.missing += n if public < due else 0
        totals.completeness_sum += n * (1.0 if due == 0 else public / due)
        if public >= due:
            band = "full"
        elif public * 5 >= due * 4:
            band = "80"
        elif public * 2 >= due:
            band = "50"
        else:
            band = "low"
        totals.bands[band] += n
    return totals


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def kept_figures(region: Region, today: dt.date | None = None) -> county.AreaFigures:
    """The dashboard's counts for ``region`` on ``today`` (:mod:`.county`): one grouped read of
    the county rows,
    then the date-dependent parts (four small indexed queries, and the requirement groups of
    the projects whose kept completeness a date has overtaken)."""
    from gongshi.participation.models import OpenDay, Question, QuestionKind
    from gongshi.participation.workdays import calendar_for

    today = today or timezone.localdate()
    result = county.AreaFigures()
    pairs: dict[str, Counter] = defaultdict(Counter)
    floor: Counter = Counter()
    done: Counter = Counter()
    no_open_day: Counter = Counter()
    questions: Counter = Counter()  # (month, kind, answered, resolved, deadline) → n
    rows = (
        CountyTally.objects.filter(region__in=area_region_ids(region))
        .exclude(count=0)
        .order_by()
        .values_list(Substr("region__code", 1, 4), "key")
        .annotate(n=Sum("count"))
    )
    for city, key, n in rows:
        kind, _, rest = key.partition(":")
        if kind == "p":
            stage, housing, standard = rest.split(":")
            result.by_stage[stage] += n
            result.by_type[(housing, standard)] += n
        elif kind == "r":
            due, public = rest.split(":")
            pairs[city][(int(due), int(public))] += n
        elif kind == "floor":
            floor[city] += n
        elif kind == "done":
            done[county.month_start(rest)] += n
        elif kind == "nod":
            no_open_day[county.month_start(rest)] += n
        elif kind == "disc":
            result.open_discrepancies += n
        elif kind == "q":
            month, q_kind, state, deadline = rest.split(":")
            start = county.month_start(month)
            questions[(start, q_kind, state[0] == "1", state[1] == "1", int(deadline))] += n
            if q_kind == QuestionKind.COMPLAINT:
                result.complaints_by_city[city] += n

    # Completeness: the projects whose kept pair a date has overtaken, counted live.
    stale_rows = ProjectFigures.objects.filter(
        Q(counted_on__gt=today) | Q(required_until__lte=today)
    ).values("project")
    stale = annotate_kept_required(Project.objects.within(region).filter(pk__in=stale_rows), today)
    for city, kept_due, kept_public, due, public in (
        stale.annotate(city=Substr("region__code", 1, 4))
        .order_by()
        .values_list(
            "city",
            "figures__required_due",
            "figures__required_public",
            "required_due",
            "required_public",
        )
    ):
        pairs[city][(kept_due, kept_public)] -= 1
        pairs[city][(due, public)] += 1
    result.by_city = {city: _totals(pairs[city], floor[city]) for city in sorted(pairs)}
    total = sum(result.by_stage.values())

    # Online disclosure ends six months after completion acceptance: the kept months before
    # the cut-off's month, and that month's projects counted.
    cutoff = online_disclosure_cutoff(today)
    first = cutoff.replace(day=1)
    ended = sum(n for month, n in done.items() if month < first)
    ended += (
        Project.objects.within(region)
        .filter(completion_accepted_on__gte=first, completion_accepted_on__lt=cutoff)
        .count()
    )
    result.online_required = total - ended

    limit = today - dt.timedelta(days=OPEN_DAY_AFTER_DAYS)
    first = limit.replace(day=1)
    result.without_open_day = sum(n for month, n in no_open_day.items() if month < first)
    result.without_open_day += (
        Project.objects.within(region)
        .filter(stage=Stage.UNDER_CONSTRUCTION, started_on__gte=first, started_on__lte=limit)
        .exclude(pk__in=OpenDay.objects.values("project"))
        .count()
    )

    # Questions: totals and months from the tally; overdue = unanswered ones asked on or
    # before each deadline's cut-off — the kept months before it, and its month counted.
    figures = {"asked": 0, "complaints": 0, "answered": 0, "resolved": 0, "overdue": 0}
    deadlines = sorted({key[4] for key, n in questions.items() if n and not key[2]})
    cal = calendar_for([today - dt.timedelta(days=max(deadlines, default=0) * 2 + 40)])
    cutoffs = {n: overdue_cutoff(n, today, cal) for n in deadlines}
    for (month, q_kind, answered, resolved, deadline), n in questions.items():
        figures["asked"] += n
        figures["complaints"] += n if q_kind == QuestionKind.COMPLAINT else 0
        figures["answered"] += n if answered else 0
        figures["resolved"] += n if resolved else 0
        result.asked_by_month[month] += n
        if not answered and month < cutoffs[deadline].replace(day=1):
            figures["overdue"] += n
    # One query whatever the data (a condition that matches nothing when no one waits).
    boundary = Q(deadline_working_days__lt=0)
    for n, day in cutoffs.items():
        boundary |= Q(
            deadline_working_days=n,
            asked_at__gte=_aware(day.replace(day=1)),
            asked_at__lt=_aware(day + dt.timedelta(days=1)),
        )
    # The whole span as one range too, so the partial index is searched, not scanned.
    starts = [_aware(day.replace(day=1)) for day in cutoffs.values()] or [_aware(today)]
    ends = [_aware(day + dt.timedelta(days=1)) for day in cutoffs.values()] or [_aware(today)]
    figures["overdue"] += (
        Question.objects.visible()
        .within(region)
        .filter(answered_at__isnull=True, asked_at__gte=min(starts), asked_at__lt=max(ends))
        .filter(boundary)
        .count()
    )
    result.questions = figures
    return result


def live_figures(region: Region, today: dt.date | None = None):
    """The counts :func:`county.area_figures` reads from the kept tallies, counted from the
    projects and questions themselves (tests compare the two; not used by the pages)."""
    from gongshi.participation.models import Finding, Question, QuestionKind

    today = today or timezone.localdate()
    projects = area_projects(region)
    result = county.AreaFigures()
    result.by_stage.update(dict(projects.order_by().values_list("stage").annotate(n=Count("pk"))))
    result.by_type.update(
        {
            (h, d): n
            for h, d, n in projects.order_by()
            .values_list("housing_type", "delivery_standard")
            .annotate(n=Count("pk"))
        }
    )
    result.by_city = completeness_by_city(projects, today, annotate=annotate_kept_required)
    result.questions = question_figures(region, today)
    result.complaints_by_city.update(
        dict(
            Question.objects.visible()
            .within(region)
            .filter(kind=QuestionKind.COMPLAINT)
            .order_by()
            .values_list(Substr("project__region__code", 1, 4))
            .annotate(n=Count("pk"))
        )
    )
    for asked_at in Question.objects.visible().within(region).values_list("asked_at", flat=True):
        result.asked_by_month[timezone.localtime(asked_at).date().replace(day=1)] += 1
    result.online_required = online_disclosure_required(projects, today).count()
    result.without_open_day = without_open_day(projects, today).count()
    result.open_discrepancies = Finding.objects.within(region).open_discrepancies().count()
    return result


def build_dashboard(region: Region, today: dt.date | None = None) -> Dashboard:
    """The dashboard of ``region``, from the per-county tallies kept in the writing
    transactions (:mod:`gongshi.supervision.county`) and the publication tallies."""
    today = today or timezone.localdate()
    board = Dashboard(region=region, today=today)
    kept = kept_figures(region, today)
    board.by_stage = [
        Figure(s.label, kept.by_stage.get(s.value, 0), f"stage={s.value}") for s in Stage
    ]
    board.by_type = [
        Figure(
            f"{h.label} · {d.label}",
            kept.by_type.get((h.value, d.value), 0),
            f"housing_type={h.value}&delivery_standard={d.value}",
        )
        for h in HousingType
        for d in DeliveryStandard
    ]
    by_city = kept.by_city
    area = CompletenessTotals()
    for totals in by_city.values():
        area = area.add(totals)
    board.completeness = [
        Figure(label, area.bands.get(key, 0), f"completeness={key}")
        for label, key, _ in COMPLETENESS_BANDS
    ]
    board.timeliness = [Figure(label, n) for label, n in timeliness_histogram(region)]
    q = kept.questions
    board.questions = [
        Figure(_("咨询投诉总数"), q["asked"], "questions=any"),
        Figure(_("已答复"), q["answered"]),
        Figure(_("已解决（提问人确认）"), q["resolved"]),
        Figure(_("逾期未答复"), q["overdue"], "worklist=overdue_questions"),
        Figure(_("投诉"), q["complaints"], "questions=complaints"),
    ]
    total = area.projects
    floor_area = area.floor_area
    projects = area_projects(region)
    board.totals = {
        "projects": total,
        "average_completeness": area.average,
        "missing_required": area.missing,
        "late_publications": late_publication_count(region),
        "complaints_per_project": q["complaints"] / total if total else None,
        "complaints_per_10k_m2": q["complaints"] * 10000 / floor_area if floor_area else None,
        "open_discrepancies": kept.open_discrepancies,
        "overdue_inspections": Inspection.objects.within(region).overdue(today).count(),
        "online_required": kept.online_required,
        "without_open_day": kept.without_open_day,
        "scan_mismatches": scan_mismatch_count(projects),
        "answered_rate": q["answered"] / q["asked"] if q["asked"] else None,
        "resolved_rate": q["resolved"] / q["asked"] if q["asked"] else None,
    }
    board.asked_by_month = kept.asked_by_month
    board.trends = monthly_trends(region, today, asked=kept.asked_by_month)
    if region.level == RegionLevel.PROVINCE:
        board.by_city = cities_compared(region, by_city, kept.complaints_by_city)
    return board


def cities_compared(
    province: Region,
    completeness: dict[str, CompletenessTotals],
    complaints: dict[str, int] | None = None,
) -> list[dict]:
    """Each prefecture-level division side by side: projects, completeness, projects missing
    required items, late first publications, complaints (two more small queries; complaints
    counted when the caller has no kept ones)."""
    from gongshi.participation.models import Question, QuestionKind

    city_of = Substr("region__code", 1, 4)
    late = dict(
        TimelinessTally.objects.filter(
            region__in=area_region_ids(province), days__gt=threshold_expression("region__code")
        )
        .order_by()
        .values_list(city_of)
        .annotate(n=Sum("count"))
    )
    if complaints is None:
        complaints = dict(
            Question.objects.visible()
            .within(province)
            .filter(kind=QuestionKind.COMPLAINT)
            .order_by()
            .values_list(Substr("project__region__code", 1, 4))
            .annotate(n=Count("pk"))
        )
    result = []
    for city in Region.objects.within(province).prefectures().order_by("code"):
        prefix = city.code[:4]
        totals = completeness.get(prefix, CompletenessTotals())
        result.append(
            {
                "city": city,
                "projects": totals.projects,
                "average": totals.average,
                "missing": totals.missing,
                "late": late.get(prefix, 0),
                "complaints": complaints.get(prefix, 0),
            }
        )
    return result


def _month_starts(today: dt.date, months: int) -> list[dt.date]:
    first = today.replace(day=1)
    return [add_months(first, -i) for i in range(months - 1, -1, -1)]


def monthly_trends(
    region: Region, today: dt.date, months: int = 12, *, asked: dict | None = None
) -> list[dict]:
    """Publications and questions per month over the last ``months`` months (one query, two
    without ``asked``).

    Publications are summed from the per-county monthly tallies publish_version keeps (all
    kinds: first publications, corrections, withdrawals); questions come from ``asked`` (first
    day of the local month → visible questions asked, as the county tallies keep them) or are
    counted with one filtered COUNT per month over an ``asked_at`` range.
    """
    from gongshi.participation.models import Question

    starts = _month_starts(today, months)
    published = dict(
        PublicationTally.objects.filter(
            region__in=area_region_ids(region), month__gte=starts[0], month__lte=starts[-1]
        )
        .values_list("month")
        .annotate(n=Sum("count"))
        .order_by()
    )
    if asked is not None:
        return [
            {
                "month": m.strftime("%Y-%m"),
                "publications": published.get(m, 0),
                "questions": asked.get(m, 0),
            }
            for m in starts
        ]
    bounds = [
        timezone.make_aware(dt.datetime.combine(d, dt.time()))
        for d in [*starts, add_months(starts[-1], 1)]
    ]
    asked = Question.objects.visible().within(region)
    counts = asked.filter(asked_at__gte=bounds[0], asked_at__lt=bounds[-1]).aggregate(
        **{
            f"m{i}": Count("pk", filter=Q(asked_at__gte=bounds[i], asked_at__lt=bounds[i + 1]))
            for i in range(months)
        }
    )
    return [
        {
            "month": m.strftime("%Y-%m"),
            "publications": published.get(m, 0),
            "questions": counts[f"m{i}"],
        }
        for i, m in enumerate(starts)
    ]
