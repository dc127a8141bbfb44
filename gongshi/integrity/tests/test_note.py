"""Checkpoints in the C2SP signed-note format, Ed25519."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gongshi.integrity.note import (
    NoteError,
    key_id,
    parse_verifier_key,
    sign_checkpoint,
    verifier_key,
    verify_checkpoint,
)

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
ORIGIN = "gongshi.example/log"
ROOT = hashlib.sha256(b"root").digest()


def test_the_note_has_origin_size_root_a_blank_line_and_an_em_dash_signature():
    note = sign_checkpoint(ORIGIN, 42, ROOT, KEY)
    lines = note.split("\n")
    assert lines[:4] == [ORIGIN, "42", base64.b64encode(ROOT).decode(), ""]
    assert lines[4].startswith("\u2014 gongshi.example/log ")
    blob = base64.b64decode(lines[4].rsplit(" ", 1)[1])
    assert blob[:4] == key_id(ORIGIN, KEY.public_key())
    KEY.public_key().verify(blob[4:], "\n".join(lines[:3]).encode() + b"\n")


def test_the_key_id_is_the_c2sp_hash_of_name_newline_type_and_key():
    raw = KEY.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    expected = hashlib.sha256(ORIGIN.encode() + b"\n\x01" + raw).digest()[:4]
    assert key_id(ORIGIN, KEY.public_key()) == expected


def test_a_signed_checkpoint_verifies_with_the_verifier_key_or_the_pem():
    note = sign_checkpoint(ORIGIN, 7, ROOT, KEY)
    vkey = parse_verifier_key(verifier_key(ORIGIN, KEY.public_key()).text)
    parsed = verify_checkpoint(note, vkey, origin=ORIGIN)
    assert (parsed.origin, parsed.tree_size, parsed.root_hash) == (ORIGIN, 7, ROOT)
    pem = KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert verify_checkpoint(note, parse_verifier_key(pem.decode())).tree_size == 7


def test_a_changed_size_or_root_breaks_the_signature():
    note = sign_checkpoint(ORIGIN, 7, ROOT, KEY)
    vkey = verifier_key(ORIGIN, KEY.public_key())
    with pytest.raises(NoteError, match="not valid"):
        verify_checkpoint(note.replace("\n7\n", "\n8\n"), vkey)
    other_root = base64.b64encode(hashlib.sha256(b"other").digest()).decode()
    with pytest.raises(NoteError, match="not valid"):
        verify_checkpoint(note.replace(base64.b64encode(ROOT).decode(), other_root), vkey)


def test_a_note_signed_by_another_key_or_for_another_log_is_refused():
    note = sign_checkpoint(ORIGIN, 7, ROOT, Ed25519PrivateKey.generate())
    with pytest.raises(NoteError, match="not signed by the given key"):
        verify_checkpoint(note, verifier_key(ORIGIN, KEY.public_key()))
    note = sign_checkpoint(ORIGIN, 7, ROOT, KEY)
    with pytest.raises(NoteError, match="is for log"):
        verify_checkpoint(note, verifier_key(ORIGIN, KEY.public_key()), origin="other/log")


def test_a_verifier_key_with_a_wrong_id_is_refused():
    text = verifier_key(ORIGIN, KEY.public_key()).text
    name, _, rest = text.partition("+")
    with pytest.raises(NoteError, match="ID does not match"):
        parse_verifier_key(f"{name}+00000000+{rest.split('+', 1)[1]}")
    with pytest.raises(NoteError, match="form name"):
        parse_verifier_key("not a key")
