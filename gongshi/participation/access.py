"""Who may act on what, in one place. Outsiders get 404: existence is not revealed."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from gongshi.core.choices import OrganisationType
from gongshi.organisations.models import Membership
from gongshi.projects.models import Project


def is_developer_member(user, project: Project) -> bool:
    """A member of the project's developer (建设单位). One query."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, organisation_id=project.developer_id).exists()


def regulates(user, project: Project) -> bool:
    """A member of a regulator whose area contains the project. One query (region loaded)."""
    if not user.is_authenticated:
        return False
    for code in Membership.objects.filter(
        user=user, organisation__kind=OrganisationType.REGULATOR
    ).values_list("organisation__region__code", "organisation__region__level"):
        region_code, level = code
        prefix = {"province": region_code[:2], "prefecture": region_code[:4]}.get(
            level, region_code
        )
        if project.region.code.startswith(prefix):
            return True
    return False


def developer_project(user, code: str) -> Project:
    """A project the user's organisation develops; 404 for everyone else."""
    project = get_object_or_404(Project.objects.select_related("region", "developer"), code=code)
    if not is_developer_member(user, project):
        raise Http404
    return project


def require_admin(user) -> None:
    """A superuser whose session passed the second factor (as the admin site requires)."""
    is_verified = getattr(user, "is_verified", None)
    if not (user.is_authenticated and user.is_superuser and is_verified and is_verified()):
        raise Http404
