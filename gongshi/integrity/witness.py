"""``gongshi witness``: a standalone C2SP tlog-witness that cosigns Gongshi checkpoints.

Run by a regulator or any third party; needs Python, ``cryptography`` and this package's
``note.py`` and ``merkle.py`` — no Django, no database. It keeps, in one JSON state file,
the latest checkpoint it cosigned for each log it is configured for, and answers::

    POST <prefix>/add-checkpoint     (tlog-witness: old size, consistency proof, checkpoint)
    GET  <prefix>/<sha256(origin) hex>/checkpoint   (the latest cosigned checkpoint)

A checkpoint is cosigned (Ed25519 ``cosignature/v1``, C2SP tlog-cosignature) only if it is
signed by the log's key and provably extends the one the witness holds; a checkpoint that
is not (a forked or rewritten log) is refused with 422 and kept in the state file as
evidence. Usage::

    gongshi witness keygen --key witness.key --name witness.example/w1   # prints the vkey
    gongshi witness serve --key witness.key --name witness.example/w1 \\
        --state witness.json --log gongshi-log.pub --listen 127.0.0.1:7380
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import http.server
import json
import os
import sys
import threading
import time
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gongshi.integrity import merkle, note

MAX_BODY = 64 * 1024
MAX_PROOF_LINES = 63


class Refusal(Exception):
    """An add-checkpoint request that is answered with ``status`` and ``body``."""

    def __init__(self, status: int, body: str, content_type: str = "text/plain; charset=utf-8"):
        super().__init__(body)
        self.status, self.body, self.content_type = status, body, content_type


class Witness:
    """The witness's logic and state, apart from HTTP (tests drive it directly too)."""

    def __init__(
        self, name: str, key: Ed25519PrivateKey, logs: list[note.VerifierKey], state: Path
    ):
        self.name = name
        self.key = key
        self.logs = {log.name: log for log in logs}
        self.state_path = state
        self.lock = threading.Lock()  # check-then-persist is atomic (tlog-witness's race)
        self.state = json.loads(state.read_text(encoding="utf-8")) if state.exists() else {}

    @property
    def vkey(self) -> str:
        return note.cosigner_vkey(self.name, self.key.public_key())

    def _save(self) -> None:
        temporary = self.state_path.with_suffix(self.state_path.suffix + ".tmp")
        with open(temporary, "w", encoding="utf-8") as fh:
            json.dump(self.state, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        temporary.replace(self.state_path)

    def add_checkpoint(self, body: str) -> str:
        """Handle one add-checkpoint body; returns the cosignature line or raises Refusal."""
        old, proof, checkpoint_note = parse_request(body)
        origin = checkpoint_note.split("\n", 1)[0]
        log_key = self.logs.get(origin)
        if log_key is None:
            raise Refusal(404, f"unknown log {origin!r}\n")
        try:
            checkpoint = note.verify_checkpoint(checkpoint_note, log_key)
        except note.NoteError as exc:
            raise Refusal(403, f"checkpoint not signed by the log's key: {exc}\n") from None
        if old > checkpoint.tree_size:
            raise Refusal(400, "old size is larger than the checkpoint's size\n")
        if checkpoint.tree_size == 0 and checkpoint.root_hash != merkle.EMPTY_ROOT:
            raise Refusal(422, "a checkpoint of size zero must have the empty tree's root\n")
        with self.lock:
            held = self.state.get(origin)
            held_size = held["tree_size"] if held else 0
            if old != held_size:
                raise Refusal(409, f"{held_size}\n", "text/x.tlog.size")
            if old == 0 and proof:
                raise Refusal(422, "a consistency proof from size zero must be empty\n")
            if held:
                held_root = base64.b64decode(held["root_hash"])
                try:
                    merkle.verify_consistency(
                        held_size, checkpoint.tree_size, proof, held_root, checkpoint.root_hash
                    )
                except merkle.ProofError as exc:
                    self._remember_refused(origin, checkpoint_note, str(exc))
                    raise Refusal(
                        422, f"not consistent with the checkpoint of size {held_size}: {exc}\n"
                    ) from None
            timestamp = int(time.time())
            line = note.cosign(checkpoint.body, self.name, self.key, timestamp)
            self.state[origin] = {
                "tree_size": checkpoint.tree_size,
                "root_hash": base64.b64encode(checkpoint.root_hash).decode(),
                "checkpoint": checkpoint_note + line,
                "cosigned_at": timestamp,
                "refused": (held or {}).get("refused", []),
            }
            self._save()
        return line

    def _remember_refused(self, origin: str, checkpoint_note: str, reason: str) -> None:
        """Keep a signed inconsistent checkpoint: it is evidence of the log's misbehaviour."""
        refused = self.state[origin].setdefault("refused", [])
        refused.append({"checkpoint": checkpoint_note, "reason": reason, "at": int(time.time())})
        del refused[:-20]
        self._save()

    def latest(self, origin_hash: str) -> str | None:
        for origin, held in self.state.items():
            if hashlib.sha256(origin.encode()).hexdigest() == origin_hash:
                return held["checkpoint"]
        return None


def parse_request(body: str) -> tuple[int, list[bytes], str]:
    head, sep, checkpoint_note = body.partition("\n\n")
    if not sep:
        raise Refusal(400, "the body needs an old size line, proof lines and a blank line\n")
    lines = head.split("\n")
    first = lines[0]
    size_text = first[4:]
    valid_size = size_text.isdigit() and (size_text == "0" or size_text[0] != "0")
    if not first.startswith("old ") or not valid_size:
        raise Refusal(400, "the first line must be 'old <size>'\n")
    if len(lines) - 1 > MAX_PROOF_LINES:
        raise Refusal(400, "more than 63 consistency proof lines\n")
    proof = []
    for line in lines[1:]:
        try:
            digest = base64.b64decode(line, validate=True)
        except binascii.Error:
            raise Refusal(400, "a proof line is not base64\n") from None
        if len(digest) != merkle.HASH_SIZE:
            raise Refusal(400, "a proof line is not a 32-byte hash\n")
        proof.append(digest)
    return int(size_text), proof, checkpoint_note


def make_handler(witness: Witness, prefix: str):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def answer(self, status: int, body: str, content_type: str) -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            if self.path != f"{prefix}/add-checkpoint":
                self.answer(404, "not found\n", "text/plain; charset=utf-8")
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self.answer(413, "request too large\n", "text/plain; charset=utf-8")
                return
            body = self.rfile.read(length).decode("utf-8", "replace")
            try:
                line = witness.add_checkpoint(body)
            except Refusal as refusal:
                self.answer(refusal.status, refusal.body, refusal.content_type)
                return
            self.answer(200, line, "text/plain; charset=utf-8")

        def do_GET(self) -> None:  # noqa: N802
            parts = self.path[len(prefix) :].strip("/").split("/")
            found = None
            if self.path.startswith(prefix) and len(parts) == 2 and parts[1] == "checkpoint":
                found = witness.latest(parts[0])
            if found is None:
                self.answer(404, "not found\n", "text/plain; charset=utf-8")
            else:
                self.answer(200, found, "text/plain; charset=utf-8")

        def log_message(self, format: str, *args) -> None:  # noqa: A002
            sys.stderr.write(f"witness: {self.address_string()} {format % args}\n")

    return Handler


def load_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SystemExit(f"{path}: not an Ed25519 private key")
    return key


def keygen(args) -> int:
    if args.key.exists():
        print(f"{args.key} exists already; not overwriting it.", file=sys.stderr)
        return 2
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(args.key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    print(note.cosigner_vkey(args.name, key.public_key()))
    return 0


def serve(args) -> int:
    logs = []
    for text in args.log:
        path = Path(text)
        value = path.read_text(encoding="utf-8") if path.exists() else text
        logs.append(note.parse_verifier_key(value))
    witness = Witness(args.name, load_key(args.key), logs, args.state)
    host, _, port = args.listen.rpartition(":")
    server = http.server.ThreadingHTTPServer((host or "127.0.0.1", int(port)), None)
    server.RequestHandlerClass = make_handler(witness, args.prefix.rstrip("/"))
    bound = server.server_address
    print(f"witness {witness.vkey} listening on http://{bound[0]}:{bound[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gongshi witness", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    k = sub.add_parser("keygen", help="make the witness's Ed25519 key; prints its verifier key")
    k.add_argument("--key", type=Path, required=True)
    k.add_argument("--name", required=True, help="the witness's name, e.g. witness.example/w1")
    s = sub.add_parser("serve", help="answer add-checkpoint requests")
    s.add_argument("--key", type=Path, required=True)
    s.add_argument("--name", required=True)
    s.add_argument("--state", type=Path, required=True, help="JSON file of cosigned checkpoints")
    s.add_argument(
        "--log", action="append", required=True, help="a log's verifier key (file or text)"
    )
    s.add_argument("--listen", default="127.0.0.1:7380", help="host:port (port 0: any)")
    s.add_argument("--prefix", default="", help="URL path prefix, e.g. /w1")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(sys.argv[1:] if argv is None else argv)
    return keygen(args) if args.command == "keygen" else serve(args)


if __name__ == "__main__":
    sys.exit(main())
