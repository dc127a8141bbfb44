"""C2SP tlog-tiles: paths, bundles, proofs from tiles, the app's tile routes over HTTP, and
the verifier reading an export that only nginx serves."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import urllib.request

import pytest
from django.core.management import call_command

from gongshi.integrity import keys, log, merkle, verifier
from gongshi.integrity.tests.helpers import publish_with_file
from gongshi.integrity.tests.static_server import serve_directory
from gongshi.integrity.tlog_tiles import (
    TileError,
    TileReader,
    decode_bundle,
    encode_bundle,
    encode_index,
    parse_tile_path,
    tile_path,
    tiles_for,
)


def test_tile_paths_follow_the_spec():
    assert encode_index(1234067) == "x001/x234/067"
    assert encode_index(0) == "000"
    assert encode_index(1000) == "x001/000"
    assert tile_path(1, 1234067) == "tile/1/x001/x234/067"
    assert tile_path("entries", 5, 17) == "tile/entries/005.p/17"
    assert parse_tile_path("1/x001/x234/067.p/7") == (1, 1234067, 7)
    assert parse_tile_path("entries/000") == (None, 0, 256)
    for bad in ["1/1234067", "01/000", "0/000.p/256", "0/000.p/0", "0/x000/001", "64/000"]:
        with pytest.raises(TileError):
            parse_tile_path(bad)


def test_a_tree_of_70000_has_the_tiles_the_spec_lists():
    found = tiles_for(70000)
    level0 = [t for t in found if t[0] == 0]
    assert sum(1 for t in level0 if t[2] == 256) == 273
    assert level0[-1] == (0, 273, 112)
    assert [t for t in found if t[0] == 1] == [(1, 0, 256), (1, 1, 17)]
    assert [t for t in found if t[0] == 2] == [(2, 0, 1)]
    assert tiles_for(256) == [(0, 0, 256), (1, 0, 1)]


def test_bundles_round_trip_and_refuse_a_cut_bundle():
    entries = [b"", "公示".encode(), b"x" * 300]
    blob = encode_bundle(entries)
    assert blob[:2] == b"\x00\x00"
    assert decode_bundle(blob) == entries
    with pytest.raises(TileError):
        decode_bundle(blob[:-1])


def memory_tiles(leaves: list[bytes]):
    """The tiles of a tree, computed straight from the RFC's definition."""
    store = {}
    size = len(leaves)
    for level, index, width in tiles_for(size):
        span = 256**level
        hashes = [
            merkle.root_of(leaves[(index * 256 + i) * span : (index * 256 + i + 1) * span])
            for i in range(width)
        ]
        store[tile_path(level, index, width)] = b"".join(hashes)
    return store


