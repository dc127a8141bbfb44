"""Who may see and change an archive, shared by the HTML views and the API.

- The developer (a member of the project's developer) manages flats, archives, measured data,
  photos, owners and sample flats, and answers the owner's problems.
- A participating unit linked to the project is told it may not (403); anyone else not
  linked to the project — regulators and administrators too — is told the project does not
  exist here (404), as in the workspace.
- The owner of a flat acts on that flat's inspection only, with a token from
  :mod:`gongshi.households.owners`.
- Everyone reads a flat's public page: that the archive exists, and its data once published.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from gongshi.disclosures.workflow import ProjectAccess
from gongshi.households.models import FlatArchive
from gongshi.projects.models import Project


def developer_project(user, code: str) -> tuple[Project, ProjectAccess]:
    """The project and the developer's access; 404 if not linked, 403 for a unit."""
    project = get_object_or_404(Project.objects.select_related("region", "developer"), code=code)
    access = ProjectAccess.for_user(project, user)
    if access is None:
        raise Http404
    access.require_developer()
    return project, access


def archive_of(project: Project, flat_code: str) -> FlatArchive:
    """The archive of one flat of ``project`` by its printed code, building loaded."""
    return get_object_or_404(
        FlatArchive.objects.select_related("flat__building"),
        project=project,
        code=flat_code.upper(),
    )


def public_archive(code: str, flat_code: str) -> FlatArchive:
    """Anyone's view of a flat: 404 when the project or the flat code does not exist."""
    return get_object_or_404(
        FlatArchive.objects.select_related(
            "flat__building", "project__developer", "project__region"
        ),
        project__code=code,
        code=flat_code.upper(),
    )
