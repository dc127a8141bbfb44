"""The log as C2SP tlog-tiles, read from the stored subtrees; and its export to a directory.

Every hash a tile holds is a stored perfect subtree: a level-``L`` tile's hashes are the
subtrees of ``256**L`` leaves, i.e. the stored nodes at tree level ``8·L`` (leaf hashes for
``L = 0``). So a tile is one range query, and a full tile never changes once its last leaf
is in the tree — it is served (and exported) as immutable.

Only what the latest checkpoint covers is served: a tile or bundle past its size answers
404 until a checkpoint signs it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.db import connection

from gongshi.integrity import log
from gongshi.integrity.merkle import HASH_SIZE
from gongshi.integrity.models import Checkpoint, LogEntry, LogNode, pack_node_key
from gongshi.integrity.tlog_tiles import (
    TILE_HEIGHT,
    TILE_WIDTH,
    encode_bundle,
    entries_path,
    tile_path,
    tile_width,
    tiles_for,
)
from gongshi.integrity.tree import MissingNodeError

_ENTRY = LogEntry._meta.db_table
_NODE = LogNode._meta.db_table


def published_size() -> int:
    checkpoint = log.latest_checkpoint()
    return checkpoint.tree_size if checkpoint else 0


def servable(level: int, index: int, width: int, size: int) -> bool:
    """Whether tile (level, index) of ``width`` hashes exists in a tree of ``size``."""
    return 0 < width <= tile_width(level, index, size)


def tile_hashes(level: int, index: int, width: int) -> bytes:
    """The ``width`` hashes of tile (level, index), concatenated — one range query."""
    first = index * TILE_WIDTH
    with connection.cursor() as cursor:
        if level == 0:
            cursor.execute(
                f'SELECT leaf_hash FROM {_ENTRY} WHERE "index" >= %s AND "index" < %s'
                ' ORDER BY "index"',
                [first, first + width],
            )
        else:
            height = TILE_HEIGHT * level
            cursor.execute(
                f'SELECT hash FROM {_NODE} WHERE "key" >= %s AND "key" < %s ORDER BY "key"',
                [pack_node_key(height, first), pack_node_key(height, first + width)],
            )
        rows = [bytes(row[0]) for row in cursor.fetchall()]
    if len(rows) != width or any(len(h) != HASH_SIZE for h in rows):
        raise MissingNodeError(f"tile {tile_path(level, index, width)} has stored hashes missing")
    return b"".join(rows)


def entry_bundle(index: int, width: int) -> bytes:
    first = index * TILE_WIDTH
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT entry FROM {_ENTRY} WHERE "index" >= %s AND "index" < %s ORDER BY "index"',
            [first, first + width],
        )
        entries = [bytes(row[0]) for row in cursor.fetchall()]
    if len(entries) != width:
        raise MissingNodeError(f"entry bundle {entries_path(index, width)} has entries missing")
    return encode_bundle(entries)


def checkpoint_text(checkpoint: Checkpoint) -> str:
    """The checkpoint as served at ``/checkpoint``: the log's signature, then every
    witness's cosignature collected for it."""
    from gongshi.integrity.witnessing import cosignature_lines

    return checkpoint.signed_note + "".join(cosignature_lines(checkpoint))


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)


def export(directory: Path) -> tuple[int, int]:
    """Write ``checkpoint`` and every tile and bundle of the latest checkpoint under
    ``directory``; full tiles already there are kept (they never change). Returns (tree size,
    files written)."""
    checkpoint = log.latest_checkpoint()
    if checkpoint is None:
        return 0, 0
    size, written = checkpoint.tree_size, 0
    for level, index, width in tiles_for(size):
        path = directory / tile_path(level, index, width)
        bundle = directory / entries_path(index, width) if level == 0 else None
        if width == TILE_WIDTH and path.exists() and (bundle is None or bundle.exists()):
            continue
        _write(path, tile_hashes(level, index, width))
        written += 1
        if bundle is not None:
            _write(bundle, entry_bundle(index, width))
            written += 1
    _write(directory / "checkpoint", checkpoint_text(checkpoint).encode())
    return size, written + 1
