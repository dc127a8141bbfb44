"""Which area a regulator sees, and the 404-for-outsiders access helpers of the console."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from gongshi.organisations.models import Organisation
from gongshi.organisations.regulators import regulator_for
from gongshi.projects.models import Project


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
