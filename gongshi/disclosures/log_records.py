"""A project's published versions beside their log entries and inclusion proofs.

Shared by the verification page and ``GET /api/v1/log/projects/<code>/entries``: for each
published version, the entry rebuilt from the site's *current* data, the entry the log
holds at the version's ``leaf_index``, and the proof of that index in a given tree. The
verifiers compare the three; the server only reports. Query count is constant.
:func:`register` gives :func:`project_records` to the log's pages (``integrity.records``).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from gongshi.disclosures.log_entry import version_payload, versions_for_payload
from gongshi.integrity import log, records, tree
from gongshi.integrity.models import LogEntry


@dataclass
class VersionRecord:
    version: Any
    published: dict[str, Any]
    entry: LogEntry | None
    proof: list[bytes] | None

    @property
    def files(self) -> list[dict[str, str]]:
        return [
            {**f, "url": reverse("files:download", args=[f["sha256"]])}
            for f in self.published["files"]
        ]


def published_versions(project: Any):
    from gongshi.disclosures.models import DisclosureVersion

    return versions_for_payload(
        DisclosureVersion.objects.published().filter(disclosure__project=project)
    ).order_by(
        "disclosure__item__sort_order", "disclosure__item__code", "disclosure__instance", "number"
    )


def _proofs(indices: list[int], size: int) -> dict[int, list[bytes]]:
    try:
        return log.inclusion_proofs(indices, size)
    except tree.MissingNodeError:
        # The log's tables are damaged: prove what can still be proved, one by one, so the
        # verifiers can say which versions are affected.
        proofs = {}
        for index in indices:
            with contextlib.suppress(tree.MissingNodeError):
                proofs.update(log.inclusion_proofs([index], size))
        return proofs


def project_records(project: Any, size: int) -> list[VersionRecord]:
    versions = list(published_versions(project))
    indices = [v.leaf_index for v in versions if v.leaf_index is not None]
    entries = LogEntry.objects.in_bulk(indices)
    proofs = _proofs([i for i in indices if i < size], size)
    return [
        VersionRecord(
            version=v,
            published=version_payload(v),
            entry=entries.get(v.leaf_index),
            proof=proofs.get(v.leaf_index),
        )
        for v in versions
    ]


def register() -> None:
    records.set_project_records_source(project_records)
