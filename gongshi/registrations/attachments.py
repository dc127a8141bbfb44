"""Who may see a business-licence scan: never the public.

The applicant organisation's members, the regulators whose area contains the company and
administrators (the file store lets those through itself). :func:`register` tells the file
store so, at start-up (:meth:`RegistrationsConfig.ready`).
"""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from gongshi.core.choices import OrganisationType
from gongshi.files import access
from gongshi.files.models import StoredFile
from gongshi.organisations.models import Organisation
from gongshi.registrations.models import Registration


def visible_licences(user, stored: StoredFile) -> QuerySet:
    """Applications whose licence is ``stored`` and ``user`` may see, with a ``name``."""
    licences = Registration.objects.filter(licence=stored).annotate(name=F("licence_name"))
    if access.is_admin(user):
        return licences
    if not user.is_authenticated:
        return licences.none()
    organisations = list(
        Organisation.objects.filter(memberships__user=user).select_related("region")
    )
    scope = Q(organisation__in=[o.pk for o in organisations])
    for organisation in organisations:
        if organisation.kind == OrganisationType.REGULATOR:
            scope |= Q(organisation__region__code__startswith=organisation.region.prefix)
    return licences.filter(scope)


def register() -> None:
    access.register_owner(
        access.FileOwner(
            name="registrations",
            is_public=lambda stored: False,
            visible_attachments=visible_licences,
        )
    )
