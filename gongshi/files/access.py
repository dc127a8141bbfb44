"""Who may see a stored file.

The file store does not know what its files are attached to: each app whose records attach
stored files registers a :class:`FileOwner` at start-up (in its ``AppConfig.ready``) that says
whether a file is public and which of its attachments a user may see. Disclosure versions
(``disclosures.attachments``) and site open-day photos (``participation.attachments``) do.

A file is public when an owner says so; otherwise administrators see it, and whoever may see
one of its attachments. Everyone else is told the file does not exist (404), so the address
of an unpublished scan reveals nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from gongshi.files.models import StoredFile


@dataclass(frozen=True)
class FileOwner:
    """What an app that attaches stored files to its records says about who may see them."""

    name: str
    # Whether the file is public through this owner's records (may be cached as such).
    is_public: Callable[[StoredFile], bool]
    # The attachments of the file the user may see, as a QuerySet with a ``name`` field (the
    # names a download may be saved under); None for owners whose records name no file.
    visible_attachments: Callable[[Any, StoredFile], QuerySet] | None = None


_owners: dict[str, FileOwner] = {}


def register_owner(owner: FileOwner) -> None:
    """Add (or replace, by name) an owner; called from an ``AppConfig.ready``."""
    _owners[owner.name] = owner


def is_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


def visible_attachments(user, stored: StoredFile) -> list[QuerySet]:
    """Each owner's attachments of ``stored`` that ``user`` may see (all of them for admins)."""
    return [
        owner.visible_attachments(user, stored)
        for owner in _owners.values()
        if owner.visible_attachments is not None
    ]


def is_public(stored: StoredFile) -> bool:
    return any(owner.is_public(stored) for owner in _owners.values())


def get_visible_file(user, sha256: str) -> tuple[StoredFile, bool]:
    """The file with this SHA-256 if ``user`` may see it, and whether it is public.

    Raises Http404 when there is no such file and when the user may not see it alike.
    """
    stored = StoredFile.objects.filter(sha256=sha256.lower()).first()
    if stored is None:
        raise Http404
    if is_public(stored):
        return stored, True
    if is_admin(user) or any(a.exists() for a in visible_attachments(user, stored)):
        return stored, False
    raise Http404
