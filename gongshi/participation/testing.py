"""Test helpers for questions (not imported by the application)."""

from __future__ import annotations

import datetime as dt
import secrets

from gongshi.participation.models import Question, QuestionKind


def make_question(
    project,
    asked_at: dt.datetime,
    *,
    answered_at: dt.datetime | None = None,
    kind: str = QuestionKind.QUESTION,
    days: int = 5,
    body: str = "请问分户验收什么时候公示？",
    **extra,
) -> Question:
    """A question asked by e-mail at ``asked_at``, answered at ``answered_at`` if given, with
    an answer deadline of ``days`` working days."""
    return Question.objects.create(
        project=project,
        kind=kind,
        body=body,
        contact="buyer@example.com",
        contact_kind="email",
        asker_token_hash=secrets.token_hex(32),
        asked_at=asked_at,
        deadline_working_days=days,
        answer="已公示" if answered_at else "",
        answered_at=answered_at,
        **extra,
    )
