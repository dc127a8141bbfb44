"""Which area a regulator sees, and the 404-for-outsiders access helpers of the console."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from gongshi.core.choices import OrganisationType
from gongshi.organisations.models import Organisation
from gongshi.organisations.regulators import regulator_for
from gongshi.organisations.validators import normalise_credit_code
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


def enterprise_projects_within(organisation: Organisation, region):
    """The projects of the region that ``organisation`` develops or takes part in."""
    return (
        Project.objects.within(region)
        .filter(Q(developer=organisation) | Q(participations__organisation=organisation))
        .distinct()
    )


def enterprise_in_area(regulator: Organisation, credit_code: str) -> Organisation:
    """A non-regulator organisation with a project in the regulator's area; 404 otherwise."""
    organisation = get_object_or_404(
        Organisation.objects.exclude(kind=OrganisationType.REGULATOR),
        credit_code=normalise_credit_code(credit_code),
    )
    if not enterprise_projects_within(organisation, regulator.region).exists():
        raise Http404
    return organisation
