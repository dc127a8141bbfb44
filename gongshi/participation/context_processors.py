"""Template context for administrators: years whose holiday arrangement is missing."""

from __future__ import annotations

from django.core.cache import cache

from gongshi.participation.workdays import MISSING_YEARS_CACHE_KEY, years_missing_holidays


def calendar_warning(request) -> dict:
    """``calendar_missing_years`` for a signed-in administrator; nothing for anyone else.

    Costs no query for other users; for an administrator at most three queries every ten
    minutes (the answer is cached, and dropped when a calendar day is saved).
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_superuser:
        return {}
    years = cache.get(MISSING_YEARS_CACHE_KEY)
    if years is None:
        years = years_missing_holidays()
        cache.set(MISSING_YEARS_CACHE_KEY, years, 600)
    return {"calendar_missing_years": years}
