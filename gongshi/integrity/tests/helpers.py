"""Helpers for the integrity tests: publishing with files, and tampering behind the ORM."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

from gongshi.catalogue.tests.factories import make_item, make_version
from gongshi.disclosures.attachments import attach
from gongshi.disclosures.services import publish_version
from gongshi.files.ingest import ingest_upload
from gongshi.files.testing import make_pdf_bytes, uploaded
from gongshi.integrity import tree
from gongshi.integrity.merkle import HASH_SIZE


def publish_with_file(world, *, note: str = "测试内容", file_text: str = "施工许可证扫描件"):
    """Publish a version of a fresh item on the world's project with one PDF attached."""
    developer = world.users["developer"]
    item = make_item()
    version = make_version(
        world.project,
        item,
        developer,
        values={"note": note},
        information_date=timezone.localdate() - dt.timedelta(days=2),
    )
    stored = ingest_upload(uploaded("scan.pdf", make_pdf_bytes([file_text])))
    attach(version, stored, "施工许可证.pdf")
    return publish_version(version, developer)


def raw_sql(sql: str, params: list | tuple = ()) -> None:
    """Run SQL as someone with direct database access would: triggers that guard
    append-only tables are bypassed (PostgreSQL: replica role for this transaction; SQLite:
    dropped and put back), because the point is to show the *verifiers* catch it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
            try:
                cursor.execute(sql, params)
            finally:
                cursor.execute("SET session_replication_role = DEFAULT")
            return
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'")
        triggers = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            cursor.execute(sql, params)
        finally:
            for create in triggers:
                cursor.execute(create)


def truncate_log(size: int) -> None:
    """Cut the log back to ``size`` leaves, as a restore of an old backup would."""
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT leaf_hash FROM integrity_logentry WHERE "index" < %s ORDER BY "index"', [size]
        )
        leaves = [bytes(row[0]) for row in cursor.fetchall()]
    frontier: list[bytes] = []
    for position, leaf in enumerate(leaves):
        tree.frontier_append(frontier, position, leaf)
    assert all(len(h) == HASH_SIZE for h in frontier)
    raw_sql('DELETE FROM integrity_logentry WHERE "index" >= %s', [size])
    raw_sql("DELETE FROM integrity_lognode")  # rebuilt below from the kept leaves
    raw_sql("DELETE FROM integrity_checkpoint")
    raw_sql(
        "UPDATE integrity_loghead SET tree_size = %s, frontier = %s WHERE id = 1",
        [size, b"".join(frontier)],
    )
    if connection.vendor == "postgresql":  # the old backup's sequence came back with it
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval('integrity_log_index', %s, false)", [size])
    from gongshi.integrity.models import LogNode, pack_node_key

    nodes, rebuilt = [], []
    for position, leaf in enumerate(leaves):
        for level, index, value in tree.frontier_append(rebuilt, position, leaf):
            nodes.append(LogNode(key=pack_node_key(level, index), hash=value))
    LogNode.objects.bulk_create(nodes)
