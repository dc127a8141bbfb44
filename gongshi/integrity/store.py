"""The log's storage in plain SQL, shared by the SQLite append and the PostgreSQL sequencer.

The append path runs inside every publication, and the ORM's overhead (four querysets per
leaf) was most of its cost — see bench/integrity_bench.py. Nothing here decides *when* the
tree grows: :mod:`gongshi.integrity.log` (SQLite) and :mod:`gongshi.integrity.sequencer`
(PostgreSQL) do.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from django.db import connection

from gongshi.integrity import keys, tree
from gongshi.integrity.merkle import HASH_SIZE, canonical_json, leaf_hash
from gongshi.integrity.models import Checkpoint, LogEntry, LogHead, LogNode
from gongshi.integrity.note import sign_checkpoint

HEAD_PK = 1
VOID_KIND = "void"  # a rolled-back publication's number, filled by the sequencer

HEAD = LogHead._meta.db_table
ENTRY = LogEntry._meta.db_table
NODE = LogNode._meta.db_table
CHECKPOINT = Checkpoint._meta.db_table
ENTRY_COLUMNS = '("index", kind, entry, leaf_hash, created_at)'

# Rows per multi-row INSERT: well under PostgreSQL's 65,535 parameters a statement and
# SQLite's 32,766 (3.32+), with room for the other parts of a combined statement.
MAX_PARAMS = 30_000


def head_row(lock: str = "") -> tuple[int, list[bytes]]:
    """The head's (tree size, frontier), with ``lock`` appended to the SELECT.

    The row is made by the first append (a flushed test database has none).
    """
    select = f"SELECT tree_size, frontier FROM {HEAD} WHERE id = %s{lock}"
    with connection.cursor() as cursor:
        cursor.execute(select, [HEAD_PK])
        row = cursor.fetchone()
        if row is None:
            # Two first appends may race to create it: the loser's insert waits, then does
            # nothing, and both read (and lock) the one row below.
            cursor.execute(
                f"INSERT INTO {HEAD} (id, tree_size, frontier) VALUES (%s, 0, %s)"
                " ON CONFLICT (id) DO NOTHING",
                [HEAD_PK, b""],
            )
            cursor.execute(select, [HEAD_PK])
            row = cursor.fetchone()
    return row[0], split_frontier(row[1])


def split_frontier(blob: bytes) -> list[bytes]:
    blob = bytes(blob)
    return [blob[i : i + HASH_SIZE] for i in range(0, len(blob), HASH_SIZE)]


def prepared(items: Iterable[tuple[str, dict]]) -> list[tuple[str, bytes, bytes]]:
    """(kind, canonical entry, leaf hash) of each item; refuses a mismatched or void kind."""
    rows = []
    for kind, payload in items:
        if payload.get("type", kind) != kind:
            raise ValueError(f"payload type {payload['type']!r} does not match kind {kind!r}")
        if kind == VOID_KIND:
            raise ValueError("void leaves are written by the integrator only")
        body = canonical_json({**payload, "type": kind})
        rows.append((kind, body, leaf_hash(body)))
    return rows


def as_rows(entries: list[LogEntry]) -> list[LogEntry]:
    for entry in entries:  # they are rows now: saving one again must refuse, not insert
        entry._state.adding, entry._state.db = False, connection.alias
    return entries


def db_time(value):
    return LogEntry._meta.get_field("created_at").get_db_prep_value(value, connection)


def _max_params() -> int:
    if connection.vendor == "sqlite":  # 32,766 since SQLite 3.32, 999 before
        connection.ensure_connection()
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        return min(MAX_PARAMS, limit)
    return MAX_PARAMS


def inserts(table: str, columns: str, rows: list[tuple]) -> list[tuple[str, list]]:
    """Multi-row INSERT statements for ``rows``: one per chunk, not one per row."""
    if not rows:
        return []
    width = len(rows[0])
    marks = "(" + ", ".join(["%s"] * width) + ")"
    per = max(1, _max_params() // width)
    statements = []
    for start in range(0, len(rows), per):
        chunk = rows[start : start + per]
        values = ", ".join([marks] * len(chunk))
        params = [value for row in chunk for value in row]
        statements.append((f"INSERT INTO {table} {columns} VALUES {values}", params))
    return statements


def write_tree(
    entry_rows: list[tuple],
    nodes: list[tuple[int, bytes]],
    size: int,
    frontier: list[bytes],
    watermark: tuple[int | None, int | None] | None = None,
) -> None:
    """Write leaves, the subtrees they complete and the new head (and the sequencer's
    watermark), under the head lock.

    On PostgreSQL the inserts and the head update are one statement (data-modifying CTEs);
    elsewhere, one multi-row INSERT per table.
    """
    head = f"UPDATE {HEAD} SET tree_size = %s, frontier = %s WHERE id = %s"
    head_params = [size, b"".join(frontier), HEAD_PK]
    if watermark is not None:
        head = f"UPDATE {HEAD} SET tree_size = %s, frontier = %s, pending_last = %s,"
        head += " pending_xid = %s WHERE id = %s"
        head_params = [size, b"".join(frontier), *watermark, HEAD_PK]
    statements = inserts(ENTRY, ENTRY_COLUMNS, entry_rows)
    statements += inserts(NODE, '("key", hash)', nodes)
    with connection.cursor() as cursor:
        if (
            connection.vendor == "postgresql"
            and statements
            and sum(len(p) for _, p in statements) <= MAX_PARAMS
        ):
            ctes = ", ".join(f"w{n} AS ({sql})" for n, (sql, _) in enumerate(statements))
            params = [value for _, chunk in statements for value in chunk]
            cursor.execute(f"WITH {ctes} {head}", params + head_params)
            return
        for sql, params in statements:
            cursor.execute(sql, params)
        cursor.execute(head, head_params)


def sign(size: int, frontier: list[bytes], signed: int | None, *, force: bool) -> Checkpoint | None:
    """Sign the tree of ``size`` under the head lock if it grew past ``signed`` (the latest
    checkpoint's size), so checkpoints are made in tree order and no two share a size."""
    if signed is not None and signed >= size and not force:
        return None
    root = tree.frontier_root(frontier)
    note = sign_checkpoint(keys.log_origin(), size, root, keys.signing_key())
    return Checkpoint.objects.create(tree_size=size, root_hash=root, signed_note=note)
