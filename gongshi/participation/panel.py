"""What the project page's participation panel shows, in a fixed number of queries."""

from __future__ import annotations

from django.utils import timezone

from gongshi.participation import opendays, questions
from gongshi.participation.models import Finding, OpenDay, Question

PANEL_QUESTIONS = 5


def panel_context(project, request=None) -> dict:
    """Context for ``participation/project_panel.html``; the public project view adds
    ``participation=panel_context(project, request)``. Six queries whatever the data."""
    recent = list(Question.objects.filter(project=project)[:PANEL_QUESTIONS])
    all_questions = Question.objects.filter(project=project).only(
        "asked_at", "answered_at", "resolution", "deadline_working_days"
    )
    today = timezone.localdate()
    open_days = list(
        opendays.with_counts(OpenDay.objects.filter(project=project)).order_by("-date")[:6]
    )
    return {
        "project": project,
        "questions": questions.with_deadlines(recent),
        "question_rates": questions.rates(all_questions),
        "upcoming_open_days": [d for d in open_days if d.date >= today and not d.is_reported],
        "reported_open_days": [d for d in open_days if d.is_reported],
        "open_discrepancies": list(
            Finding.objects.open_discrepancies()
            .filter(open_day__project=project)
            .select_related("open_day", "version__disclosure__item")
        ),
    }