@pytest.mark.parametrize("size", [1, 2, 255, 256, 257, 600, 66000])
def test_proofs_from_tiles_verify_against_the_root(size):
    leaves = [hashlib.sha256(str(i).encode()).digest() for i in range(size)]
    store = memory_tiles(leaves)
    reader = TileReader(store.__getitem__, size)
    root = merkle.root_of(leaves)
    assert reader.root() == root
    for index in {0, size // 3, size - 1}:
        proof = reader.inclusion_proof(index, size)
        merkle.verify_inclusion(index, size, leaves[index], proof, root)
    for first in {1, size // 2, size - 1} - {0}:
        proof = reader.consistency_proof(first, size)
        merkle.verify_consistency(first, size, proof, merkle.root_of(leaves[:first]), root)


def test_a_wrong_tile_makes_the_proof_fail():
    leaves = [hashlib.sha256(str(i).encode()).digest() for i in range(300)]
    store = memory_tiles(leaves)
    path = tile_path(0, 0)
    store[path] = b"\xff" * 32 + store[path][32:]
    reader = TileReader(store.__getitem__, 300)
    proof = reader.inclusion_proof(5, 300)  # uses MTH(D[0:4]), which hashes leaf 0
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(5, 300, leaves[5], proof, merkle.root_of(leaves))


def http(url: str):
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
        return response.read(), response.headers


def test_tiles_over_http_give_the_apis_proofs(live_server, db):
    log.append_leaves([("test", {"n": n}) for n in range(600)], checkpoint=False)
    checkpoint = log.make_checkpoint()
    base = live_server.url
    fetched = []

    def get(path):
        body, headers = http(f"{base}/{path}")
        assert headers["Content-Type"] == "application/octet-stream"
        fetched.append((path, headers["Cache-Control"]))
        return body

    reader = TileReader(get, 600)
    assert reader.root() == checkpoint.root_hash
    for index, size in [(0, 600), (257, 600), (599, 600), (3, 513)]:
        api, _ = http(f"{base}/api/v1/log/proof/inclusion?index={index}&tree_size={size}")
        expected = [base64.b64decode(h) for h in json.loads(api)["hashes"]]
        assert reader.inclusion_proof(index, size) == expected
    for first, second in [(1, 600), (256, 600), (300, 513), (599, 600)]:
        api, _ = http(f"{base}/api/v1/log/proof/consistency?first={first}&second={second}")
        expected = [base64.b64decode(h) for h in json.loads(api)["hashes"]]
        assert reader.consistency_proof(first, second) == expected
    caching = dict(fetched)
    assert caching["tile/0/000"] == "public, max-age=31536000, immutable"
    assert caching["tile/0/002.p/88"] == "public, max-age=60"
    assert caching["tile/1/000.p/2"] == "public, max-age=60"
    bundle = reader.entries(2)
    assert json.loads(bundle[0]) == {"n": 512, "type": "test"}
    text, headers = http(f"{base}/checkpoint")
    assert text.decode() == checkpoint.signed_note
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    for missing in ["tile/0/003", "tile/0/002.p/89", "tile/2/000.p/1", "tile/0/2"]:
        with pytest.raises(urllib.error.HTTPError) as caught:
            http(f"{base}/{missing}")
        assert caught.value.code == 404


def test_the_verifier_checks_a_project_from_an_export_with_only_a_static_server(world, tmp_path):
    versions = [publish_with_file(world, note=f"第{n}项") for n in range(3)]
    log.append_leaves([("test", {"n": n}) for n in range(260)])
    log.make_checkpoint()
    out = io.StringIO()
    call_command("export_tiles", str(tmp_path / "tiles"), stdout=out)
    assert "Exported a log of 263 entries" in out.getvalue()
    pubkey = tmp_path / "log.pub"
    pubkey.write_text(keys.public_key().text + "\n", encoding="utf-8")
    state = tmp_path / "state"
    # No live server: the application is not serving anything during this run.
    with serve_directory(tmp_path / "tiles", tmp_path / "server") as (url, _kind):
        body, headers = http(f"{url}/tile/0/000")
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
        out, err = io.StringIO(), io.StringIO()
        args = ["--tiles", url, "--pubkey", str(pubkey), "--project", world.project.code]
        code = verifier.run([*args, "--state", str(state)], out=out, err=err)
        assert (code, err.getvalue()) == (0, "")
        assert f"项目 {world.project.code}：日志中的 3 条记录均在签名的日志树中" in out.getvalue()
        for version in versions:
            assert f"第 {version.leaf_index} 条：" in out.getvalue()
        sha = versions[0].attachments.get().file.sha256
        assert f"施工许可证.pdf sha256:{sha}" in out.getvalue()
        # A tile changed on the mirror is caught.
        tile = tmp_path / "tiles" / "tile" / "0" / "000"
        tile.write_bytes(b"\x00" * 32 + tile.read_bytes()[32:])
        out, err = io.StringIO(), io.StringIO()
        code = verifier.run([*args, "--state", str(state)], out=out, err=err)
        assert code == verifier.EXIT_FAILED
        assert "包含证明不成立" in err.getvalue()


def test_export_tiles_writes_to_the_configured_directory_by_default(db, settings, tmp_path):
    settings.GONGSHI_TILES_DIR = tmp_path / "tiles"
    log.append_leaves([("test", {"n": n}) for n in range(3)], checkpoint=False)
    checkpoint = log.make_checkpoint()
    call_command("export_tiles", stdout=io.StringIO())
    assert (tmp_path / "tiles" / "checkpoint").read_text() == checkpoint.signed_note
    assert len((tmp_path / "tiles" / "tile" / "0" / "000.p" / "3").read_bytes()) == 96
    assert decode_bundle((tmp_path / "tiles" / "tile" / "entries" / "000.p" / "3").read_bytes())
