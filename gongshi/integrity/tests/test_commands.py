"""gongshi ensure_signing_key and gongshi checkpoint."""

from __future__ import annotations

import io
import stat

from django.core.management import call_command
from django.test import Client

from gongshi.integrity import keys, log
from gongshi.integrity.models import Checkpoint


def test_ensure_signing_key_writes_a_private_demo_key_once(settings, tmp_path, db):
    settings.GONGSHI_LOG_SIGNING_KEY = ""
    settings.GONGSHI_LOG_DEMO_KEY_PATH = tmp_path / "log-signing-key.pem"
    out = io.StringIO()
    call_command("ensure_signing_key", stdout=out)
    assert "Generated a demo signing key" in out.getvalue()
    path = settings.GONGSHI_LOG_DEMO_KEY_PATH
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    first = path.read_bytes()
    public = keys.public_key().text
    assert f"Public key: {public}" in out.getvalue()
    out = io.StringIO()
    call_command("ensure_signing_key", stdout=out)
    assert "Signing key present" in out.getvalue()
    assert path.read_bytes() == first


def test_ensure_signing_key_leaves_a_configured_key_alone(settings, tmp_path, db):
    settings.GONGSHI_LOG_DEMO_KEY_PATH = tmp_path / "never.pem"
    out = io.StringIO()
    call_command("ensure_signing_key", stdout=out)
    assert "Using the configured signing key" in out.getvalue()
    assert not settings.GONGSHI_LOG_DEMO_KEY_PATH.exists()


def test_without_any_key_signing_fails_with_a_sentence_saying_what_to_do(settings, tmp_path, db):
    settings.GONGSHI_LOG_SIGNING_KEY = ""
    settings.GONGSHI_LOG_DEMO_KEY_PATH = tmp_path / "missing.pem"
    log.append_leaves([("test", {"n": 1})], checkpoint=False)
    try:
        log.make_checkpoint()
    except Exception as exc:
        assert "运行 gongshi ensure_signing_key" in str(exc)
    else:
        raise AssertionError("a checkpoint was signed without a key")
    response = Client().get("/api/v1/log/public-key")
    assert response.status_code == 503
    assert "运行 gongshi ensure_signing_key" in response.json()["error"]["message"]


def test_checkpoint_signs_only_when_the_log_grew(db):
    log.append_leaves([("test", {"n": n}) for n in range(3)], checkpoint=False)
    out = io.StringIO()
    call_command("checkpoint", stdout=out)
    assert "Checkpoint signed: size 3" in out.getvalue()
    out = io.StringIO()
    call_command("checkpoint", stdout=out)
    assert "No new entries; latest checkpoint covers 3 entries." in out.getvalue()
    assert Checkpoint.objects.count() == 1
    log.append_leaves([("test", {"n": 3})], checkpoint=False)
    call_command("checkpoint", stdout=io.StringIO())
    assert list(Checkpoint.objects.values_list("tree_size", flat=True).order_by("tree_size")) == [
        3,
        4,
    ]
