"""ETag and Last-Modified of a project's public pages, computed from data before rendering.

One indexed query reads the project row and three stamps, each by primary key: the
project's :class:`~gongshi.public.models.PageStamp` (bumped in the transaction of every
publication, correction, withdrawal, "does not apply" declaration, unit, plan, regulator
record or inspection — ``gongshi.public.stamps``), its ``ParticipationStamp`` (questions,
answers, open days) and the :class:`~gongshi.public.models.SiteStamp` (catalogue, local
requirements, score weights, timeliness settings, regions). So a conditional request is
answered 304 without loading anything else, and the same figures key the cached page
bytes (``gongshi.public.page_cache``). Today's date is part of the tag because derived
states (due, retention ended) change with the calendar; the language, the login state and
the elderly-mode cookie are part of it because the page differs by them.

A new include on the page that reads other rows must bump a stamp when they change (add
its model to ``gongshi.public.stamps``), or readers would keep seeing the old content.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.utils.translation import get_language

from gongshi.projects.models import Project
from gongshi.public.models import PageStamp, SiteStamp

# Bump when templates change what a cached page shows, so browsers fetch the new layout.
RENDER_REVISION = "4"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Fingerprint:
    project_id: int
    etag: str
    last_modified: dt.datetime
    #: digest of the data alone (and the language): the same for every reader, so it keys
    #: caches of rendered parts of the page that contain nothing reader-specific
    content_key: str = ""
    #: the same without the questions and open days, which the paper board does not show: a
    #: question asked keeps the printed board (a launch day brings both), a publication not
    board_key: str = ""


def _participation_stamp_table() -> str:
    from gongshi.participation.models import ParticipationStamp

    return ParticipationStamp._meta.db_table


_SQL: dict[str, str] = {}
_DATETIME_COLUMNS = ("updated_at", "page_at", "pp_at", "site_at")


def _select_sql() -> str:
    """The fingerprint query without its condition: the project row and three stamps, each
    joined by primary key (or unique) lookup."""
    key = f"{connection.alias}:{connection.vendor}"
    if key not in _SQL:
        q = connection.ops.quote_name

        def when(column: str) -> str:
            # As text: SQLite stores it so, and on PostgreSQL decoding four timestamptz
            # values was a quarter of a 304's client CPU; the few distinct strings a popular
            # page returns are parsed once (``_parse_stored``). Django's connections run in UTC.
            return column if connection.vendor == "sqlite" else f"CAST({column} AS TEXT)"

        _SQL[key] = (
            f"SELECT p.id, {when('p.updated_at')}, s.revision, {when('s.changed_at')}, "
            f"pp.revision, {when('pp.changed_at')}, g.revision, {when('g.changed_at')} "
            f"FROM {q(Project._meta.db_table)} p "
            f"LEFT JOIN {q(PageStamp._meta.db_table)} s ON s.project_id = p.id "
            f"LEFT JOIN {q(_participation_stamp_table())} pp ON pp.project_id = p.id "
            f"LEFT JOIN {q(SiteStamp._meta.db_table)} g ON g.id = 1 "
        )
    return _SQL[key]


def _sql() -> str:
    """The fingerprint query of one project by code: four indexed lookups in one statement."""
    return _select_sql() + "WHERE p.code = %s"


@functools.lru_cache(maxsize=4096)
def _parse_stored(text: str) -> dt.datetime:
    # The query returns text in UTC (SQLite: "2026-12-07 10:44:40.855123", PostgreSQL:
    # "2026-12-07 10:44:40.855123+00"); parsing it is a good part of a 304's cost, and the
    # same few values come back for every reader of a popular page.
    parsed = parse_datetime(text)
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=dt.UTC)


def _as_datetime(value) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        return _parse_stored(value)
    # PostgreSQL returns aware datetimes.
    return value if timezone.is_aware(value) else value.replace(tzinfo=dt.UTC)


def _row(values) -> dict:
    pk, updated_at, page, page_at, pp, pp_at, site, site_at = values
    return {
        "pk": pk,
        "updated_at": _as_datetime(updated_at),
        "page": page or 0,
        "page_at": _as_datetime(page_at),
        "pp": pp or 0,
        "pp_at": _as_datetime(pp_at),
        "site": site or 0,
        "site_at": _as_datetime(site_at),
    }


def _fingerprint_row(code: str) -> dict | None:
    with connection.cursor() as cursor:
        cursor.execute(_sql(), [code])
        values = cursor.fetchone()
    return _row(values) if values is not None else None


def _content_parts(row: dict, today: dt.date, *, participation: bool = True) -> list[str]:
    """What the project's public content depends on: its data's stamps and the day
    (``participation=False``: but its questions and open days)."""
    return [
        RENDER_REVISION,
        str(row["pk"]),
        row["updated_at"].isoformat(),
        str(row["page"]),
        str(row["pp"]) if participation else "-",
        str(row["site"]),
        today.isoformat(),
    ]


def _content_key(parts: list[str], language: str) -> str:
    return hashlib.sha256("|".join([*parts, language]).encode()).hexdigest()[:32]


def content_keys(project_ids: Iterable[int]) -> dict[int, str]:
    """The fingerprint's ``content_key`` of many projects by pk, in one query.

    The same query as :func:`project_fingerprint`'s, for a page of search results: a
    project that no longer exists is left out.
    """
    ids = list(dict.fromkeys(project_ids))
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_select_sql() + f"WHERE p.id IN ({', '.join(['%s'] * len(ids))})", ids)
        rows = [_row(values) for values in cursor.fetchall()]
    today, language = timezone.localdate(), get_language() or ""
    return {row["pk"]: _content_key(_content_parts(row, today), language) for row in rows}


def project_fingerprint(code: str, request: HttpRequest | None = None) -> Fingerprint:
    """The project's fingerprint; raises Http404 for an unknown code. One query.

    Computed once per request: the stored-page middleware's is reused by the view.
    """
    code = code.strip().upper()
    known = getattr(request, "_public_fingerprint", None)
    if known is not None and known[0] == code:
        return known[1]
    row = _fingerprint_row(code)
    if row is None:
        raise Http404
    today = timezone.localdate()
    parts = _content_parts(row, today)
    language = get_language() or ""
    content_key = _content_key(parts, language)
    board_key = _content_key(_content_parts(row, today, participation=False), language)
    if request is not None:
        parts += [
            language,
            # Without a session cookie the reader is anonymous: no need to load the user.
            "auth"
            if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated
            else "anon",
            request.COOKIES.get("elderly", ""),
            request.get_full_path(),
        ]
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    last_modified = max(row[name] or EPOCH for name in _DATETIME_COLUMNS)
    fingerprint = Fingerprint(
        project_id=row["pk"],
        etag=f'"{digest}"',
        last_modified=last_modified,
        content_key=content_key,
        board_key=board_key,
    )
    if request is not None:
        request._public_fingerprint = (code, fingerprint)
    return fingerprint


def not_modified(request: HttpRequest, fingerprint: Fingerprint) -> HttpResponse | None:
    """A 304 (or 412) response when the client's copy is current, else None."""
    response = get_conditional_response(
        request, etag=fingerprint.etag, last_modified=int(fingerprint.last_modified.timestamp())
    )
    return stamp(response, fingerprint) if response is not None else None


def stamp(response: HttpResponse, fingerprint: Fingerprint) -> HttpResponse:
    response.headers["ETag"] = fingerprint.etag
    response.headers["Last-Modified"] = http_date(fingerprint.last_modified.timestamp())
    # Readers must revalidate (a publication shows at once), but a 304 costs one query.
    response.headers.setdefault("Cache-Control", "no-cache")
    return response
