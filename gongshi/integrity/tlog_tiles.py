"""C2SP tlog-tiles: tile paths, entry bundles, and proofs computed from fetched tiles.

No Django (the standalone verifier uses this module beside ``merkle.py``). A tile at level
``L`` index ``N`` holds up to 256 consecutive hashes of perfect subtrees of ``256**L``
leaves; level 0 holds the leaf hashes. Tiles are served at ``tile/<L>/<N>[.p/<W>]`` and
the entries at ``tile/entries/<N>[.p/<W>]`` (big-endian uint16 length before each entry),
``N`` written as 3-digit path elements, all but the last prefixed with ``x``.

:class:`TileReader` answers any Merkle tree hash of a tree of known size from its tiles,
so a client computes inclusion and consistency proofs itself and checks them against the
signed checkpoint: tiles are never trusted, a wrong tile makes a proof fail.
"""

from __future__ import annotations

import re
from collections.abc import Callable

if __package__:
    from gongshi.integrity.merkle import HASH_SIZE, node_hash, split_point
else:  # standalone, beside merkle.py
    from merkle import HASH_SIZE, node_hash, split_point  # type: ignore[no-redef]

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
MAX_ENTRY_SIZE = 0xFFFF


class TileError(ValueError):
    """A tile path that is not valid, or a tile whose size is not what the tree says."""


def encode_index(index: int) -> str:
    """1234067 -> ``x001/x234/067``."""
    if index < 0:
        raise TileError("a tile index is never negative")
    digits = f"{index:d}"
    digits = "0" * (-len(digits) % 3) + digits
    groups = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    return "/".join([f"x{g}" for g in groups[:-1]] + [groups[-1]])


def tile_path(level: int | str, index: int, width: int = TILE_WIDTH) -> str:
    """``tile/<L>/<N>`` (or ``tile/entries/<N>``), with ``.p/<W>`` for a partial tile."""
    if not 1 <= width <= TILE_WIDTH:
        raise TileError(f"a tile's width is 1 to 256, not {width}")
    suffix = "" if width == TILE_WIDTH else f".p/{width}"
    return f"tile/{level}/{encode_index(index)}{suffix}"


def entries_path(index: int, width: int = TILE_WIDTH) -> str:
    return tile_path("entries", index, width)


_PATH = re.compile(r"^(0|[1-9][0-9]?|entries)/((?:x[0-9]{3}/)*[0-9]{3})(?:\.p/([1-9][0-9]{0,2}))?$")


def parse_tile_path(path: str) -> tuple[int | None, int, int]:
    """``"1/x001/234.p/7"`` (the part after ``tile/``) -> (level, index, width); level None
    for an entry bundle. Raises :class:`TileError` for anything that is not a tile path."""
    match = _PATH.match(path)
    if not match:
        raise TileError(f"not a tile path: {path!r}")
    level_text, index_text, width_text = match.groups()
    level = None if level_text == "entries" else int(level_text)
    if level is not None and level > 63:
        raise TileError("a tile's level is 0 to 63")
    groups = index_text.split("/")
    if len(groups) > 1 and groups[0] == "x000":
        raise TileError("a tile index has no leading zero groups")
    index = int("".join(g.lstrip("x") for g in groups))
    width = int(width_text) if width_text else TILE_WIDTH
    if width_text and width >= TILE_WIDTH:
        raise TileError("a partial tile is 1 to 255 wide")
    return level, index, width


def encode_bundle(entries: list[bytes]) -> bytes:
    parts = []
    for entry in entries:
        if len(entry) > MAX_ENTRY_SIZE:
            raise TileError(f"a log entry of {len(entry)} bytes is too long for a bundle")
        parts.append(len(entry).to_bytes(2, "big") + entry)
    return b"".join(parts)


def decode_bundle(blob: bytes) -> list[bytes]:
    entries, position = [], 0
    while position < len(blob):
        if position + 2 > len(blob):
            raise TileError("an entry bundle ends inside a length prefix")
        size = int.from_bytes(blob[position : position + 2], "big")
        position += 2
        if position + size > len(blob):
            raise TileError("an entry bundle ends inside an entry")
        entries.append(blob[position : position + size])
        position += size
    return entries


def tile_width(level: int, index: int, tree_size: int) -> int:
    """How many hashes tile ``index`` at ``level`` has in a tree of ``tree_size`` (0: none)."""
    count = tree_size >> (TILE_HEIGHT * level)  # complete subtrees of 256**level leaves
    return max(0, min(TILE_WIDTH, count - index * TILE_WIDTH))


