"""Small shared pieces of the workspace's views (the access helpers are in ``workspace.access``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from gongshi.catalogue.fields import FieldValidationError
from gongshi.disclosures.workflow import ProjectAccess


def require_developer(access: ProjectAccess) -> None:
    """A linked unit asking for a developer's page: it knows the project, so 403 not 404."""
    if not access.developer:
        raise PermissionDenied


def messages_of(error: Exception) -> list[str]:
    """The sentences of a ValidationError or FieldValidationError, for a message box."""
    if isinstance(error, FieldValidationError):
        return error.messages()
    if isinstance(error, ValidationError):
        return list(error.messages)
    raise error
