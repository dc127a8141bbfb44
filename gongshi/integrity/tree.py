"""Proof generation over stored perfect subtrees — the log's half of RFC 9162 §2.1.

Every aligned perfect subtree (``2**level`` leaves starting at ``index * 2**level``) is
hashed once, when its last leaf is appended, and kept. Any subtree hash a proof needs is
then at most ``log2(n)`` stored hashes folded together, so a proof in a million-leaf log
reads about forty 32-byte hashes in one query and never rehashes the tree.

Pure Python: the caller supplies ``fetch(keys) -> {key: hash}`` for node keys
``(level, index)``, which the database store and the in-memory test store both implement.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from gongshi.integrity.merkle import EMPTY_ROOT, node_hash, split_point

NodeKey = tuple[int, int]
Fetch = Callable[[set[NodeKey]], dict[NodeKey, bytes]]
Range = tuple[int, int]


class MissingNodeError(LookupError):
    """A stored hash the tree needs is not there: the log's tables were damaged."""


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """PATH(m, D[n]) as the leaf ranges whose subtree hashes make up the proof, leaf first."""
    if not 0 <= index < size:
        raise ValueError(f"index {index} is not in a tree of size {size}")
    ranges: list[Range] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = split_point(hi - lo)
        if index < lo + k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo = lo + k
    ranges.reverse()
    return ranges


def consistency_ranges(first: int, second: int) -> list[Range]:
    """PROOF(m, D[n]) (RFC 9162 §2.1.4.1) as leaf ranges, in proof order."""
    if not 0 < first <= second:
        raise ValueError(f"no consistency proof from size {first} to size {second}")
    ranges: list[Range] = []
    lo, hi, m, have_root = 0, second, first, True  # m counts leaves from lo
    while True:
        width = hi - lo
        if m == width:
            if not have_root:
                ranges.append((lo, hi))
            break
        k = split_point(width)
        if m <= k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo, m, have_root = lo + k, m - k, False
    ranges.reverse()
    return ranges


def perfect_subtrees(start: int, end: int) -> list[NodeKey]:
    """The stored subtrees whose fold is MTH(D[start:end]), left to right."""
    keys: list[NodeKey] = []
    while end > start:
        width = end - start
        if width & (width - 1) == 0:
            level = width.bit_length() - 1
            keys.append((level, start >> level))
            break
        k = split_point(width)
        level = k.bit_length() - 1
        keys.append((level, start >> level))
        start += k
    return keys


def fold(hashes: list[bytes]) -> bytes:
    """Combine perfect subtrees (left to right, each smaller than the last) into one hash."""
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def range_hashes(ranges: Iterable[Range], fetch: Fetch) -> list[bytes]:
    """MTH of each range, with one ``fetch`` for all the stored subtrees they need."""
    ranges = list(ranges)
    plan = [perfect_subtrees(start, end) for start, end in ranges]
    wanted = {key for keys in plan for key in keys}
    found = fetch(wanted) if wanted else {}
    missing = wanted - found.keys()
    if missing:
        level, index = min(missing)
        raise MissingNodeError(f"stored subtree (level {level}, index {index}) is missing")
    return [fold([found[key] for key in keys]) for keys in plan]


def root_hash(size: int, fetch: Fetch) -> bytes:
    if size == 0:
        return EMPTY_ROOT
    return range_hashes([(0, size)], fetch)[0]


def inclusion_proof(index: int, size: int, fetch: Fetch) -> list[bytes]:
    return range_hashes(inclusion_ranges(index, size), fetch)


def consistency_proof(first: int, second: int, fetch: Fetch) -> list[bytes]:
    if first == 0 or first == second:
        return []
    return range_hashes(consistency_ranges(first, second), fetch)


def frontier_append(frontier: list[bytes], size: int, leaf: bytes) -> list[tuple[int, int, bytes]]:
    """Append ``leaf`` as leaf number ``size``; returns the perfect subtrees it completes.

    ``frontier`` (changed in place) holds the roots of the perfect subtrees that make up the
    tree, largest first — one per set bit of the size — so appending costs O(log n) hashes
    and the root is their fold, with no read of the stored nodes.
    """
    completed: list[tuple[int, int, bytes]] = []
    current, level, index = leaf, 0, size
    while index & 1:
        current = node_hash(frontier.pop(), current)
        level += 1
        index >>= 1
        completed.append((level, index, current))
    frontier.append(current)
    return completed


def frontier_root(frontier: list[bytes]) -> bytes:
    return fold(frontier) if frontier else EMPTY_ROOT
