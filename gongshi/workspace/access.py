"""The workspace's access helpers, shared by its HTML views and its API.

Who may work on a project is decided once, by ``disclosures.workflow.ProjectAccess``; these
turn it into 404s for people not linked to the project or to the item.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from gongshi.catalogue.models import CatalogueItem
from gongshi.disclosures.workflow import ProjectAccess
from gongshi.projects.models import Project


def _get_project_for_user(request: HttpRequest, code: str) -> tuple[Project, ProjectAccess]:
    """The project and what the user may do on it; 404 unless the user is linked to it.

    ``access.developer`` is read-write on everything; a unit's access covers the items its
    unit type supplies. People not linked to the project (other developers, units of other
    projects, regulators, administrators) are told it does not exist here.
    """
    project = get_object_or_404(Project.objects.select_related("region", "developer"), code=code)
    access = ProjectAccess.for_user(project, request.user)
    if access is None:
        raise Http404
    return project, access


def _get_item_for_user(access: ProjectAccess, item_code: str) -> CatalogueItem:
    """A catalogue item the user works on for this project; 404 for a unit's other items."""
    item = get_object_or_404(CatalogueItem.objects.filter(active=True), code=item_code)
    if not access.can_see(item):
        raise Http404
    return item
