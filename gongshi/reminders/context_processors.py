"""The header's unread count for a signed-in user."""

from __future__ import annotations

from functools import cache


def unread_notifications(request) -> dict:
    """``unread_notifications`` for a signed-in user: one query, and only if a page shows it
    (templates call the function when they read the variable; the answer is kept)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from gongshi.reminders.services import unread_count

    return {"unread_notifications": cache(lambda: unread_count(user))}