def tiles_for(tree_size: int) -> list[tuple[int, int, int]]:
    """Every (level, index, width) tile of a tree of ``tree_size``, full ones included."""
    found, level = [], 0
    while tree_size >> (TILE_HEIGHT * level):
        count = tree_size >> (TILE_HEIGHT * level)
        for index in range((count + TILE_WIDTH - 1) // TILE_WIDTH):
            found.append((level, index, tile_width(level, index, tree_size)))
        level += 1
    return found


class TileReader:
    """Merkle tree hashes of a tree of ``tree_size`` leaves, read from its tiles.

    ``get(path)`` returns the bytes at ``<prefix>/<path>`` (an HTTP fetch, a file read).
    Each tile is fetched once.
    """

    def __init__(self, get: Callable[[str], bytes], tree_size: int) -> None:
        self.get = get
        self.tree_size = tree_size
        self._tiles: dict[tuple[int, int], list[bytes]] = {}

    def tile(self, level: int, index: int) -> list[bytes]:
        key = (level, index)
        if key not in self._tiles:
            width = tile_width(level, index, self.tree_size)
            if width == 0:
                raise TileError(f"tile {level}/{index} is outside a tree of {self.tree_size}")
            blob = self.get(tile_path(level, index, width))
            if len(blob) != width * HASH_SIZE:
                raise TileError(
                    f"tile {tile_path(level, index, width)} has {len(blob)} bytes,"
                    f" not {width * HASH_SIZE}"
                )
            self._tiles[key] = [blob[i : i + HASH_SIZE] for i in range(0, len(blob), HASH_SIZE)]
        return self._tiles[key]

    def entries(self, index: int) -> list[bytes]:
        """The entries of bundle ``index`` (``get`` on ``tile/entries/...``)."""
        width = tile_width(0, index, self.tree_size)
        if width == 0:
            raise TileError(f"entry bundle {index} is outside a tree of {self.tree_size}")
        entries = decode_bundle(self.get(entries_path(index, width)))
        if len(entries) != width:
            raise TileError(f"entry bundle {index} has {len(entries)} entries, not {width}")
        return entries

    def subtree(self, height: int, index: int) -> bytes:
        """MTH of the perfect subtree of ``2**height`` leaves starting at ``index << height``."""
        level, rest = divmod(height, TILE_HEIGHT)
        first = index << rest  # position of its first hash at the tile level
        hashes = [
            self.tile(level, position >> TILE_HEIGHT)[position % TILE_WIDTH]
            for position in range(first, first + (1 << rest))
        ]
        while len(hashes) > 1:
            hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
        return hashes[0]

    def range_hash(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for a range that is a subtree in RFC 9162's recursion."""
        if not 0 <= start < end <= self.tree_size:
            raise TileError(f"range {start}..{end} is not in a tree of {self.tree_size}")
        parts: list[bytes] = []
        while end > start:
            width = end - start
            if width & (width - 1) == 0:
                height = width.bit_length() - 1
                parts.append(self.subtree(height, start >> height))
                break
            k = split_point(width)
            height = k.bit_length() - 1
            parts.append(self.subtree(height, start >> height))
            start += k
        result = parts[-1]
        for left in reversed(parts[:-1]):
            result = node_hash(left, result)
        return result

    def root(self, size: int | None = None) -> bytes:
        return self.range_hash(0, self.tree_size if size is None else size)

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """PATH(index, D[0:size]) (RFC 9162 §2.1.3.1)."""
        if not 0 <= index < size <= self.tree_size:
            raise TileError(f"no inclusion proof of {index} in a tree of {size}")
        proof: list[bytes] = []
        lo, hi = 0, size
        while hi - lo > 1:
            k = split_point(hi - lo)
            if index < lo + k:
                proof.append(self.range_hash(lo + k, hi))
                hi = lo + k
            else:
                proof.append(self.range_hash(lo, lo + k))
                lo += k
        proof.reverse()
        return proof

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        """PROOF(first, D[0:second]) (RFC 9162 §2.1.4.1)."""
        if not 0 <= first <= second <= self.tree_size:
            raise TileError(f"no consistency proof from {first} to {second}")
        if first in (0, second):
            return []
        proof: list[bytes] = []
        lo, hi, m, whole = 0, second, first, True
        while True:
            width = hi - lo
            if m == width:
                if not whole:
                    proof.append(self.range_hash(lo, hi))
                break
            k = split_point(width)
            if m <= k:
                proof.append(self.range_hash(lo + k, hi))
                hi = lo + k
            else:
                proof.append(self.range_hash(lo, lo + k))
                lo, m, whole = lo + k, m - k, False
        proof.reverse()
        return proof
