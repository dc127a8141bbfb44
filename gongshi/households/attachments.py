"""Files the archive attaches: flat photos and the owner's problem photos.

A flat photo is public once its archive is published. A problem photo is private: the
developer's members see it (through ``files``), the owner sees it through the inspection
page (:mod:`gongshi.households.views.owner`). :func:`register` tells the file store so.
"""

from __future__ import annotations

from django.db.models import F, QuerySet

from gongshi.files import access
from gongshi.files.models import StoredFile
from gongshi.households.models import ArchivePhoto, InspectionProblem
from gongshi.organisations.models import Membership


def is_public_photo(stored: StoredFile) -> bool:
    return ArchivePhoto.objects.filter(file=stored, archive__published_at__isnull=False).exists()


def _developers(user):
    return Membership.objects.filter(user=user).values("organisation_id")


def visible_photos(user, stored: StoredFile) -> QuerySet:
    """The developer's members see their flats' photos before they are published."""
    if not user.is_authenticated:
        return ArchivePhoto.objects.none()
    return ArchivePhoto.objects.filter(
        file=stored, archive__project__developer_id__in=_developers(user)
    )


def visible_problem_photos(user, stored: StoredFile) -> QuerySet:
    """…and the photos their flats' owners attached to problems (named by the location)."""
    problems = InspectionProblem.objects.annotate(name=F("location"))
    if not user.is_authenticated:
        return problems.none()
    return problems.filter(photo=stored, archive__project__developer_id__in=_developers(user))


def register() -> None:
    access.register_owner(
        access.FileOwner(
            name="households", is_public=is_public_photo, visible_attachments=visible_photos
        )
    )
    access.register_owner(
        access.FileOwner(
            name="households-problems",
            is_public=lambda stored: False,
            visible_attachments=visible_problem_photos,
        )
    )
