"""Independent verifier of a Gongshi publication log. Needs Python 3.11, ``cryptography``,
the public key, and the site's address — nothing from the site's own code but this file and
its three neighbours (``merkle.py``, ``note.py``, ``tlog_tiles.py``)::

    python verifier.py --url https://gongshi.example --pubkey gongshi-log.pub \\
        --project K7M2Q9 --state gongshi-log.state

With ``--tiles PREFIX`` instead of (or beside) ``--url`` it reads only the static C2SP
tlog-tiles (``PREFIX/checkpoint``, ``PREFIX/tile/...``: a mirror, a CDN or nginx serving
``gongshi export_tiles``), computes every proof from them, and lists the project's logged
versions with their files' SHA-256 — no part of the application needs to be running.
``--witness FILE`` (repeatable) names a witness's verifier key: its cosignature of the
checkpoint is checked and shown; ``--min-witnesses N`` fails with fewer than N.

It checks, and says exactly what is wrong when a check fails:

1. the latest checkpoint is signed by the key in ``--pubkey``;
2. the log only grew since the checkpoint remembered in ``--state`` (consistency proof),
   and never shrank;
3. with ``--project``: every published version, rebuilt from the data the site serves now,
   hashes to the leaf at its log index, and that leaf is in the signed tree (inclusion
   proof); every attached file downloads with the SHA-256 the log recorded.

Exit status: 0 all verified, 1 a check failed (tampering or damage), 2 could not run.
Also ``gongshi verify`` (the same code).
"""

from __future__ import annotations

import argparse
import base64
import datetime
import hashlib
import http.client
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__:  # imported as gongshi.integrity.verifier (``gongshi verify``)
    from gongshi.integrity import merkle, note, tlog_tiles
else:  # run as a standalone script: merkle.py, note.py and tlog_tiles.py sit beside it
    import merkle  # type: ignore[no-redef]
    import note  # type: ignore[no-redef]
    import tlog_tiles  # type: ignore[no-redef]

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2

