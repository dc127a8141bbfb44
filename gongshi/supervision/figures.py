"""Each project's score counts, kept in the writing transaction (:class:`ProjectFigures`).

The live counts — each project's public required items, first publications on time,
questions, complaints, open discrepancies — are correlated counts over the disclosures,
questions and findings. The dashboard and the score-sorted drill-down need them for every
project of an area, so computing them per request grew with the data (0.5 s at 10,000
projects, seconds at 100,000). Instead:

* :func:`refresh` recounts one project's row from the live counts. It runs in the same
  transaction as whatever changed them: an item becoming complete or not (a publication,
  withdrawal, "does not apply", a change of its required instances — sent as
  ``disclosures.signals.disclosures_changed``), a question or finding saved, the project
  itself saved (stage, stage dates, type, county). A first publication only adds one
  (and one on time) with a single UPDATE; a correction that changes no completion costs
  nothing;
* :func:`annotate_figures` reads the kept row and derives what depends on the date at read
  time: a kept required count past its ``required_until`` (a local item or raised requirement
  taking effect), or an on-time count made under another threshold, is counted live for that
  project only, and so is an overdue count past ``overdue_until`` (another unanswered
  question has passed its deadline since) — a holiday entered moves deadlines, so it marks
  the overdue counts stale too;
* a change to the local checklist marks its area's rows stale (:func:`mark_stale`);
* :func:`differences` / :func:`rebuild` are ``gongshi recount`` and ``recount --fix``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from gongshi.catalogue.models import CatalogueItem, LocalRequirement
from gongshi.disclosures.checklist import region_codes
from gongshi.disclosures.models import Disclosure
from gongshi.projects.models import Project
from gongshi.supervision.metrics import (
    annotate_required,
    overdue_questions_q,
    required_expressions,
    requirement_groups,
)
from gongshi.supervision.models import CountyShare, ProjectFigures
from gongshi.supervision.timeliness import threshold_expression

#: The kept columns, in the order :func:`live_rows` returns them.
KEPT = [
    "counted_on",
    "required_due",
    "required_public",
    "required_until",
    "first_publications",
    "on_time_publications",
    "on_time_threshold",
    "questions_asked",
    "unanswered_questions",
    "complaints",
    "open_discrepancies",
    "overdue_questions",
    "overdue_until",
]
CHUNK = 2000


def count_of(queryset: QuerySet, outer: str = "project") -> Coalesce:
    """A correlated count of ``queryset``'s rows for the outer project (0 when none)."""
    return Coalesce(
        Subquery(
            queryset.filter(**{outer: OuterRef("pk")})
            .order_by()
            .values(outer)
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _first_publications() -> QuerySet:
    return Disclosure.objects.filter(first_timeliness_days__isnull=False)


def _on_time(threshold: str = "timeliness_threshold") -> Coalesce:
    return count_of(_first_publications().filter(first_timeliness_days__lte=OuterRef(threshold)))


def overdue_count(today: dt.date) -> Coalesce | Value:
    """Each project's unanswered visible questions past their deadline on ``today`` (live)."""
    from gongshi.participation.models import Question

    deadlines = list(
        Question.objects.order_by().values_list("deadline_working_days", flat=True).distinct()
    )
    if not deadlines:
        return Value(0, IntegerField())
    return count_of(Question.objects.visible().filter(overdue_questions_q(deadlines, today)))


# --- the live counts -----------------------------------------------------------------------


def _live(projects: QuerySet, today: dt.date) -> QuerySet:
    from gongshi.participation.models import Finding, Question, QuestionKind

    visible = Question.objects.visible()
    return annotate_required(projects, today).annotate(
        timeliness_threshold=threshold_expression("region__code"),
        first_publications=count_of(_first_publications()),
        on_time_publications=_on_time(),
        questions_asked=count_of(visible),
        unanswered_questions=count_of(visible.filter(answered_at__isnull=True)),
        complaints=count_of(visible.filter(kind=QuestionKind.COMPLAINT)),
        open_discrepancies=count_of(Finding.objects.open_discrepancies(), "open_day__project"),
    )


def _next_changes(codes: set[str], today: dt.date) -> dict[str, dt.date | None]:
    """For each county code: the first date after ``today`` on which a local item or a raised
    requirement of its area takes effect (its required set may change then), or None."""
    areas = {code: region_codes(code) for code in codes}
    wanted = set().union(*areas.values()) if areas else set()
    dates: list[tuple[str | None, dt.date]] = list(
        CatalogueItem.objects.filter(
            Q(region__isnull=True) | Q(region__code__in=wanted),
            active=True,
            effective_from__gt=today,
        ).values_list("region__code", "effective_from")
    )
    dates += list(
        LocalRequirement.objects.filter(
            region__code__in=wanted, effective_from__gt=today
        ).values_list("region__code", "effective_from")
    )
    result = {}
    for code, area in areas.items():
        found = [day for where, day in dates if where is None or where in area]
        result[code] = min(found) if found else None
    return result


def live_rows(project_ids: Iterable[int], today: dt.date | None = None) -> dict[int, tuple]:
    """What each project's kept row should hold today, counted from the source rows."""
    today = today or timezone.localdate()
    ids = list(project_ids)
    rows: dict[int, tuple] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found = list(
            _live(Project.objects.filter(pk__in=chunk), today)
            .order_by()
            .values_list(
                "pk",
                "region__code",
                "required_due",
                "required_public",
                "first_publications",
                "on_time_publications",
                "timeliness_threshold",
                "questions_asked",
                "unanswered_questions",
                "complaints",
                "open_discrepancies",
            )
        )
        until = _next_changes({r[1] for r in found}, today)
        overdue = _overdue([r[0] for r in found if r[8]], today)
        for pk, code, due, public, *rest in found:
            rows[pk] = (today, due, public, until[code], *rest, *overdue.get(pk, (0, None)))
    return rows


def _overdue(project_ids: list[int], today: dt.date) -> dict[int, tuple[int, dt.date | None]]:
    """For each project: its unanswered visible questions past their deadline on ``today``,
    and the first later day on which another one passes its deadline (None: no other)."""
    from gongshi.participation.models import Question
    from gongshi.participation.workdays import calendar_for

    if not project_ids:
        return {}
    questions = list(
        Question.objects.visible()
        .filter(project__in=project_ids, answered_at__isnull=True)
        .values_list("project", "asked_at", "deadline_working_days")
    )
    asked = [timezone.localdate(at) for _, at, _ in questions]
    cal = calendar_for(asked, max(n for *_, n in questions)) if questions else None
    found: dict[int, tuple[int, dt.date | None]] = {}
    for (project, _, days), day in zip(questions, asked, strict=True):
        # Overdue once today is after the deadline (as metrics.overdue_questions_q counts).
        overdue_from = cal.add_working_days(day, days) + dt.timedelta(days=1)
        count, until = found.get(project, (0, None))
        if overdue_from <= today:
            count += 1
        elif until is None or overdue_from < until:
            until = overdue_from
        found[project] = (count, until)
    return found


# --- keeping -----------------------------------------------------------------------------


def refresh(
    project_ids: Iterable[int], today: dt.date | None = None, *, tally: bool = True
) -> None:
    """Rewrite the kept rows of these projects from the live counts (one upsert), and move
    their counties' tallies by the difference (``county.apply``; ``tally=False``: the caller
    rewrites the tallies afterwards, as :func:`rebuild` does)."""
    from gongshi.supervision import county

    ids = sorted(set(project_ids))
    with transaction.atomic():
        old: dict[int, dict] = {}
        if tally:
            # Locked (PostgreSQL) so two writers of one project move its share one after the
            # other; SQLite serialises writers anyway.
            for start in range(0, len(ids), CHUNK):
                old.update(
                    CountyShare.objects.select_for_update()
                    .filter(project__in=ids[start : start + CHUNK])
                    .values_list("pk", "share")
                )
        rows = live_rows(ids, today)
        at = {name: i for i, name in enumerate(KEPT)}
        shares = county.contributions(
            {
                pk: (
                    row[at["required_due"]],
                    row[at["required_public"]],
                    row[at["open_discrepancies"]],
                )
                for pk, row in rows.items()
            }
        )
        ProjectFigures.objects.bulk_create(
            [
                ProjectFigures(project_id=pk, **dict(zip(KEPT, row, strict=True)))
                for pk, row in rows.items()
            ],
            update_conflicts=True,
            unique_fields=["project"],
            update_fields=KEPT,
            batch_size=500,
        )
        changed = [pk for pk in rows if old.get(pk) != shares[pk]]
        CountyShare.objects.bulk_create(
            [CountyShare(project_id=pk, share=shares[pk]) for pk in changed],
            update_conflicts=True,
            unique_fields=["project"],
            update_fields=["share"],
            batch_size=500,
        )
        if tally:
            for pk in changed:
                county.apply(old.get(pk), shares[pk])


def mark_stale(region=None, today: dt.date | None = None) -> int:
    """The local checklist of ``region`` (None: the national catalogue) changed: the kept
    required counts of its projects no longer hold; readers count those live until the next
    refresh (``gongshi recount --fix``)."""
    today = today or timezone.localdate()
    rows = ProjectFigures.objects.filter(
        Q(required_until__isnull=True) | Q(required_until__gt=today)
    )
    if region is not None:
        rows = rows.filter(project__region__code__startswith=region.prefix)
    return rows.update(required_until=today)


def rebuild(today: dt.date | None = None) -> None:
    """Rewrite every project's row (``gongshi recount --fix``, the bench after seeding)."""
    ids = list(Project.objects.order_by("pk").values_list("pk", flat=True))
    from gongshi.supervision import county

    ProjectFigures.objects.exclude(project__in=Project.objects.values("pk")).delete()
    refresh(ids, today, tally=False)
    county.rewrite(CountyShare.objects.values_list("share", flat=True).iterator(chunk_size=CHUNK))


def differences(today: dt.date | None = None) -> list[str]:
    """Kept rows that disagree with the live counts (a stale row counts as agreeing when its
    required count is the one readers derive live: that is what it is for)."""
    today = today or timezone.localdate()
    ids = list(Project.objects.order_by("pk").values_list("pk", flat=True))
    kept = {
        row[0]: row[1:]
        for row in ProjectFigures.objects.values_list("pk", *KEPT).iterator(chunk_size=CHUNK)
    }
    found: list[str] = []
    want = live_rows(ids, today)
    for pk in ids:
        have = kept.get(pk)
        if have is None:
            found.append(f"ProjectFigures {pk}: missing")
        elif _disagree(have, want[pk], today):
            pairs = ", ".join(
                f"{name} stored {a}, counted {b}"
                for name, a, b in zip(KEPT, have, want[pk], strict=True)
                if a != b
            )
            found.append(f"ProjectFigures {pk}: {pairs}")
        if len(found) >= 20:
            break
    from gongshi.supervision import county

    return found + county.differences()


def _disagree(have: tuple, want: tuple, today: dt.date) -> bool:
    have_d, want_d = dict(zip(KEPT, have, strict=True)), dict(zip(KEPT, want, strict=True))
    have_d.pop("counted_on"), want_d.pop("counted_on")
    if have_d["required_until"] is not None and have_d["required_until"] <= today:
        # Stale: readers count it live; only the date-independent columns must hold.
        for name in ("required_due", "required_public", "required_until"):
            have_d.pop(name), want_d.pop(name)
    if have_d["overdue_until"] is not None and have_d["overdue_until"] <= today:
        for name in ("overdue_questions", "overdue_until"):  # stale: counted live
            have_d.pop(name), want_d.pop(name)
    if have_d["on_time_threshold"] != want_d["on_time_threshold"]:
        # Made under another threshold: readers count it live.
        for name in ("on_time_publications", "on_time_threshold"):
            have_d.pop(name), want_d.pop(name)
    return have_d != want_d


# --- reading -----------------------------------------------------------------------------


def _holds(until: str, today: dt.date) -> Q:
    """A kept date-dependent count holds on ``today``: counted on or before it, and ``today``
    is before the date it stops holding (``until``; none: until a write changes it)."""
    return Q(figures__counted_on__lte=today) & (
        Q(**{f"figures__{until}__isnull": True}) | Q(**{f"figures__{until}__gt": today})
    )


def fresh_required(today: dt.date) -> Q:
    """The kept required counts still hold on ``today``."""
    return _holds("required_until", today)


def annotate_kept_required(projects: QuerySet, today: dt.date | None = None) -> QuerySet:
    """``required_due`` and ``required_public`` from the kept rows; live for stale ones only.

    The requirement groups are worked out over the stale projects alone (one indexed query
    when there are none), and the live counts run only on their rows of the CASE.
    """
    today = today or timezone.localdate()
    # Found from the kept rows' indexes (counted_on, required_until), not by testing each
    # project of the area.
    stale = projects.filter(
        pk__in=ProjectFigures.objects.filter(
            Q(counted_on__isnull=True) | Q(counted_on__gt=today) | Q(required_until__lte=today)
        ).values("project")
    )
    live = required_expressions(requirement_groups(stale, today))
    fresh = fresh_required(today)
    return projects.annotate(
        required_due=Case(
            When(fresh, then=Coalesce(F("figures__required_due"), 0)),
            default=live["required_due"],
            output_field=IntegerField(),
        ),
        required_public=Case(
            When(fresh, then=Coalesce(F("figures__required_public"), 0)),
            default=live["required_public"],
            output_field=IntegerField(),
        ),
    )


def annotate_figures(projects: QuerySet, today: dt.date | None = None) -> QuerySet:
    """The score's counts: kept ones where they hold on ``today``, live ones where not."""
    today = today or timezone.localdate()
    threshold = threshold_expression("region__code")
    return annotate_kept_required(projects, today).annotate(
        timeliness_threshold=threshold,
        first_publications=Coalesce(F("figures__first_publications"), 0),
        on_time_publications=Case(
            When(figures__on_time_threshold=threshold, then=F("figures__on_time_publications")),
            default=_on_time(),
            output_field=IntegerField(),
        ),
        questions_asked=Coalesce(F("figures__questions_asked"), 0),
        questions_overdue=Case(
            When(figures__unanswered_questions=0, then=Value(0)),
            When(_holds("overdue_until", today), then=F("figures__overdue_questions")),
            default=overdue_count(today),
            output_field=IntegerField(),
        ),
        complaints_count=Coalesce(F("figures__complaints"), 0),
        open_discrepancies=Coalesce(F("figures__open_discrepancies"), 0),
    )


# --- keeping them in the writing transaction -----------------------------------------------


def _disclosures_changed(
    sender, *, project_id, today=None, completion_changed=False, first_timeliness_days=None, **kw
) -> None:
    if completion_changed:
        refresh([project_id], today)
        return
    if first_timeliness_days is not None:
        # A first publication: one more, on time by the threshold the row was counted with.
        ProjectFigures.objects.filter(project_id=project_id).update(
            first_publications=F("first_publications") + 1,
            on_time_publications=F("on_time_publications")
            + Case(
                When(on_time_threshold__gte=first_timeliness_days, then=Value(1)),
                default=Value(0),
            ),
        )


def _project_saved(sender, instance, raw=False, **kw) -> None:
    if not raw:  # fixtures: `gongshi recount --fix` afterwards
        refresh([instance.pk])


def _question_changed(sender, instance, raw=False, **kw) -> None:
    if not raw:
        refresh([instance.project_id])


def _finding_changed(sender, instance, raw=False, **kw) -> None:
    if raw:
        return
    from gongshi.participation.models import OpenDay

    project_id = OpenDay.objects.filter(pk=instance.open_day_id).values_list("project", flat=True)
    refresh(list(project_id))


def _open_day_changed(sender, instance, raw=False, **kw) -> None:
    if not raw and Project.objects.filter(pk=instance.project_id).exists():
        refresh([instance.project_id])


def _checklist_changed(sender, instance, **kw) -> None:
    mark_stale(instance.region)


def _calendar_changed(sender, instance, **kw) -> None:
    """A holiday entered or corrected moves deadlines: kept overdue counts are read live."""
    today = timezone.localdate()
    ProjectFigures.objects.filter(unanswered_questions__gt=0).filter(
        Q(overdue_until__isnull=True) | Q(overdue_until__gt=today)
    ).update(overdue_until=today)


def connect() -> None:
    """Keep the rows from every write that changes them (SupervisionConfig.ready)."""
    from django.db.models.signals import post_delete, post_save, pre_delete

    from gongshi.disclosures import tallies
    from gongshi.disclosures.signals import disclosures_changed
    from gongshi.participation.models import CalendarDay, Finding, OpenDay, Question
    from gongshi.supervision import county

    disclosures_changed.connect(_disclosures_changed, dispatch_uid="figures")
    post_save.connect(_project_saved, sender=Project, dispatch_uid="figures")
    # Questions and findings are never deleted (an administrator hides a question).
    post_save.connect(_question_changed, sender=Question, dispatch_uid="figures")
    post_save.connect(_finding_changed, sender=Finding, dispatch_uid="figures")
    for model in (CatalogueItem, LocalRequirement):
        post_save.connect(_checklist_changed, sender=model, dispatch_uid="figures")
        post_delete.connect(_checklist_changed, sender=model, dispatch_uid="figures")
    # An open day scheduled or removed: the project's open-day count (county.py).
    post_save.connect(_open_day_changed, sender=OpenDay, dispatch_uid="figures")
    post_delete.connect(_open_day_changed, sender=OpenDay, dispatch_uid="figures")
    pre_delete.connect(county.forget, sender=Project, dispatch_uid="figures")
    post_save.connect(_calendar_changed, sender=CalendarDay, dispatch_uid="figures")
    post_delete.connect(_calendar_changed, sender=CalendarDay, dispatch_uid="figures")
    tallies.kept_elsewhere.append(("ProjectFigures", differences, rebuild))
