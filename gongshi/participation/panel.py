"""What the project page's participation panel shows, in a fixed number of queries."""

from __future__ import annotations

from django.utils import timezone

from gongshi.participation import opendays, questions, workdays
from gongshi.participation.models import Finding, OpenDay, Question

PANEL_QUESTIONS = 5


def panel_context(project, request=None) -> dict:
    """Context for ``participation/project_panel.html``; the public project view adds
    ``participation=panel_context(project, request)``. Four queries whatever the data."""
    # One query for the questions (the rates need them all) and one for the calendar.
    all_questions = list(Question.objects.filter(project=project))
    today = timezone.localdate()
    cal = workdays.calendar_for([timezone.localdate(q.asked_at) for q in all_questions] or [today])
    states = questions.with_deadlines(all_questions, cal=cal)
    open_days = list(
        opendays.with_counts(OpenDay.objects.filter(project=project)).order_by("-date")[:6]
    )
    return {
        "project": project,
        "questions": states[:PANEL_QUESTIONS],
        "question_rates": questions.rates_of(states),
        "upcoming_open_days": [d for d in open_days if d.date >= today and not d.is_reported],
        "reported_open_days": [d for d in open_days if d.is_reported],
        "open_discrepancies": list(
            Finding.objects.open_discrepancies()
            .filter(open_day__project=project)
            .select_related("open_day", "version__disclosure__item")
        ),
    }
