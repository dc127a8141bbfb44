"""A project's card in search results (home page, kiosk, API list): status, percent and
last publication, kept in the shared cache under the project's content key.

Building the checklists of a page of 20 results was the largest part of a search. The
card holds only what the checklist gives it, so it is cached under the fingerprint's
``content_key`` (:mod:`gongshi.public.conditional`: the project's data, the language and
the day), which changes with every publication, correction, withdrawal or setting the
checklist reads and with the date (items fall due). A page costs one query for all its
keys, one ``get_many``, and checklists for the misses only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache

from gongshi.disclosures.checklist import Checklist, checklists_for
from gongshi.public.conditional import content_keys
from gongshi.public.status import Status, completeness_percent, group_status

#: A change of data or of the day changes the key anyway; this only bounds the memory.
CARD_CACHE_SECONDS = 86400
#: Bump when :class:`Card` changes shape, so no process reads a card pickled by older code.
CARD_REVISION = "1"


@dataclass(frozen=True)
class Card:
    status: Status
    percent: int
    last_published_at: dt.datetime | None


def card_of(checklist: Checklist) -> Card:
    dates = [e.current.published_at for e in checklist.entries if e.current]
    return Card(
        status=group_status(checklist.entries),
        percent=completeness_percent(checklist),
        last_published_at=max(dates) if dates else None,
    )


def cards_for(projects: list) -> dict[int, Card]:
    """The cards of a page of projects by pk: one query on a warm cache (the keys), and the
    checklists' constant number more when any card is missing."""
    if not projects:
        return {}
    keys = {
        pk: f"public:card:{CARD_REVISION}:{key}"
        for pk, key in content_keys(p.pk for p in projects).items()
    }
    found = cache.get_many(list(keys.values()))
    cards = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [p for p in projects if p.pk not in cards]
    if missing:
        built = {pk: card_of(checklist) for pk, checklist in checklists_for(missing).items()}
        # A project deleted since the page was read has no key: shown, but not kept.
        cache.set_many(
            {keys[pk]: card for pk, card in built.items() if pk in keys}, CARD_CACHE_SECONDS
        )
        cards.update(built)
    return cards
