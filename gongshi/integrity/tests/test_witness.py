"""Witnesses: the standalone tlog-witness process, and Gongshi collecting cosignatures.

Two witnesses run as separate processes; one has earlier been shown a forked checkpoint
(signed by the log's key, another root). The honest one's cosignature is published with the
checkpoint; the other refuses and the refusal is recorded for the administrators.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from gongshi.core.testing import assert_matrix
from gongshi.integrity import keys, log, note, verifier
from gongshi.integrity.models import WitnessCosignature, WitnessRefusal
from gongshi.integrity.witness import Refusal, Witness

REPO = Path(__file__).resolve().parents[3]


def log_key() -> note.VerifierKey:
    return keys.public_key()


def request(old: int, proof: list[bytes], checkpoint: str) -> str:
    lines = [f"old {old}"] + [base64.b64encode(h).decode() for h in proof]
    return "\n".join(lines) + "\n\n" + checkpoint


def test_the_witness_cosigns_only_what_extends_what_it_saw(db, tmp_path):
    log.append_leaves([("test", {"n": n}) for n in range(5)], checkpoint=False)
    first = log.make_checkpoint()
    witness_key = Ed25519PrivateKey.generate()
    state = tmp_path / "state.json"
    witness = Witness("witness.test/w1", witness_key, [log_key()], state)
    line = witness.add_checkpoint(request(0, [], first.signed_note))
    vkey = note.parse_cosigner_vkey(witness.vkey)
    [cosignature] = note.verify_cosignatures(first.signed_note + line, [vkey])
    assert cosignature.name == "witness.test/w1" and cosignature.timestamp > 0
    # The same log, grown: a consistency proof from 5 is required and checked.
    log.append_leaves([("test", {"n": n}) for n in range(5, 9)], checkpoint=False)
    second = log.make_checkpoint()
    with pytest.raises(Refusal) as conflict:
        witness.add_checkpoint(request(0, [], second.signed_note))
    assert (conflict.value.status, conflict.value.body) == (409, "5\n")
    assert conflict.value.content_type == "text/x.tlog.size"
    wrong = log.consistency_proof(4, 9)
    with pytest.raises(Refusal) as bad_proof:
        witness.add_checkpoint(request(5, wrong, second.signed_note))
    assert bad_proof.value.status == 422
    witness.add_checkpoint(request(5, log.consistency_proof(5, 9), second.signed_note))
    # Its state survives a restart, in the file.
    again = Witness("witness.test/w1", witness_key, [log_key()], state)
    assert again.state[keys.log_origin()]["tree_size"] == 9
    # A note not signed by the log's key, and an unknown log.
    forged = note.sign_checkpoint(keys.log_origin(), 10, b"\x01" * 32, witness_key)
    with pytest.raises(Refusal) as forbidden:
        again.add_checkpoint(request(9, [], forged))
    assert forbidden.value.status == 403
    other = note.sign_checkpoint("other.example/log", 1, b"\x01" * 32, witness_key)
    with pytest.raises(Refusal) as unknown:
        again.add_checkpoint(request(0, [], other))
    assert unknown.value.status == 404
    with pytest.raises(Refusal) as malformed:
        again.add_checkpoint("old 01\n\n" + second.signed_note)
    assert malformed.value.status == 400


@contextlib.contextmanager
def witness_process(tmp_path: Path, name: str, log_pub: Path):
    """``gongshi witness keygen`` then ``serve`` on a free port, as its own process."""
    key = tmp_path / f"{name}.key"
    command = [sys.executable, "-m", "gongshi.cli", "witness"]
    made = subprocess.run(
        [*command, "keygen", "--key", str(key), "--name", f"witness.test/{name}"],
        capture_output=True, text=True, cwd=REPO, timeout=60, check=True,
    )  # fmt: skip
    vkey = made.stdout.strip()
    process = subprocess.Popen(
        [*command, "serve", "--key", str(key), "--name", f"witness.test/{name}",
         "--state", str(tmp_path / f"{name}.json"), "--log", str(log_pub),
         "--listen", "127.0.0.1:0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=REPO,
    )  # fmt: skip
    try:
        banner = process.stdout.readline()
        assert " listening on " in banner, banner
        yield vkey, banner.strip().rsplit(" ", 1)[-1]
    finally:
        process.terminate()
        process.wait(timeout=10)


def post(url: str, body: str) -> tuple[int, str]:
    req = urllib.request.Request(f"{url}/add-checkpoint", data=body.encode(), method="POST")
    try:
        with urllib.request.urlopen(req, timeout=30) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_an_honest_witness_cosigns_and_a_witness_shown_a_fork_refuses(world, tmp_path, settings):
    log.append_leaves([("test", {"n": n}) for n in range(3)], checkpoint=False)
    log.make_checkpoint()
    log_pub = tmp_path / "log.pub"
    log_pub.write_text(log_key().text + "\n", encoding="utf-8")
    with (
        witness_process(tmp_path, "honest", log_pub) as (honest_vkey, honest_url),
        witness_process(tmp_path, "forked", log_pub) as (forked_vkey, forked_url),
    ):
        # Someone with the log's key once showed the second witness another tree of size 2.
        fork = note.sign_checkpoint(
            keys.log_origin(), 2, hashlib.sha256(b"fork").digest(), keys.signing_key()
        )
        assert post(forked_url, request(0, [], fork))[0] == 200
        settings.GONGSHI_WITNESSES = [(honest_vkey, honest_url), (forked_vkey, forked_url)]
        out, err = io.StringIO(), io.StringIO()
        call_command("checkpoint", stdout=out, stderr=err)
        assert "Cosigned by witness.test/honest" in out.getvalue()
        assert "Witness witness.test/forked refused (inconsistent)" in err.getvalue()
        refusal = WitnessRefusal.objects.get()
        assert (refusal.witness, refusal.status, refusal.witness_size) == (
            "witness.test/forked", 422, 2,
        )  # fmt: skip
        # The log grows; the honest witness gets a consistency proof from 3 and cosigns again.
        log.append_leaves([("test", {"n": n}) for n in range(3, 7)], checkpoint=False)
        call_command("checkpoint", stdout=io.StringIO(), stderr=io.StringIO())
        assert WitnessRefusal.objects.count() == 2
    latest = log.latest_checkpoint()
    assert [c.witness for c in latest.cosignatures.all()] == ["witness.test/honest"]
    assert WitnessCosignature.objects.count() == 2
    # /checkpoint carries the cosignature; the verifier shows who witnessed it and when.
    served = Client().get("/checkpoint").content.decode()
    assert served.startswith(latest.signed_note) and "— witness.test/honest " in served
    (tmp_path / "honest.pub").write_text(honest_vkey, encoding="utf-8")
    (tmp_path / "forked.pub").write_text(forked_vkey, encoding="utf-8")
    client = Client()
    checker = verifier.Verifier(
        None, log_key(), tiles_url="http://testserver",
        get=lambda url: client.get(url.removeprefix("http://testserver")).content,
    )  # fmt: skip
    checkpoint = checker.checkpoint()
    keys_ = [note.parse_cosigner_vkey(honest_vkey), note.parse_cosigner_vkey(forked_vkey)]
    checker.witnesses(keys_, required=2)
    text = "\n".join(checker.notes)
    assert checkpoint.tree_size == 7
    assert "见证人 witness.test/honest 于 " in text and "联署了此检查点" in text
    assert "见证人 witness.test/forked 尚未联署此检查点。" in text
    assert checker.problems == ["只有 1 个见证人联署了检查点，要求至少 2 个。"]
    # The public verification page and the paper board say who witnessed it, and when.
    when = latest.cosignatures.get().signed_at
    stamp = timezone.localtime(when).strftime("%Y-%m-%d %H:%M")
    page = Client().get(f"/p/{world.project.code}/verify/").content.decode()
    assert "witness.test/honest" in page and f"{stamp} 联署日志大小 7" in page
    assert "即最新检查点" in page and "尚未联署" in page
    assert honest_vkey in page and "--witness witness-2.pub" in page
    board = Client().get(f"/p/{world.project.code}/board.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(board.content)).pages)
    assert "witness.test/honest" in text.replace("\n", "")
    # Administrators see the refusal.
    page = world.client("admin").get("/admin/integrity/witnessrefusal/")
    assert "witness.test/forked" in page.content.decode()
    everyone_else = dict.fromkeys(
        ["anonymous", "outsider", "unit", "developer", "other_regulator", "regulator"], 302
    )
    assert_matrix(world, "get", "/admin/integrity/witnessrefusal/", {**everyone_else, "admin": 200})


def test_a_publication_leaves_the_witnesses_to_the_task_worker(
    world, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from gongshi.integrity.tests.helpers import publish_with_file

    settings.GONGSHI_WITNESSES = [
        (
            note.cosigner_vkey("w.test/a", Ed25519PrivateKey.generate().public_key()),
            "http://127.0.0.1:9",
        )
    ]
    with django_capture_on_commit_callbacks(execute=True):
        publish_with_file(world)
    assert log.latest_checkpoint() is not None
    [task] = DBTaskResult.objects.filter(task_path__endswith="push_to_witnesses")
    assert task.status == "READY"
    assert not WitnessRefusal.objects.exists()  # nobody was contacted inside the request
