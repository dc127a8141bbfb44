"""The disclosure score (公示评分) of a project and of a developer, computed in the database.

    score = 100 × (w₁·C + w₂·T + w₃·R + w₄·K + w₅·D) / (w₁ + w₂ + w₃ + w₄ + w₅)

C completeness — due required items public / due required items (1 when none is due yet);
T timeliness — first publications within the timeliness threshold / first publications (1 when none);
R responsiveness — 1 − unanswered questions past their deadline / questions asked (1 when none);
K complaints — max(0, 1 − complaints per 10,000 m² / complaint cap);
D open-day discrepancies — max(0, 1 − open discrepancies / discrepancy cap).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    FloatField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Greatest
from django.utils import timezone

from gongshi.supervision.figures import annotate_figures
from gongshi.supervision.figures import count_of as _count  # noqa: F401 (opendata, enterprise)
from gongshi.supervision.metrics import completeness_share
from gongshi.supervision.models import ScoreWeights

COMPONENTS = ["completeness", "timeliness", "responsiveness", "complaints", "discrepancies"]


def _share(numerator: str, denominator: str) -> Case:
    return Case(
        When(**{denominator: 0}, then=Value(1.0)),
        default=Cast(F(numerator), FloatField()) / Cast(F(denominator), FloatField()),
        output_field=FloatField(),
    )


def annotate_score(
    projects: QuerySet, weights: ScoreWeights | None = None, today: dt.date | None = None
) -> QuerySet:
    """Add each component (0–1), the raw counts behind them and ``score`` (0–100)."""
    weights = weights or ScoreWeights.current()
    today = today or timezone.localdate()
    # The counts are kept per project in the writing transaction (supervision.figures); what
    # depends on the date is derived here, and counted live only for the projects it touches.
    projects = annotate_figures(projects, today).annotate(completeness=completeness_share())
    cap = float(weights.complaint_cap)
    projects = projects.annotate(
        score_completeness=F("completeness"),
        score_timeliness=_share("on_time_publications", "first_publications"),
        score_responsiveness=Case(
            When(questions_asked=0, then=Value(1.0)),
            default=Value(1.0)
            - Cast(F("questions_overdue"), FloatField()) / Cast(F("questions_asked"), FloatField()),
            output_field=FloatField(),
        ),
        complaints_per_10k=Case(
            When(floor_area__lte=0, then=Value(0.0)),
            default=Cast(F("complaints_count"), FloatField())
            * Value(10000.0)
            / Cast(F("floor_area"), FloatField()),
            output_field=FloatField(),
        ),
        # Hefei's practice: all questions and complaints per 10,000 m² of floor area.
        questions_per_10k=Case(
            When(floor_area__lte=0, then=Value(0.0)),
            default=Cast(F("questions_asked"), FloatField())
            * Value(10000.0)
            / Cast(F("floor_area"), FloatField()),
            output_field=FloatField(),
        ),
    ).annotate(
        score_complaints=Greatest(
            Value(0.0), Value(1.0) - F("complaints_per_10k") / Value(cap), output_field=FloatField()
        ),
        score_discrepancies=Greatest(
            Value(0.0),
            Value(1.0)
            - Cast(F("open_discrepancies"), FloatField()) / Value(float(weights.discrepancy_cap)),
            output_field=FloatField(),
        ),
    )
    total = float(weights.total)
    weighted = sum(
        (F(f"score_{name}") * Value(float(getattr(weights, name))) for name in COMPONENTS),
        Value(0.0),
    )
    return projects.annotate(score=Cast(weighted * Value(100.0) / Value(total), FloatField()))


def developer_scores(
    projects: QuerySet, weights: ScoreWeights | None = None, today: dt.date | None = None
):
    """Each developer's average project score over ``projects`` (one query).

    Also the sums behind its complaint frequency: all questions and complaints asked about
    those projects (``questions``) and their floor area (``floor_area``, m²).
    """
    scored = annotate_score(projects, weights, today)
    return (
        scored.order_by()
        .values("developer", "developer__name", "developer__credit_code")
        .annotate(
            average=Avg("score"),
            projects=Count("pk", distinct=True),
            questions=Sum("questions_asked"),
            floor_area=Sum("floor_area"),
        )
        .order_by("-average")
    )


def score_filter_ranges() -> list[tuple[str, Q]]:
    """Bands for the dashboard and its drill-down."""
    return [
        ("90–100", Q(score__gte=90)),
        ("75–90", Q(score__gte=75, score__lt=90)),
        ("60–75", Q(score__gte=60, score__lt=75)),
        ("<60", Q(score__lt=60)),
    ]
