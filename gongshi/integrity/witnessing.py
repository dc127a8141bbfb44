"""Collecting witnesses' cosignatures (C2SP tlog-witness add-checkpoint, the log's side).

``GONGSHI_WITNESSES`` lists the witnesses: each a verifier key
(``name+keyid+base64(0x04 ‖ key)``) and the witness's submission URL prefix. For each
new checkpoint the background task (or ``gongshi checkpoint``) posts to
``<url>/add-checkpoint``::

    old <size the witness last cosigned for us>
    <consistency proof, one base64 hash a line>

    <the signed checkpoint>

A 200 carries the witness's cosignature lines, checked against its key and stored; a 409
says which size the witness holds (we retry once from there, with a proof from that size);
a 422 is a witness that saw a checkpoint our log is not consistent with — a fork, recorded
as a refusal for the administrators. Never called inside a web request.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction

from gongshi.integrity import log
from gongshi.integrity.models import (
    Checkpoint,
    WitnessCosignature,
    WitnessProgress,
    WitnessRefusal,
)
from gongshi.integrity.note import NoteError, VerifierKey, parse_cosigner_vkey, split_note

logger = logging.getLogger(__name__)

Kind = WitnessRefusal.Kind


@dataclass(frozen=True)
class Witness:
    key: VerifierKey
    url: str
    vkey: str

    @property
    def name(self) -> str:
        return self.key.name


def configured() -> list[Witness]:
    witnesses = []
    for entry in settings.GONGSHI_WITNESSES:
        if len(entry) != 2 or not entry[1].startswith(("http://", "https://")):
            raise ImproperlyConfigured(
                "GONGSHI_WITNESSES 的每一项应为「见证人公钥 地址」，如 witness.example/w1+1a2b3c4d+"
                f"BAAA… https://witness.example/w1，现在是 {' '.join(entry)!r}。"
            )
        vkey, url = entry
        try:
            key = parse_cosigner_vkey(vkey)
        except NoteError as exc:
            raise ImproperlyConfigured(
                f"GONGSHI_WITNESSES 中的见证人公钥 {vkey!r} 无效：{exc}"
            ) from None
        witnesses.append(Witness(key, url.rstrip("/"), vkey))
    return witnesses


def cosignature_lines(checkpoint: Checkpoint) -> list[str]:
    return [c.line for c in checkpoint.cosignatures.order_by("witness")]


@dataclass(frozen=True)
class Answer:
    status: int | None
    body: str
    error: str = ""


def post(url: str, body: str) -> Answer:
    request = urllib.request.Request(
        url, data=body.encode(), method="POST", headers={"Content-Type": "text/plain"}
    )
    timeout = settings.GONGSHI_WITNESS_TIMEOUT
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return Answer(response.status, response.read(65536).decode("utf-8", "replace"))
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, exc.read(65536).decode("utf-8", "replace"))
    except (urllib.error.URLError, OSError) as exc:
        return Answer(None, "", str(getattr(exc, "reason", exc)))


def request_body(checkpoint: Checkpoint, old: int) -> str:
    proof = log.consistency_proof(old, checkpoint.tree_size) if old else []
    lines = [f"old {old}"] + [base64.b64encode(h).decode() for h in proof]
    return "\n".join(lines) + "\n\n" + checkpoint.signed_note


def _refuse(witness: Witness, checkpoint: Checkpoint, kind: str, answer: Answer, size=None):
    detail = (answer.error or answer.body).strip()[:2000]
    logger.warning(
        "witness %s refused checkpoint %s: %s %s", witness.name, checkpoint, kind, detail
    )
    return WitnessRefusal.objects.create(
        checkpoint=checkpoint,
        witness=witness.name,
        url=witness.url,
        kind=kind,
        status=answer.status,
        witness_size=size,
        detail=detail,
    )


def _accept(witness: Witness, checkpoint: Checkpoint, answer: Answer):
    body, _ = split_note(checkpoint.signed_note)
    from gongshi.integrity.note import verify_cosignature_line

    for line in answer.body.splitlines(keepends=True):
        try:
            cosignature = verify_cosignature_line(body, line, witness.key)
        except NoteError as exc:
            return _refuse(witness, checkpoint, Kind.INVALID, Answer(answer.status, str(exc)))
        if cosignature is None:
            continue
        signed_at = dt.datetime.fromtimestamp(cosignature.timestamp, tz=dt.UTC)
        with transaction.atomic():
            try:
                made = WitnessCosignature.objects.create(
                    checkpoint=checkpoint,
                    witness=witness.name,
                    key_id=cosignature.key_id.hex(),
                    signed_at=signed_at,
                    line=cosignature.line,
                )
            except IntegrityError:  # two pushers raced: the first one's is kept
                made = checkpoint.cosignatures.get(witness=witness.name)
            WitnessProgress.objects.update_or_create(
                witness=witness.name, defaults={"tree_size": checkpoint.tree_size}
            )
        return made
    return _refuse(
        witness, checkpoint, Kind.INVALID, Answer(answer.status, "no cosignature by its key")
    )


def push(witness: Witness, checkpoint: Checkpoint):
    """Ask one witness to cosign; returns the WitnessCosignature or the WitnessRefusal."""
    existing = checkpoint.cosignatures.filter(witness=witness.name).first()
    if existing is not None:
        return existing
    progress = WitnessProgress.objects.filter(witness=witness.name).first()
    old = progress.tree_size if progress and progress.tree_size <= checkpoint.tree_size else 0
    for attempt in range(2):
        answer = post(f"{witness.url}/add-checkpoint", request_body(checkpoint, old))
        if answer.status == 200:
            return _accept(witness, checkpoint, answer)
        if answer.status == 409:
            text = answer.body.strip()
            held = int(text) if text.isdigit() else None
            if held is None:
                return _refuse(witness, checkpoint, Kind.INVALID, answer)
            if held > checkpoint.tree_size:
                return _refuse(witness, checkpoint, Kind.AHEAD, answer, size=held)
            if attempt == 0 and held != old:
                old = held  # the witness holds another size: prove consistency from it
                continue
            return _refuse(witness, checkpoint, Kind.INVALID, answer, size=held)
        if answer.status == 422:
            return _refuse(witness, checkpoint, Kind.INCONSISTENT, answer, size=old)
        if answer.status == 403:
            return _refuse(witness, checkpoint, Kind.FORBIDDEN, answer)
        if answer.status == 404:
            return _refuse(witness, checkpoint, Kind.UNKNOWN_LOG, answer)
        if answer.status is None:
            return _refuse(witness, checkpoint, Kind.UNREACHABLE, answer)
        return _refuse(witness, checkpoint, Kind.INVALID, answer)
    raise AssertionError("unreachable")


def push_latest() -> list:
    """Push the latest checkpoint to every configured witness (the task and the command)."""
    checkpoint = log.latest_checkpoint()
    if checkpoint is None:
        return []
    return [push(witness, checkpoint) for witness in configured()]


def latest_by_witness() -> list[WitnessCosignature]:
    """Each configured witness's most recent cosignature (largest checkpoint), if any."""
    found = []
    for witness in configured():
        latest = (
            WitnessCosignature.objects.filter(witness=witness.name)
            .select_related("checkpoint")
            .order_by("-checkpoint__tree_size")
            .first()
        )
        if latest is not None:
            found.append(latest)
    return found
