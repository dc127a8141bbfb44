"""What a leaf says about each kind of publication, and the calls that append it.

A disclosure version's entry (``"type": "disclosure_version"``)::

    {"type": "disclosure_version", "project": "<public code>", "item": "<catalogue code>",
     "version": 2, "kind": "correction", "status": "published", "values": {...},
     "information_date": "2026-05-01" | null, "published_at": "2026-05-03T08:00:00.000000Z",
     "reason": "...", "supplier": "<unified social credit code>",
     "files": [{"name": "...", "sha256": "..."}, ...]}

An instance of a repeatable item other than a plain first one (a second pre-sale permit, a
completion acceptance naming its building) adds what identifies it::

    "instance": {"number": 2, "label": "第二批", "buildings": ["3号楼", "4号楼"]}

(a plain first instance has no ``instance`` key, so leaves logged before items could repeat
verify unchanged; an instance's label and buildings are frozen once it is published).

``files`` keep the attachments' order on the page. The verifiers rebuild this dict from
what the site serves *now* and compare its leaf hash with the log, so any later change to
a field or a file is visible.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet

from gongshi.integrity import audit
from gongshi.integrity.log import append_leaf
from gongshi.integrity.models import LogEntry

VERSION_LEAF_KIND = "disclosure_version"


def iso_timestamp(value: dt.datetime) -> str:
    """UTC with microseconds and a Z: one spelling per instant, whatever the server zone."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def version_files(version: Any) -> list[dict[str, str]]:
    if version.pk is None:
        return []  # an unsaved version has no attachments yet
    attachments = sorted(version.attachments.all(), key=lambda a: (a.position, a.pk))
    return [{"name": a.name, "sha256": a.file.sha256} for a in attachments]


def version_payload(version: Any) -> dict[str, Any]:
    """The leaf payload for a published disclosure version (see the module docstring).

    Costs queries for the disclosure, project, item, supplier and attachments unless
    they are loaded; :func:`versions_for_payload` loads them for many versions at once.
    """
    disclosure = version.disclosure
    payload: dict[str, Any] = {
        "type": VERSION_LEAF_KIND,
        "project": disclosure.project.code,
        "item": disclosure.item.code,
    }
    if disclosure.identifies_instance:
        payload["instance"] = {
            "number": disclosure.instance,
            "label": disclosure.label,
            "buildings": disclosure.building_names(),
        }
    return payload | {
        "version": version.number,
        "kind": version.kind,
        "status": version.status,
        "values": version.values,
        "information_date": (
            version.information_date.isoformat() if version.information_date else None
        ),
        "published_at": iso_timestamp(version.published_at),
        "reason": version.reason,
        "supplier": version.supplied_by.credit_code,
        "files": version_files(version),
    }


def versions_for_payload(queryset: QuerySet) -> QuerySet:
    """``queryset`` with everything :func:`version_payload` reads, in a constant 3 queries."""
    from gongshi.disclosures.models import VersionFile

    return queryset.select_related(
        "disclosure__project", "disclosure__item", "supplied_by"
    ).prefetch_related(
        Prefetch("attachments", queryset=VersionFile.objects.select_related("file")),
        "disclosure__buildings",
    )


def log_publication(version: Any) -> LogEntry:
    """Append the leaf for ``version`` (being published) and record who published it.

    Called by ``publish_version`` after the version's number, status and times are set and
    before its final save, so ``leaf_index`` is frozen with the version.
    """
    entry = append_leaf(VERSION_LEAF_KIND, version_payload(version))
    version.leaf_index = entry.index
    audit.record(
        version.approved_by,
        "disclosure.publish",
        version,
        leaf_index=entry.index,
        project=version.disclosure.project.code,
        item=version.disclosure.item.code,
        instance=version.disclosure.instance,
        version=version.number,
        kind=version.kind,
    )
    return entry