MESSAGES = {
    "zh": {
        "signature": "检查点签名无效或不是由给定公钥签署：{detail}",
        "rolled_back": "日志被回滚：上次核验时日志大小为 {before}，现在检查点只有 {now}。",
        "forked": "日志被改写：上次核验时大小 {before} 的日志不是现在大小 {now} 的日志的前缀（{detail}）。",
        "consistent": "与上次核验时的日志（大小 {before}）一致，只有追加。",
        "checkpoint": "检查点签名有效：日志 {origin}，大小 {size}，根哈希 {root}。",
        "not_logged": "{label}：没有日志序号，不在日志中。",
        "not_covered": "{label}：日志序号 {index} 不在检查点（大小 {size}）之内。",
        "entry_missing": "{label}：日志中缺少第 {index} 条（条目被删除）。",
        "fields_differ": "{label}：站点现在的数据与日志第 {index} 条不一致，字段：{fields}。",
        "entry_hash": "{label}：日志第 {index} 条的内容与其叶哈希不符（条目被改动）。",
        "proof_missing": "{label}：日志数据不完整，无法证明第 {index} 条在日志中。",
        "not_included": "{label}：第 {index} 条不在签名的日志树中（包含证明不成立：{detail}）。",
        "file_changed": "{label}：文件「{name}」的 SHA-256 是 {actual}，日志记录的是 {expected}（文件被替换）。",
        "file_unavailable": "{label}：文件「{name}」无法下载（{detail}）。",
        "project_ok": "项目 {project}：全部 {count} 个公示版本及其 {files} 个文件均已核验。",
        "corrections_ok": "项目 {project}：全部 {count} 次阶段日期更正均已核验。",
        "failed": "核验未通过：发现 {count} 处问题。",
        "ok": "核验通过。",
        "failed_short": "核验未通过（详见上文）。",
        "fetch": "无法获取 {url}：{detail}",
        "pubkey": "无法读取公钥文件 {path}：{detail}",
        "witness_key": "无法读取见证人公钥文件 {path}：{detail}",
        "witnessed": "见证人 {name} 于 {time} 联署了此检查点（确认日志只有追加）。",
        "not_witnessed": "见证人 {name} 尚未联署此检查点。",
        "bad_cosignature": "见证人联署无效：{detail}",
        "too_few_witnesses": "只有 {count} 个见证人联署了检查点，要求至少 {required} 个。",
        "tiles": "瓦片数据有误或不完整：{detail}",
        "tile_entry": "  第 {index} 条：{item} 第 {version} 版（{status}，{published_at}），文件：{files}",
        "tile_correction": "  第 {index} 条：{item}，原因：{reason}",
        "tiles_project_ok": "项目 {project}：日志中的 {count} 条记录均在签名的日志树中（仅依据静态瓦片核验）。",
        "tiles_project_none": "项目 {project}：日志中没有它的记录。",
        "tiles_voids_ok": "日志中 {count} 个空位条目（回滚的公示留下的序号）格式正确，且在签名的日志树中。",
        "tiles_void": "日志第 {index} 条自称空位条目（回滚的公示留下的序号），但内容不是空位条目的规定格式。",
        "tiles_corrections_ok": "项目 {project}：全部 {count} 次阶段日期更正均在签名的日志树中（依据静态瓦片核验）。",
        "tiles_differ": "{label}：站点现在的数据与静态瓦片中日志第 {index} 条不一致，字段：{fields}。",
        "tiles_missing": "{label}：静态瓦片中没有日志第 {index} 条（站点列出的记录不在瓦片里）。",
        "need_source": "请给出 --url（站点地址）或 --tiles（静态瓦片地址）。",
    },
    "en": {
        "signature": "The checkpoint signature is invalid or not made by the given key: {detail}",
        "rolled_back": "The log was rolled back: it had {before} entries at the last check, the checkpoint now says {now}.",
        "forked": "The log was rewritten: the log of size {before} seen last time is not a prefix of the log of size {now} ({detail}).",
        "consistent": "Consistent with the log seen last time (size {before}): only appended to.",
        "checkpoint": "Checkpoint signature valid: log {origin}, size {size}, root {root}.",
        "not_logged": "{label}: has no log index; it is not in the log.",
        "not_covered": "{label}: log index {index} is not covered by the checkpoint (size {size}).",
        "entry_missing": "{label}: log entry {index} is missing (deleted).",
        "fields_differ": "{label}: the data the site serves now differs from log entry {index} in: {fields}.",
        "entry_hash": "{label}: log entry {index} does not match its leaf hash (entry altered).",
        "proof_missing": "{label}: the log's data is incomplete; entry {index} cannot be proved.",
        "not_included": "{label}: entry {index} is not in the signed tree (inclusion proof fails: {detail}).",
        "file_changed": "{label}: file \u201c{name}\u201d has SHA-256 {actual}, the log recorded {expected} (file replaced).",
        "file_unavailable": "{label}: file \u201c{name}\u201d could not be downloaded ({detail}).",
        "project_ok": "Project {project}: all {count} published versions and their {files} files verified.",
        "corrections_ok": "Project {project}: all {count} stage-date corrections verified.",
        "failed": "Verification FAILED: {count} problem(s).",
        "ok": "Verified.",
        "failed_short": "Verification failed (see above).",
        "fetch": "Could not fetch {url}: {detail}",
        "pubkey": "Could not read the public key file {path}: {detail}",
        "witness_key": "Could not read the witness key file {path}: {detail}",
        "witnessed": "Witness {name} cosigned this checkpoint at {time} (the log was only appended to).",
        "not_witnessed": "Witness {name} has not cosigned this checkpoint yet.",
        "bad_cosignature": "Invalid witness cosignature: {detail}",
        "too_few_witnesses": "Only {count} witness(es) cosigned the checkpoint; at least {required} required.",
        "tiles": "The tiles are wrong or incomplete: {detail}",
        "tile_entry": "  entry {index}: {item} v{version} ({status}, {published_at}), files: {files}",
        "tile_correction": "  entry {index}: {item}, reason: {reason}",
        "tiles_project_ok": "Project {project}: all {count} of its log entries are in the signed tree (verified from static tiles only).",
        "tiles_project_none": "Project {project}: the log has no entries for it.",
        "tiles_voids_ok": "{count} void entries (numbers of rolled-back publications) have the void form and are in the signed log tree.",
        "tiles_void": "Log entry {index} claims to be a void entry (a rolled-back publication's number) but is not in the void entry's exact form.",
        "tiles_corrections_ok": "Project {project}: all {count} stage-date corrections are in the signed tree (verified from static tiles).",
        "tiles_differ": "{label}: the data the site serves now differs from log entry {index} in the static tiles in: {fields}.",
        "tiles_missing": "{label}: log entry {index} is not in the static tiles (the site lists an entry the tiles lack).",
        "need_source": "Give --url (the site) or --tiles (a static tiles prefix).",
    },
}


