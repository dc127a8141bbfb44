"""Checkpoints in the C2SP signed-note format, signed with Ed25519.

No Django here (the standalone verifier uses this module). A checkpoint note
(C2SP tlog-checkpoint) reads::

    <origin>
    <tree size, decimal>
    <root hash, base64>

    — <key name> <base64(key ID ‖ Ed25519 signature)>

The signature covers the text above the blank line, final newline included. The key ID is
the first four bytes of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key); 0x01 names Ed25519.
A verifier key is written ``<name>+<key ID, hex>+<base64(0x01 ‖ public key)>``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ED25519_TYPE = b"\x01"
SIGNATURE_PREFIX = "\u2014 "  # "— ": an em dash and a space start every signature line


class NoteError(ValueError):
    """A checkpoint that is malformed or not signed by the expected key."""


@dataclass(frozen=True)
class VerifierKey:
    name: str
    key_id: bytes
    public_key: Ed25519PublicKey

    @property
    def text(self) -> str:
        raw = self.public_key.public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        encoded = base64.b64encode(ED25519_TYPE + raw).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"


@dataclass(frozen=True)
class ParsedCheckpoint:
    origin: str
    tree_size: int
    root_hash: bytes
    body: str


def key_id(name: str, public_key: Ed25519PublicKey) -> bytes:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(name.encode() + b"\n" + ED25519_TYPE + raw).digest()[:4]


def verifier_key(name: str, public_key: Ed25519PublicKey) -> VerifierKey:
    return VerifierKey(name, key_id(name, public_key), public_key)


def parse_verifier_key(text: str) -> VerifierKey:
    """Read a ``name+keyid+base64`` verifier key; a PEM public key is accepted too (name from
    the checkpoint is then not checked against the key, only the signature is)."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise NoteError("the public key file does not hold an Ed25519 key")
        return VerifierKey("", b"", key)
    try:
        # Key names never contain "+"; base64 may, so split from the left.
        name, hex_id, encoded = text.split("+", 2)
        blob = base64.b64decode(encoded, validate=True)
        wanted_id = bytes.fromhex(hex_id)
    except (ValueError, binascii.Error):
        raise NoteError("the verifier key is not in the form name+keyid+base64") from None
    if len(blob) != 33 or blob[:1] != ED25519_TYPE:
        raise NoteError("the verifier key is not an Ed25519 key")
    public_key = Ed25519PublicKey.from_public_bytes(blob[1:])
    if key_id(name, public_key) != wanted_id:
        raise NoteError("the verifier key's ID does not match its name and key")
    return VerifierKey(name, wanted_id, public_key)


def checkpoint_body(origin: str, tree_size: int, root_hash: bytes) -> str:
    return f"{origin}\n{tree_size}\n{base64.b64encode(root_hash).decode()}\n"


def sign_checkpoint(
    origin: str, tree_size: int, root_hash: bytes, private_key: Ed25519PrivateKey
) -> str:
    """The signed note for a checkpoint; the key name is the origin, as C2SP logs do."""
    body = checkpoint_body(origin, tree_size, root_hash)
    kid = key_id(origin, private_key.public_key())
    signature = private_key.sign(body.encode())
    return f"{body}\n{SIGNATURE_PREFIX}{origin} {base64.b64encode(kid + signature).decode()}\n"


def parse_checkpoint_body(body: str) -> ParsedCheckpoint:
    lines = body.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise NoteError("the checkpoint does not have origin, size and root lines")
    origin, size_text, root_text = lines[0], lines[1], lines[2]
    if not origin or not size_text.isdigit() or (size_text != "0" and size_text[0] == "0"):
        raise NoteError("the checkpoint's origin or tree size line is malformed")
    try:
        root = base64.b64decode(root_text, validate=True)
    except binascii.Error:
        raise NoteError("the checkpoint's root hash is not base64") from None
    if len(root) != 32:
        raise NoteError("the checkpoint's root hash is not 32 bytes")
    return ParsedCheckpoint(origin, int(size_text), root, body)


def verify_checkpoint(note: str, key: VerifierKey, origin: str | None = None) -> ParsedCheckpoint:
    """Check the note's Ed25519 signature by ``key`` and parse the checkpoint it signs."""
    body, sep, signatures = note.rpartition("\n\n")
    if not sep:
        raise NoteError("the checkpoint has no signature block")
    body += "\n"
    for line in signatures.rstrip("\n").split("\n"):
        if not line.startswith(SIGNATURE_PREFIX):
            raise NoteError("a signature line does not start with an em dash")
        name, _, encoded = line[len(SIGNATURE_PREFIX) :].rpartition(" ")
        try:
            blob = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise NoteError("a signature is not base64") from None
        if len(blob) != 4 + 64:
            continue
        if key.name and (name != key.name or blob[:4] != key.key_id):
            continue
        if not key.name and blob[:4] != key_id(name, key.public_key):
            continue
        try:
            key.public_key.verify(blob[4:], body.encode())
        except InvalidSignature:
            raise NoteError("the checkpoint's signature is not valid for this key") from None
        checkpoint = parse_checkpoint_body(body)
        if origin is not None and checkpoint.origin != origin:
            raise NoteError(f"the checkpoint is for log {checkpoint.origin!r}, not {origin!r}")
        return checkpoint
    raise NoteError("the checkpoint is not signed by the given key")


