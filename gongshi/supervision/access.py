"""Which area a regulator sees, and the 404-for-outsiders access helpers of the console."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from gongshi.core.choices import OrganisationType
from gongshi.organisations.models import Organisation
from gongshi.projects.models import Project


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


def require_regulator(user) -> Organisation:
    """The user's regulator organisation; 404 for everyone else.

    A regulator's session must carry a verified second factor (the sign-in makes sure of it;
    this guards a membership granted in the middle of a session).
    """
    regulator = regulator_for(user)
    if regulator is None or not user.is_verified():
        raise Http404
    return regulator


def get_project_in_area(regulator: Organisation, code: str) -> Project:
    """A project of the regulator's area; 404 for a project elsewhere (existence is not revealed)."""
    return get_object_or_404(
        Project.objects.within(regulator.region).select_related("region__parent", "developer"),
        code=code,
    )
