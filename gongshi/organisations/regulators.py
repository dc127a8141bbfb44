"""Which regulator a user acts for: the one rule every app asks before showing a regulator's view."""

from __future__ import annotations

from gongshi.core.choices import OrganisationType
from gongshi.organisations.models import Organisation


def regulator_for(user) -> Organisation | None:
    """The regulator organisation a user acts for (the widest area if several), or None.

    One query. Administrators act for the provincial department when they belong to it;
    otherwise they have no area here (the admin site is theirs).
    """
    if not user.is_authenticated:
        return None
    organisations = Organisation.objects.filter(
        kind=OrganisationType.REGULATOR, memberships__user=user
    ).select_related("region")
    # The shortest prefix is the widest area: the province (23) before a city (2301).
    return min(organisations, key=lambda o: len(o.region.prefix), default=None)
