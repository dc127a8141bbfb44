"""The bulk open-data package: every public table as CSV plus a Frictionless ``datapackage.json``.

``gongshi export_open_data`` (daily timer) calls :func:`build`. It streams each table's rows
(:mod:`gongshi.opendata.tables`) from the database (``.iterator()``, nothing held in memory
but one chunk) into a zip written to a temporary file, with ``datapackage.json`` (profile ``tabular-data-package``: each
resource's path, format, encoding, bytes, SHA-256 and Table Schema with primary and foreign
keys) written last. The zip is stored through Django's storage API under its SHA-256
(``open-data/<sha256>.zip``); a small ``open-data/current.json`` names the current one and
carries what the page and the API show (date, size, hash, row counts, the descriptor), so
reading it costs no database query. The previous zip is removed once the new one is current.

Only what the public already sees goes in: published disclosure versions (never drafts,
submissions or returned versions), the regulators' public records and rectification steps,
question *counts* (never a question's text, an asker's contact or an owner's data), and the
public fields of organisations (name, credit code, type, region — not phone or address).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import itertools
import json
import tempfile
import zipfile
from collections.abc import Iterator
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from gongshi.opendata.tables import RESOURCES, Resource, site

DIRECTORY = "open-data"
CURRENT = f"{DIRECTORY}/current.json"
PACKAGE_NAME = "gongshi-open-data"
CACHE_KEY = "opendata:current"
CACHE_SECONDS = 300
__all__ = ["RESOURCES", "build", "created_at", "read_current"]

LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}

# -- cells -------------------------------------------------------------------------------


def cell(value) -> str | int:
    """One value as the Table Schema's default format reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return value


# -- the package -------------------------------------------------------------------------


class _Line:
    def write(self, value: str) -> str:
        return value


def _write_csv(archive: zipfile.ZipFile, resource: Resource) -> dict:
    writer = csv.writer(_Line(), lineterminator="\r\n")
    digest, size, rows = hashlib.sha256(), 0, 0
    with archive.open(resource.path, "w", force_zip64=True) as entry:
        header = [[c.name for c in resource.columns]]
        for number, row in enumerate(itertools.chain(header, resource.rows())):
            data = writer.writerow([cell(v) for v in row]).encode("utf-8")
            entry.write(data)
            digest.update(data)
            size += len(data)
            rows = number
    return {"bytes": size, "hash": f"sha256:{digest.hexdigest()}", "rows": rows}


def descriptor(created: dt.datetime, written: dict[str, dict]) -> dict:
    """The Frictionless Data Package descriptor (``datapackage.json``)."""
    with override(settings.LANGUAGE_CODE):
        return {
            "profile": "tabular-data-package",
            "name": PACKAGE_NAME,
            "id": site(reverse("opendata:page")),
            "title": "公示 Gongshi 住宅工程质量信息公示开放数据",
            "description": (
                "住宅工程质量信息公示平台上公众可见的全部数据：项目、楼栋、已公示的公示信息版本、"
                "监管记录和整改、咨询投诉统计、单位。每日生成。"
            ),
            "homepage": site(reverse("opendata:page")),
            "version": created.strftime("%Y%m%d%H%M%S"),
            "created": cell(created),
            "licenses": [LICENSE],
            "sources": [{"title": "公示 Gongshi", "path": settings.SITE_URL + "/"}],
            "resources": [
                {
                    "name": r.name,
                    "path": r.path,
                    "profile": "tabular-data-resource",
                    "title": str(r.title),
                    "description": str(r.description),
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "bytes": written[r.name]["bytes"],
                    "hash": written[r.name]["hash"],
                    "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
                    "schema": r.schema(),
                }
                for r in RESOURCES
            ],
        }


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """One read-only transaction for every table, so the files agree with each other (a
    version never names a project the projects file lacks). PostgreSQL needs REPEATABLE READ
    for one snapshot across statements; SQLite's read transaction is one already."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def build() -> dict:
    """Write a new package, make it current, remove the previous one; return its metadata."""
    created = timezone.now().replace(microsecond=0)
    previous = read_current(fresh=True)
    with tempfile.TemporaryFile() as handle:
        with (
            zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive,
            _snapshot(),
        ):
            written = {r.name: _write_csv(archive, r) for r in RESOURCES}
            package = descriptor(created, written)
            archive.writestr(
                "datapackage.json", json.dumps(package, ensure_ascii=False, indent=2) + "\n"
            )
        handle.seek(0)
        digest = hashlib.sha256()
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
        size = handle.tell()
        sha256 = digest.hexdigest()
        name = f"{DIRECTORY}/{sha256}.zip"
        handle.seek(0)
        if not default_storage.exists(name):
            name = default_storage.save(name, File(handle, name=f"{sha256}.zip"))
    meta = {
        "name": name,
        "sha256": sha256,
        "size": size,
        "created": package["created"],
        "resources": [
            {"name": r.name, "path": r.path, "rows": written[r.name]["rows"]} for r in RESOURCES
        ],
        "datapackage": package,
    }
    if default_storage.exists(CURRENT):
        default_storage.delete(CURRENT)
    default_storage.save(CURRENT, ContentFile(json.dumps(meta, ensure_ascii=False).encode()))
    cache.set(CACHE_KEY, {"meta": meta}, CACHE_SECONDS)
    if previous and previous["name"] != name and default_storage.exists(previous["name"]):
        default_storage.delete(previous["name"])
    return meta


def read_current(*, fresh: bool = False) -> dict | None:
    """The current package's metadata, or None when none was generated yet.

    No database query; the storage is read at most every :data:`CACHE_SECONDS` per cache
    (``build`` refreshes the shared cache at once; a per-process cache catches up in time).
    """
    if not fresh and (cached := cache.get(CACHE_KEY)) is not None:
        return cached["meta"]
    meta = None
    if default_storage.exists(CURRENT):
        try:
            with default_storage.open(CURRENT, "rb") as handle:
                meta = json.loads(handle.read())
        except (FileNotFoundError, ValueError):
            meta = None
    cache.set(CACHE_KEY, {"meta": meta}, CACHE_SECONDS)
    return meta


def created_at(meta: dict) -> dt.datetime:
    return dt.datetime.strptime(meta["created"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
