"""A disclosure version's files: attaching a stored file, and who may see it.

A file attached to a published version is public: published versions are never changed or
deleted, so a file that became public stays public (and may be cached as such). Before
that, only the people working on the disclosure see it: members of the project's developer,
members of the organisation that supplied the version, the regulators whose area contains
the project, and administrators. :func:`register` tells the file store (``files.access``)
so, at start-up (:meth:`DisclosuresConfig.ready`).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from gongshi.core.choices import OrganisationType
from gongshi.disclosures.models import VersionFile, VersionStatus
from gongshi.files import access
from gongshi.files.ingest import clean_file_name
from gongshi.files.models import StoredFile
from gongshi.organisations.models import Organisation

PUBLISHED = Q(version__status=VersionStatus.PUBLISHED)


def attach(version: Any, stored: StoredFile, name: str, label: str = "") -> Any:
    """Attach a stored file to a (not yet published) version, after its existing files.

    Returns the new ``VersionFile``. A published version refuses (ImmutableVersionError).
    """
    last = version.attachments.aggregate(last=models.Max("position"))["last"]
    return VersionFile.objects.create(
        version=version,
        file=stored,
        name=clean_file_name(name, stored.content_type),
        label=label[:100],
        position=0 if last is None else last + 1,
    )


def visible_attachments_q(user) -> Q | None:
    """A filter on ``VersionFile`` for the attachments ``user`` may see; None means all.

    Costs one query for the user's organisations (none for anonymous users and admins).
    """
    if access.is_admin(user):
        return None
    scope = PUBLISHED
    if not user.is_authenticated:
        return scope
    organisations = list(
        Organisation.objects.filter(memberships__user=user).select_related("region")
    )
    ids = [o.pk for o in organisations]
    if ids:
        scope |= Q(version__disclosure__project__developer_id__in=ids)
        scope |= Q(version__supplied_by_id__in=ids)
    for organisation in organisations:
        if organisation.kind == OrganisationType.REGULATOR:
            # Region codes nest by prefix (GB/T 2260): Harbin 2301 covers Nangang 230103.
            prefix = organisation.region.prefix
            scope |= Q(version__disclosure__project__region__code__startswith=prefix)
    return scope


def visible_attachments(user, stored: StoredFile):
    """The attachments of ``stored`` that ``user`` may see (all of them for admins)."""
    attachments = VersionFile.objects.filter(file=stored)
    scope = visible_attachments_q(user)
    return attachments if scope is None else attachments.filter(scope)


def is_published_attachment(stored: StoredFile) -> bool:
    return VersionFile.objects.filter(PUBLISHED, file=stored).exists()


def register() -> None:
    access.register_owner(
        access.FileOwner(
            name="disclosures",
            is_public=is_published_attachment,
            visible_attachments=visible_attachments,
        )
    )