# Cosignatures (C2SP tlog-cosignature, Ed25519 "cosignature/v1") ----------------------------

COSIGNATURE_TYPE = b"\x04"
COSIGNATURE_HEADER = "cosignature/v1\n"


@dataclass(frozen=True)
class Cosignature:
    """A witness's valid timestamped cosignature of a checkpoint."""

    name: str
    key_id: bytes
    timestamp: int  # POSIX seconds
    line: str  # the signature line, "— name base64\n"


def cosigner_key_id(name: str, public_key: Ed25519PublicKey) -> bytes:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(name.encode() + b"\n" + COSIGNATURE_TYPE + raw).digest()[:4]


def cosigner_vkey(name: str, public_key: Ed25519PublicKey) -> str:
    """A witness's verifier key: ``name+keyid+base64(0x04 ‖ public key)``."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    encoded = base64.b64encode(COSIGNATURE_TYPE + raw).decode()
    return f"{name}+{cosigner_key_id(name, public_key).hex()}+{encoded}"


def parse_cosigner_vkey(text: str) -> VerifierKey:
    """Read a witness's ``name+keyid+base64(0x04 ‖ key)`` verifier key."""
    try:
        name, hex_id, encoded = text.strip().split("+", 2)
        blob = base64.b64decode(encoded, validate=True)
        wanted_id = bytes.fromhex(hex_id)
    except (ValueError, binascii.Error):
        raise NoteError("the witness key is not in the form name+keyid+base64") from None
    if len(blob) != 33 or blob[:1] != COSIGNATURE_TYPE:
        raise NoteError("the witness key is not an Ed25519 cosignature key (type 0x04)")
    public_key = Ed25519PublicKey.from_public_bytes(blob[1:])
    if not name or cosigner_key_id(name, public_key) != wanted_id:
        raise NoteError("the witness key's ID does not match its name and key")
    return VerifierKey(name, wanted_id, public_key)


def cosigned_message(body: str, timestamp: int) -> bytes:
    return f"{COSIGNATURE_HEADER}time {timestamp}\n{body}".encode()


def cosign(body: str, name: str, private_key: Ed25519PrivateKey, timestamp: int) -> str:
    """The signature line a witness returns for the checkpoint ``body`` (text above the
    blank line, final newline included)."""
    if not 0 < timestamp < 1 << 63:
        raise ValueError("a cosignature's timestamp must be a positive 63-bit number")
    kid = cosigner_key_id(name, private_key.public_key())
    signature = private_key.sign(cosigned_message(body, timestamp))
    blob = kid + timestamp.to_bytes(8, "big") + signature
    return f"{SIGNATURE_PREFIX}{name} {base64.b64encode(blob).decode()}\n"


def split_note(note: str) -> tuple[str, list[str]]:
    """(body with its final newline, signature lines each with its newline)."""
    body, sep, signatures = note.rpartition("\n\n")
    if not sep:
        raise NoteError("the checkpoint has no signature block")
    lines = [line + "\n" for line in signatures.rstrip("\n").split("\n") if line]
    for line in lines:
        if not line.startswith(SIGNATURE_PREFIX):
            raise NoteError("a signature line does not start with an em dash")
    return body + "\n", lines


def verify_cosignature_line(body: str, line: str, key: VerifierKey) -> Cosignature | None:
    """The cosignature on ``line`` if it is ``key``'s; None if the line is another key's.

    Raises :class:`NoteError` when the line names this key but its signature is invalid.
    """
    name, _, encoded = line.rstrip("\n")[len(SIGNATURE_PREFIX) :].rpartition(" ")
    try:
        blob = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        return None
    if name != key.name or len(blob) != 4 + 8 + 64 or blob[:4] != key.key_id:
        return None
    timestamp = int.from_bytes(blob[4:12], "big")
    try:
        key.public_key.verify(blob[12:], cosigned_message(body, timestamp))
    except InvalidSignature:
        raise NoteError(f"the cosignature of {name} is not valid") from None
    return Cosignature(name, key.key_id, timestamp, line)


def verify_cosignatures(note: str, keys: list[VerifierKey]) -> list[Cosignature]:
    """Every valid cosignature in ``note`` by one of ``keys`` (other lines are ignored)."""
    body, lines = split_note(note)
    found: list[Cosignature] = []
    for line in lines:
        for key in keys:
            cosignature = verify_cosignature_line(body, line, key)
            if cosignature is not None:
                found.append(cosignature)
                break
    return found
