"""A project's logged publications, as the verification page and the entries API show them.

The log does not know what it logs: the app whose publications are logged tells it at
start-up how to list a project's records (``disclosures.log_records`` does, in
``DisclosuresConfig.ready``). Each record has ``version`` (with ``leaf_index`` and
``disclosure.item``), ``published`` (the entry rebuilt from the site's current data),
``files``, ``entry`` (the log's entry, or None) and ``proof`` (the inclusion proof, or None).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

RecordsSource = Callable[[Any, int], list]
_source: RecordsSource | None = None


def set_project_records_source(source: RecordsSource) -> None:
    global _source
    _source = source


def project_records(project: Any, size: int) -> list:
    """The records of ``project``'s logged publications, with proofs in a tree of ``size``."""
    return [] if _source is None else _source(project, size)
