"""Who may see a stored file.

A file is public once it is attached to at least one published version: published versions
are never changed or deleted, so a file that became public stays public (and may be cached
as such). Before that, only the people working on the disclosure see it: members of the
project's developer, members of the organisation that supplied the version, the regulators
whose area contains the project, and administrators. Everyone else is told the file does not
exist (404), so the address of an unpublished scan reveals nothing.

Photos that social supervisors take at a site open day (participation's ``FindingPhoto``)
are public too: the open day's public page shows every recorded finding with its photos.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from gongshi.core.choices import OrganisationType
from gongshi.disclosures.models import VersionFile, VersionStatus
from gongshi.files.models import StoredFile
from gongshi.organisations.models import Organisation

PUBLISHED = Q(version__status=VersionStatus.PUBLISHED)


def is_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


def visible_attachments_q(user) -> Q | None:
    """A filter on ``VersionFile`` for the attachments ``user`` may see; None means all.

    Costs one query for the user's organisations (none for anonymous users and admins).
    """
    if is_admin(user):
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


def is_open_day_photo(stored: StoredFile) -> bool:
    # Imported here: participation builds on disclosures and files, not the other way round.
    from gongshi.participation.models import FindingPhoto

    return FindingPhoto.objects.filter(file=stored).exists()


def is_public(stored: StoredFile) -> bool:
    return VersionFile.objects.filter(PUBLISHED, file=stored).exists() or is_open_day_photo(stored)


def get_visible_file(user, sha256: str) -> tuple[StoredFile, bool]:
    """The file with this SHA-256 if ``user`` may see it, and whether it is public.

    Raises Http404 when there is no such file and when the user may not see it alike.
    """
    stored = StoredFile.objects.filter(sha256=sha256.lower()).first()
    if stored is None:
        raise Http404
    if is_public(stored):
        return stored, True
    if is_admin(user) or visible_attachments(user, stored).exists():
        return stored, False
    raise Http404
