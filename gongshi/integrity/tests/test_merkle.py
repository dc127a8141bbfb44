"""RFC 9162 hashing and proof algorithms against the transparency-dev reference vectors.

Vectors copied (as data) from github.com/transparency-dev/merkle, Apache-2.0:
``testonly/constants.go`` (LeafInputs, NodeHashes, RootHashes) and
``testonly/reference_test.go`` (TestRefInclusionProof, TestRefConsistencyProof).
"""

import pytest

from gongshi.integrity import tree
from gongshi.integrity.merkle import (
    EMPTY_ROOT,
    ProofError,
    canonical_json,
    leaf_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)

LEAF_INPUTS = [
    bytes.fromhex(h)
    for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
              "606162636465666768696a6b6c6d6e6f"]
]  # fmt: skip
NODE_HASHES = [
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    ],
    [
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    ],
    [
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    ["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
]
ROOT_HASHES = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
H = NODE_HASHES
INCLUSION_VECTORS = [  # (index, size, proof)
    (0, 1, []),
    (0, 2, [H[0][1]]),
    (1, 2, [H[0][0]]),
    (2, 3, [H[1][0]]),
    (1, 5, [H[0][0], H[1][1], H[0][4]]),
    (0, 8, [H[0][1], H[1][1], H[2][1]]),
    (5, 8, [H[0][4], H[1][3], H[2][0]]),
]
CONSISTENCY_VECTORS = [  # (size1, size2, proof)
    (1, 1, []),
    (1, 8, [H[0][1], H[1][1], H[2][1]]),
    (2, 5, [H[1][1], H[0][4]]),
    (6, 8, [H[1][2], H[1][3], H[2][0]]),
]

LEAVES = [leaf_hash(x) for x in LEAF_INPUTS]


def memory_fetch(leaves):
    """Every perfect subtree of ``leaves``, as the database would store them."""
    levels = [list(leaves)]
    while len(levels[-1]) > 1:
        below = levels[-1]
        levels.append([tree.node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)])

    def fetch(wanted):
        return {(lv, i): levels[lv][i] for lv, i in wanted if i < len(levels[lv])}

    return fetch


def hexes(hashes):
    return [h.hex() for h in hashes]


def test_leaf_hashes_match_the_reference_node_hashes():
    assert hexes(LEAVES) == NODE_HASHES[0]


@pytest.mark.parametrize("size", range(9))
def test_roots_match_the_reference_roots(size):
    assert root_of(LEAVES[:size]).hex() == ROOT_HASHES[size]
    assert tree.root_hash(size, memory_fetch(LEAVES[:size])).hex() == ROOT_HASHES[size]


def test_the_empty_tree_has_the_hash_of_nothing():
    assert EMPTY_ROOT.hex() == ROOT_HASHES[0]


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION_VECTORS)
def test_inclusion_proofs_match_and_verify(index, size, proof):
    made = tree.inclusion_proof(index, size, memory_fetch(LEAVES))
    assert hexes(made) == proof
    verify_inclusion(index, size, LEAVES[index], made, bytes.fromhex(ROOT_HASHES[size]))


@pytest.mark.parametrize(("first", "second", "proof"), CONSISTENCY_VECTORS)
def test_consistency_proofs_match_and_verify(first, second, proof):
    made = tree.consistency_proof(first, second, memory_fetch(LEAVES))
    assert hexes(made) == proof
    verify_consistency(
        first, second, made, bytes.fromhex(ROOT_HASHES[first]), bytes.fromhex(ROOT_HASHES[second])
    )


def test_every_inclusion_and_consistency_proof_up_to_40_leaves_verifies():
    leaves = [leaf_hash(str(i).encode()) for i in range(40)]
    fetch = memory_fetch(leaves)
    roots = [root_of(leaves[:n]) for n in range(41)]
    for size in range(1, 41):
        for index in range(size):
            verify_inclusion(
                index, size, leaves[index], tree.inclusion_proof(index, size, fetch), roots[size]
            )
        for first in range(size + 1):
            proof = tree.consistency_proof(first, size, fetch)
            verify_consistency(first, size, proof, roots[first], roots[size])


def test_a_wrong_leaf_a_wrong_index_or_a_short_proof_fails():
    proof = tree.inclusion_proof(5, 8, memory_fetch(LEAVES))
    root = bytes.fromhex(ROOT_HASHES[8])
    with pytest.raises(ProofError):
        verify_inclusion(5, 8, LEAVES[4], proof, root)
    with pytest.raises(ProofError):
        verify_inclusion(4, 8, LEAVES[5], proof, root)
    with pytest.raises(ProofError, match="shorter"):
        verify_inclusion(5, 8, LEAVES[5], proof[:-1], root)
    with pytest.raises(ProofError):
        verify_inclusion(8, 8, LEAVES[5], proof, root)


def test_a_consistency_proof_against_a_forked_tree_fails():
    proof = tree.consistency_proof(6, 8, memory_fetch(LEAVES))
    forked = LEAVES[:5] + [leaf_hash(b"forged")] + LEAVES[6:]
    with pytest.raises(ProofError, match="not a prefix"):
        verify_consistency(6, 8, proof, root_of(forked[:6]), bytes.fromhex(ROOT_HASHES[8]))
    with pytest.raises(ProofError, match="went down"):
        verify_consistency(8, 6, [], bytes.fromhex(ROOT_HASHES[8]), bytes.fromhex(ROOT_HASHES[6]))
    with pytest.raises(ProofError, match="two different roots"):
        verify_consistency(6, 6, [], root_of(forked[:6]), bytes.fromhex(ROOT_HASHES[6]))


def test_the_frontier_gives_the_same_roots_and_stores_each_perfect_subtree_once():
    frontier, stored = [], []
    for size, leaf in enumerate(LEAVES):
        stored += tree.frontier_append(frontier, size, leaf)
        assert tree.frontier_root(frontier).hex() == ROOT_HASHES[size + 1]
    assert sorted((lv, i, h.hex()) for lv, i, h in stored) == sorted(
        (lv, i, h) for lv in range(1, 4) for i, h in enumerate(NODE_HASHES[lv])
    )


def test_canonical_json_sorts_keys_keeps_chinese_and_refuses_floats():
    assert canonical_json({"b": 1, "a": "公示"}) == '{"a":"公示","b":1}'.encode()
    with pytest.raises(TypeError, match=r"entry\.values\.area"):
        canonical_json({"values": {"area": 52000.5}})