class FetchError(RuntimeError):
    pass


def http_get(url: str, timeout: float = 30.0) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.read()
    except urllib.error.HTTPError as exc:
        raise FetchError(f"HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise FetchError(str(getattr(exc, "reason", exc))) from None


def http_sha256(url: str, timeout: float = 60.0) -> str:
    """SHA-256 of a download, read in chunks: a 50 MB scan is never held in memory."""
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            while True:
                try:
                    chunk = response.read(1 << 20)
                except http.client.IncompleteRead as exc:
                    # Fewer bytes than announced (a stored file cut short): hash what came,
                    # so the mismatch is reported against the log's SHA-256.
                    digest.update(exc.partial)
                    break
                if not chunk:
                    break
                digest.update(chunk)
    except urllib.error.HTTPError as exc:
        raise FetchError(f"HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise FetchError(str(getattr(exc, "reason", exc))) from None
    return digest.hexdigest()


class Verifier:
    """One verification run; ``problems`` collects what failed, ``notes`` what passed."""

    def __init__(
        self,
        base_url: str | None,
        key: note.VerifierKey,
        *,
        tiles_url: str | None = None,
        lang: str = "zh",
        get: Callable[[str], bytes] = http_get,
        sha256_of: Callable[[str], str] = http_sha256,
    ) -> None:
        self.base_url = (base_url or "").rstrip("/")
        self.tiles_url = tiles_url.rstrip("/") if tiles_url else None
        self.note_text = ""
        self.reader: tlog_tiles.TileReader | None = None
        # The project's entries read from the tiles (index -> entry), when both --tiles and
        # --url are given: what the site serves is compared with them too.
        self.tile_entries: dict[int, dict] | None = None
        self.key = key
        self.text = MESSAGES["en" if lang == "en" else "zh"]
        self.get = get
        self.sha256_of = sha256_of
        self.problems: list[str] = []
        self.notes: list[str] = []

    def say(self, code: str, **values: Any) -> str:
        return self.text[code].format(**values)

    def fail(self, code: str, **values: Any) -> None:
        self.problems.append(self.say(code, **values))

    def url(self, path: str) -> str:
        return urllib.parse.urljoin(self.base_url + "/", path.lstrip("/"))

    def get_json(self, path: str) -> Any:
        url = self.url(path)
        try:
            return json.loads(self.get(url))
        except FetchError as exc:
            raise FetchError(self.say("fetch", url=url, detail=exc)) from None

    def get_tile(self, path: str) -> bytes:
        url = f"{self.tiles_url}/{path}"
        try:
            return self.get(url)
        except FetchError as exc:
            raise FetchError(self.say("fetch", url=url, detail=exc)) from None

    # 1. checkpoint ----------------------------------------------------------------------
    def checkpoint(self) -> note.ParsedCheckpoint | None:
        if self.tiles_url:
            self.note_text = self.get_tile("checkpoint").decode("utf-8", "replace")
        else:
            data = self.get_json("/api/v1/log/checkpoint")
            self.note_text = data.get("cosigned_note") or data["signed_note"]
        try:
            checkpoint = note.verify_checkpoint(self.note_text, self.key)
        except note.NoteError as exc:
            self.fail("signature", detail=exc)
            return None
        self.notes.append(
            self.say(
                "checkpoint",
                origin=checkpoint.origin,
                size=checkpoint.tree_size,
                root=checkpoint.root_hash.hex(),
            )
        )
        if self.tiles_url:
            self.reader = tlog_tiles.TileReader(self.get_tile, checkpoint.tree_size)
        return checkpoint

    def witnesses(self, keys: list[note.VerifierKey], required: int) -> None:
        """Each witness key's cosignature of the checkpoint: who witnessed it, and when."""
        try:
            found = note.verify_cosignatures(self.note_text, keys)
        except note.NoteError as exc:
            self.fail("bad_cosignature", detail=exc)
            return
        by_name = {c.name: c for c in found}
        for key in keys:
            cosignature = by_name.get(key.name)
            if cosignature is None:
                self.notes.append(self.say("not_witnessed", name=key.name))
                continue
            moment = datetime.datetime.fromtimestamp(cosignature.timestamp, datetime.UTC)
            self.notes.append(
                self.say("witnessed", name=key.name, time=moment.strftime("%Y-%m-%d %H:%M:%SZ"))
            )
        if len(by_name) < required:
            self.fail("too_few_witnesses", count=len(by_name), required=required)

    # 2. consistency with the remembered checkpoint ---------------------------------------
    def consistency(self, checkpoint: note.ParsedCheckpoint, state: dict | None) -> bool:
        if not state or state.get("origin") != checkpoint.origin:
            return True
        before, old_root = int(state["tree_size"]), base64.b64decode(state["root_hash"])
        if before > checkpoint.tree_size:
            self.fail("rolled_back", before=before, now=checkpoint.tree_size)
            return False
        proof: list[bytes] = []
        if 0 < before < checkpoint.tree_size and self.reader is not None:
            try:
                proof = self.reader.consistency_proof(before, checkpoint.tree_size)
            except tlog_tiles.TileError as exc:
                self.fail("tiles", detail=exc)
                return False
        elif 0 < before < checkpoint.tree_size:
            data = self.get_json(
                f"/api/v1/log/proof/consistency?first={before}&second={checkpoint.tree_size}"
            )
            proof = [base64.b64decode(h) for h in data["hashes"]]
        try:
            merkle.verify_consistency(
                before, checkpoint.tree_size, proof, old_root, checkpoint.root_hash
            )
        except merkle.ProofError as exc:
            self.fail("forked", before=before, now=checkpoint.tree_size, detail=exc)
            return False
        if before:
            self.notes.append(self.say("consistent", before=before))
        return True

    # 3. a project's versions and files ---------------------------------------------------
    def project(self, code: str, checkpoint: note.ParsedCheckpoint) -> None:
        quoted = urllib.parse.quote(code, safe="")
        data = self.get_json(
            f"/api/v1/log/projects/{quoted}/entries?tree_size={checkpoint.tree_size}"
        )
        problems_before, file_count = len(self.problems), 0
        for version in data["versions"]:
            file_count += len(version["files"])
            self.check_version(version, checkpoint)
        if len(self.problems) == problems_before:
            self.notes.append(
                self.say("project_ok", project=code, count=len(data["versions"]), files=file_count)
            )
        # A regulator's stage-date corrections are leaves too (absent from older servers).
        corrections = data.get("stage_corrections") or []
        problems_before = len(self.problems)
        for correction in corrections:
            self.check_version({**correction, "files": []}, checkpoint)
        if corrections and len(self.problems) == problems_before:
            self.notes.append(self.say("corrections_ok", project=code, count=len(corrections)))

    def project_from_tiles(self, code: str, checkpoint: note.ParsedCheckpoint) -> None:
        """The project's entries, found by reading every entry bundle, each proved included
        in the signed tree with a proof computed from the tiles."""
        reader = self.reader
        assert reader is not None
        problems_before, count, corrections, voids = len(self.problems), 0, 0, 0
        self.tile_entries = {}
        bundles = (checkpoint.tree_size + tlog_tiles.TILE_WIDTH - 1) // tlog_tiles.TILE_WIDTH
        try:
            for bundle in range(bundles):
                for offset, entry in enumerate(reader.entries(bundle)):
                    index = bundle * tlog_tiles.TILE_WIDTH + offset
                    try:
                        data = json.loads(entry)
                    except ValueError:
                        data = None
                    if isinstance(data, dict) and data.get("type") == "void":
                        voids += 1
                        self.check_void(index, entry, checkpoint)
                        continue
                    if not isinstance(data, dict) or data.get("project") != code:
                        continue
                    count += 1
                    corrections += data.get("type") == "stage_correction"
                    self.tile_entries[index] = data
                    self.check_tile_entry(index, entry, data, checkpoint)
        except tlog_tiles.TileError as exc:
            self.fail("tiles", detail=exc)
            return
        if len(self.problems) == problems_before:
            key = "tiles_project_ok" if count else "tiles_project_none"
            self.notes.append(self.say(key, project=code, count=count))
            if corrections:
                self.notes.append(self.say("tiles_corrections_ok", project=code, count=corrections))
            if voids:
                self.notes.append(self.say("tiles_voids_ok", count=voids))

    def check_void(self, index: int, entry: bytes, checkpoint: note.ParsedCheckpoint) -> None:
        """A void leaf (a rolled-back publication's number) has exactly one form, naming its
        own index, and is a leaf of the signed tree like any other."""
        if entry != merkle.canonical_json({"index": index, "type": "void"}):
            self.fail("tiles_void", index=index)
            return
        self.check_included(index, entry, checkpoint, "void")

    def check_included(
        self, index: int, entry: bytes, checkpoint: note.ParsedCheckpoint, label: str
    ) -> bool:
        """Whether the tiles prove ``entry`` is leaf ``index`` of the signed tree (a failure
        is reported)."""
        reader = self.reader
        assert reader is not None
        proof = reader.inclusion_proof(index, checkpoint.tree_size)
        try:
            merkle.verify_inclusion(
                index, checkpoint.tree_size, merkle.leaf_hash(entry), proof, checkpoint.root_hash
            )
        except merkle.ProofError as exc:
            self.fail("not_included", label=label, index=index, detail=exc)
            return False
        return True

    def check_tile_entry(
        self, index: int, entry: bytes, data: dict, checkpoint: note.ParsedCheckpoint
    ) -> None:
        label = entry_label(data)
        if not self.check_included(index, entry, checkpoint, label):
            return
        if data.get("type") == "stage_correction":
            self.notes.append(
                self.say("tile_correction", index=index, item=label, reason=data.get("reason"))
            )
            return
        files = ", ".join(
            f"{f.get('name')} sha256:{f.get('sha256')}" for f in data.get("files") or []
        )
        self.notes.append(
            self.say(
                "tile_entry",
                index=index,
                item=entry_label(data, version=False),
                version=data.get("version"),
                status=data.get("status"),
                published_at=data.get("published_at"),
                files=files or "-",
            )
        )

    def check_version(self, version: dict, checkpoint: note.ParsedCheckpoint) -> None:
        published = version["published"]
        label = entry_label(published)
        index, size = version["leaf_index"], checkpoint.tree_size
        if index is None:
            self.fail("not_logged", label=label)
            return
        if index >= size:
            self.fail("not_covered", label=label, index=index, size=size)
            return
        # The leaf is recomputed from what the site serves now, not taken from the log.
        leaf = merkle.leaf_hash(merkle.canonical_json(published))
        logged = version.get("entry")
        if logged is None:
            self.fail("entry_missing", label=label, index=index)
        else:
            logged_bytes = logged["entry"].encode("utf-8")
            if merkle.leaf_hash(logged_bytes) != base64.b64decode(logged["leaf_hash"]):
                self.fail("entry_hash", label=label, index=index)
            fields = differing_fields(published, json.loads(logged_bytes))
            if fields:
                self.fail("fields_differ", label=label, index=index, fields=", ".join(fields))
        if self.tile_entries is not None:  # the tiles too: the same entry at the same index
            tiled = self.tile_entries.get(index)
            if tiled is None:
                self.fail("tiles_missing", label=label, index=index)
            else:
                fields = differing_fields(published, tiled)
                if fields:
                    self.fail("tiles_differ", label=label, index=index, fields=", ".join(fields))
        if version.get("inclusion_proof") is None:
            self.fail("proof_missing", label=label, index=index)
        else:
            proof = [base64.b64decode(h) for h in version["inclusion_proof"]]
            try:
                merkle.verify_inclusion(index, size, leaf, proof, checkpoint.root_hash)
            except merkle.ProofError as exc:
                self.fail("not_included", label=label, index=index, detail=exc)
        for logged_file, served in zip(
            published.get("files") or [], version["files"], strict=False
        ):
            self.check_file(label, logged_file, served)

    def check_file(self, label: str, logged_file: dict, served: dict) -> None:
        try:
            actual = self.sha256_of(self.url(served["url"]))
        except FetchError as exc:
            self.fail("file_unavailable", label=label, name=served["name"], detail=exc)
            return
        if actual != logged_file["sha256"]:
            self.fail(
                "file_changed",
                label=label,
                name=served["name"],
                actual=actual,
                expected=logged_file["sha256"],
            )


def entry_label(data: dict, *, version: bool = True) -> str:
    """How a message names a logged version: item code, the instance (#2) if any, version;
    a stage-date correction by its type and the dates it set."""
    if data.get("type") == "stage_correction":
        after = data.get("after") if isinstance(data.get("after"), dict) else {}
        label = f"stage_correction ({after.get('stage')}, started {after.get('started_on')})"
        return label
    label = str(data.get("item"))
    instance = data.get("instance")
    if isinstance(instance, dict) and instance.get("number") is not None:
        label += f" #{instance['number']}"
    return f"{label} v{data.get('version')}" if version else label


def differing_fields(current: dict, logged: dict) -> list[str]:
    keys = sorted(set(current) | set(logged))
    return [
        k
        for k in keys
        if merkle.canonical_json({"v": current.get(k)})
        != merkle.canonical_json({"v": logged.get(k)})
    ]


def load_state(path: Path | None) -> dict | None:
    if path is None or not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def save_state(path: Path, checkpoint: note.ParsedCheckpoint) -> None:
    state = {
        "origin": checkpoint.origin,
        "tree_size": checkpoint.tree_size,
        "root_hash": base64.b64encode(checkpoint.root_hash).decode(),
    }
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
    temporary.replace(path)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="gongshi verify", description="Verify a Gongshi publication log independently."
    )
    p.add_argument("--url", help="the site's base URL, e.g. https://gongshi.example")
    p.add_argument(
        "--tiles", help="a C2SP tlog-tiles prefix (mirror, CDN, nginx): verify from tiles only"
    )
    p.add_argument(
        "--pubkey", required=True, type=Path, help="verifier key (name+id+base64) or PEM"
    )
    p.add_argument("--project", help="public code of a project whose versions to verify")
    p.add_argument("--state", type=Path, help="file remembering the last verified checkpoint")
    p.add_argument(
        "--witness",
        action="append",
        type=Path,
        default=[],
        help="a witness's verifier key file (name+id+base64); may be repeated",
    )
    p.add_argument(
        "--min-witnesses", type=int, default=0, help="fail unless this many witnesses cosigned"
    )
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    return p


def run(argv: list[str], out=None, err=None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    args = parser().parse_args(argv)
    text = MESSAGES[args.lang]
    try:
        key = note.parse_verifier_key(args.pubkey.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(text["pubkey"].format(path=args.pubkey, detail=exc), file=err)
        return EXIT_ERROR
    if not args.url and not args.tiles:
        print(text["need_source"], file=err)
        return EXIT_ERROR
    witness_keys = []
    for path in args.witness:
        try:
            witness_keys.append(note.parse_cosigner_vkey(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            print(text["witness_key"].format(path=path, detail=exc), file=err)
            return EXIT_ERROR
    verifier = Verifier(args.url, key, tiles_url=args.tiles, lang=args.lang)
    try:
        checkpoint = verifier.checkpoint()
        if checkpoint is not None:
            if witness_keys or args.min_witnesses:
                verifier.witnesses(witness_keys, args.min_witnesses)
            consistent = verifier.consistency(checkpoint, load_state(args.state))
            if args.project and args.tiles:
                verifier.project_from_tiles(args.project, checkpoint)
            if args.project and args.url:
                verifier.project(args.project, checkpoint)
            if consistent and args.state is not None:
                save_state(args.state, checkpoint)
    except FetchError as exc:
        print(str(exc), file=err)
        return EXIT_ERROR
    for line in verifier.notes:
        print("  " + line, file=out)
    if verifier.problems:
        for line in verifier.problems:
            print("✗ " + line, file=err)
        print(text["failed"].format(count=len(verifier.problems)), file=err)
        return EXIT_FAILED
    print(text["ok"], file=out)
    return EXIT_OK


def main() -> None:
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
