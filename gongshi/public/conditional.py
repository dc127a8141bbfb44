"""ETag and Last-Modified of a project's public pages, computed from data before rendering.

One query reads what can change what a page shows — the project row, its published
versions, its units, its published plan, the catalogue and local requirements — so a conditional request is
answered 304 without loading anything else. Today's date is part of the tag because
derived states (due, retention ended) change with the calendar; the language, the login
state and the elderly-mode cookie are part of it because the page differs by them.

Other apps add content to the project page: questions, answers and open days (their
``ParticipationStamp``), regulator records, inspections and the score (named in
:data:`RELATED_SOURCES` with their timestamps), so any of them changes the tag too. A
new include on the page that reads other rows must be added there, or readers holding a
cached copy would keep seeing the old content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.apps import apps
from django.db import connection
from django.db.models import Count, DateTimeField, IntegerField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.utils.translation import get_language

from gongshi.disclosures.models import DisclosureVersion, VersionStatus
from gongshi.projects.models import Participation, Project

# Bump when templates change what a cached page shows, so browsers fetch the new layout.
RENDER_REVISION = "1"

# (model, path to the project, timestamps that change when a row changes what is shown).
# Each source costs two subqueries in the one fingerprint query: its row count, and the
# latest of its timestamps.
RELATED_SOURCES: list[tuple[str, str, list[str]]] = [
    # Questions, answers and open days keep their own ParticipationStamp (pp_* below).
    ("supervision.RegulatorRecord", "project", ["created_at"]),
    ("supervision.Inspection", "project", ["created_at"]),
    ("supervision.ScoreWeights", "", ["created_at"]),
    ("supervision.TimelinessSetting", "", ["updated_at"]),
    # The catalogue: an item added, edited (wording, fields, level) or switched off, and a
    # city's raised requirement, change every checklist that could include them.
    ("catalogue.CatalogueItem", "", ["updated_at"]),
    ("catalogue.LocalRequirement", "", ["updated_at"]),
    # The holiday calendar moves every open question's deadline (and its provisional note).
    ("participation.CalendarDay", "", ["updated_at"]),
]
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _related_annotations() -> dict:
    """Count and latest timestamp of each related source, as subqueries on the project."""
    annotations = {}
    for index, (label, path, timestamps) in enumerate(RELATED_SOURCES):
        model = apps.get_model(label)
        rows = model.objects.filter(**{path: OuterRef("pk")}) if path else model.objects.all()
        rows = rows.order_by().annotate(_group=Value(1)).values("_group")
        latest = [Coalesce(t, Value(EPOCH), output_field=DateTimeField()) for t in timestamps]
        newest = latest[0] if len(latest) == 1 else Greatest(*latest, output_field=DateTimeField())
        annotations[f"r{index}_n"] = Subquery(
            rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()
        )
        annotations[f"r{index}_t"] = Subquery(
            rows.annotate(t=Max(newest)).values("t")[:1], output_field=DateTimeField()
        )
    return annotations


@dataclass(frozen=True)
class Fingerprint:
    project_id: int
    etag: str
    last_modified: dt.datetime
    #: digest of the data alone (and the language): the same for every reader, so it keys
    #: caches of rendered parts of the page that contain nothing reader-specific
    content_key: str = ""


def _fingerprint_queryset(code: str):
    published = DisclosureVersion.objects.filter(
        disclosure__project=OuterRef("pk"), status=VersionStatus.PUBLISHED
    ).order_by()
    return (
        Project.objects.filter(code=code)
        .annotate(
            v_count=Subquery(
                published.values("disclosure__project").annotate(n=Count("pk")).values("n")[:1],
                output_field=IntegerField(),
            ),
            v_last=Subquery(
                published.values("disclosure__project")
                .annotate(m=Max("published_at"))
                .values("m")[:1]
            ),
            p_count=Subquery(
                Participation.objects.filter(project=OuterRef("pk"))
                .order_by()
                .values("project")
                .annotate(n=Count("pk"), m=Max("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            p_max=Subquery(
                Participation.objects.filter(project=OuterRef("pk"))
                .order_by()
                .values("project")
                .annotate(m=Max("pk"))
                .values("m")[:1],
                output_field=IntegerField(),
            ),
            plan_last=Subquery(
                _plan_queryset()
                .filter(project=OuterRef("pk"), published_at__isnull=False)
                .order_by()
                .values("project")
                .annotate(m=Max("published_at"))
                .values("m")[:1]
            ),
        )
        .annotate(
            # Questions, answers and open days on the page (gongshi.participation).
            pp_revision=Subquery(
                _participation_stamps().filter(project=OuterRef("pk")).values("revision")[:1]
            ),
            pp_last=Subquery(
                _participation_stamps().filter(project=OuterRef("pk")).values("changed_at")[:1]
            ),
        )
        .annotate(**(related := _related_annotations()))
        .values(
            "pk",
            "updated_at",
            "v_count",
            "v_last",
            "p_count",
            "p_max",
            "plan_last",
            "pp_revision",
            "pp_last",
            *related,
        )  # fmt: skip
        .order_by()[:1]
    )


# Compiling the fingerprint query (two dozen subqueries) costs more CPU than running it, and
# it is the whole cost of a 304; so it is compiled once per process and database, with a
# placeholder for the code, and run as SQL after that.
_SENTINEL = "\x00project-code\x00"
_COMPILED: dict[str, tuple[str, list]] = {}
_DATETIME_COLUMNS = {"updated_at", "v_last", "plan_last", "pp_last"}


def _as_datetime(value) -> dt.datetime | None:
    if value is None:
        return None
    # SQLite returns text or naive datetimes (stored in UTC); PostgreSQL aware datetimes.
    parsed = value if isinstance(value, dt.datetime) else parse_datetime(str(value))
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=dt.UTC)


def _fingerprint_row(code: str) -> dict | None:
    key = f"{connection.alias}:{connection.vendor}"
    if key not in _COMPILED:
        sql, params = _fingerprint_queryset(_SENTINEL).query.sql_with_params()
        _COMPILED[key] = (sql, list(params))
    sql, template = _COMPILED[key]
    params = [code if p == _SENTINEL else p for p in template]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        values = cursor.fetchone()
        if values is None:
            return None
        names = [column[0] for column in cursor.description]
    row = dict(zip(names, values, strict=True))
    for name in _DATETIME_COLUMNS:
        row[name] = _as_datetime(row[name])
    return row


def project_fingerprint(code: str, request: HttpRequest | None = None) -> Fingerprint:
    """The project's fingerprint; raises Http404 for an unknown code. One query."""
    row = _fingerprint_row(code.strip().upper())
    if row is None:
        raise Http404
    related = [k for k in row if k[0] == "r" and k[1:2].isdigit()]
    parts = [
        RENDER_REVISION,
        str(row["pk"]),
        row["updated_at"].isoformat(),
        str(row["v_count"] or 0),
        row["v_last"].isoformat() if row["v_last"] else "-",
        str(row["p_count"] or 0),
        str(row["p_max"] or 0),
        row["plan_last"].isoformat() if row["plan_last"] else "-",
        str(row["pp_revision"] or 0),
        timezone.localdate().isoformat(),
    ]
    parts += [str(row[key]) for key in sorted(related)]
    content_key = hashlib.sha256("|".join([*parts, get_language() or ""]).encode()).hexdigest()
    if request is not None:
        parts += [
            get_language() or "",
            "auth" if request.user.is_authenticated else "anon",
            request.COOKIES.get("elderly", ""),
            request.get_full_path(),
        ]
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    last_modified = max(
        d for d in (row["updated_at"], row["v_last"], row["plan_last"], row["pp_last"]) if d
    )
    return Fingerprint(
        project_id=row["pk"],
        etag=f'"{digest}"',
        last_modified=last_modified,
        content_key=content_key[:32],
    )


def _plan_queryset():
    from gongshi.workspace.models import DisclosurePlan

    return DisclosurePlan.objects.all()


def _participation_stamps():
    from gongshi.participation.models import ParticipationStamp

    return ParticipationStamp.objects.all()


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
