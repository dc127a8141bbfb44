"""The command-line verifier, run against a live server, catches every kind of tampering.

Each test publishes through the one path, verifies cleanly, then changes something behind
the application's back and checks the verifier fails with a sentence naming the change.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from gongshi.integrity import keys, log, verifier
from gongshi.integrity.models import Checkpoint
from gongshi.integrity.tests.helpers import publish_with_file, raw_sql, truncate_log

pytestmark = pytest.mark.usefixtures("django_db_serialized_rollback")


@pytest.fixture
def pubkey(tmp_path) -> Path:
    path = tmp_path / "gongshi-log.pub"
    path.write_text(keys.public_key().text + "\n", encoding="utf-8")
    return path


@pytest.fixture
def published(live_server, world):
    return [publish_with_file(world, note=f"第{n}项") for n in range(3)]


def run_verifier(live_server, pubkey, *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = verifier.run(
        ["--url", live_server.url, "--pubkey", str(pubkey), *extra], out=out, err=err
    )
    return code, out.getvalue(), err.getvalue()


def test_an_untouched_log_and_project_verify(live_server, world, published, pubkey, tmp_path):
    code, out, err = run_verifier(
        live_server, pubkey, "--project", world.project.code, "--state", str(tmp_path / "s")
    )
    assert (code, err) == (0, "")
    assert "全部 3 个公示版本及其 3 个文件均已核验" in out
    assert "核验通过" in out
    assert (tmp_path / "s").exists()


def test_it_detects_a_field_changed_in_the_database(live_server, world, published, pubkey):
    raw_sql(
        'UPDATE disclosures_disclosureversion SET "values" = %s WHERE id = %s',
        ['{"note": "伪造的内容"}', published[1].pk],
    )
    code, _, err = run_verifier(live_server, pubkey, "--project", world.project.code)
    assert code == verifier.EXIT_FAILED
    assert f"v1：站点现在的数据与日志第 {published[1].leaf_index} 条不一致，字段：values" in err
    assert "包含证明不成立" in err


def test_it_detects_a_file_whose_bytes_changed_on_disk(live_server, world, published, pubkey):
    stored = published[0].attachments.get().file
    with default_storage.open(stored.storage_name, "wb") as fh:
        fh.write(b"%PDF-1.4 replaced scan")
    code, _, err = run_verifier(live_server, pubkey, "--project", world.project.code)
    assert code == verifier.EXIT_FAILED
    assert "文件「施工许可证.pdf」的 SHA-256 是" in err
    assert f"日志记录的是 {stored.sha256}（文件被替换）" in err


def test_it_detects_a_deleted_leaf(live_server, world, published, pubkey):
    raw_sql('DELETE FROM integrity_logentry WHERE "index" = %s', [published[2].leaf_index])
    code, _, err = run_verifier(live_server, pubkey, "--project", world.project.code)
    assert code == verifier.EXIT_FAILED
    assert f"日志中缺少第 {published[2].leaf_index} 条（条目被删除）" in err


def test_it_detects_reordered_leaves(live_server, world, published, pubkey):
    first, second = published[0].leaf_index, published[1].leaf_index
    raw_sql('UPDATE integrity_logentry SET "index" = %s WHERE "index" = %s', [10**12, first])
    raw_sql('UPDATE integrity_logentry SET "index" = %s WHERE "index" = %s', [first, second])
    raw_sql('UPDATE integrity_logentry SET "index" = %s WHERE "index" = %s', [second, 10**12])
    code, _, err = run_verifier(live_server, pubkey, "--project", world.project.code)
    assert code == verifier.EXIT_FAILED
    assert f"与日志第 {first} 条不一致，字段：item, published_at, values" in err
    assert f"与日志第 {second} 条不一致，字段：item, published_at, values" in err


def test_it_detects_a_rollback_to_an_older_checkpoint(
    live_server, world, published, pubkey, tmp_path
):
    state = tmp_path / "state"
    assert run_verifier(live_server, pubkey, "--state", str(state))[0] == 0
    latest = log.latest_checkpoint()
    raw_sql("DELETE FROM integrity_checkpoint WHERE id = %s", [latest.pk])
    older = log.latest_checkpoint()
    assert older.tree_size < latest.tree_size
    code, _, err = run_verifier(live_server, pubkey, "--state", str(state))
    assert code == verifier.EXIT_FAILED
    assert (
        f"日志被回滚：上次核验时日志大小为 {latest.tree_size}，现在检查点只有 {older.tree_size}"
        in err
    )


def test_it_detects_a_truncated_and_regrown_log(live_server, world, published, pubkey, tmp_path):
    state = tmp_path / "state"
    assert run_verifier(live_server, pubkey, "--state", str(state))[0] == 0
    truncate_log(2)
    log.make_checkpoint()
    code, _, err = run_verifier(
        live_server, pubkey, "--state", str(state), "--project", world.project.code
    )
    assert code == verifier.EXIT_FAILED
    assert "日志被回滚：上次核验时日志大小为 3，现在检查点只有 2" in err
    assert f"日志序号 {published[2].leaf_index} 不在检查点（大小 2）之内" in err
    # Grown again past the old size with different entries: a fork, not an extension.
    log.append_leaves([("test", {"n": 1}), ("test", {"n": 2})], checkpoint=False)
    log.make_checkpoint()
    code, _, err = run_verifier(live_server, pubkey, "--state", str(state))
    assert code == verifier.EXIT_FAILED
    assert "日志被改写：上次核验时大小 3 的日志不是现在大小 4 的日志的前缀" in err


def test_it_rejects_a_checkpoint_signed_by_another_key(live_server, world, published, tmp_path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from gongshi.integrity.note import verifier_key

    other = tmp_path / "other.pub"
    other.write_text(
        verifier_key("gongshi.test/log", Ed25519PrivateKey.generate().public_key()).text
    )
    code, _, err = run_verifier(live_server, other)
    assert code == verifier.EXIT_FAILED
    assert "检查点签名无效或不是由给定公钥签署" in err


def test_a_forged_checkpoint_in_the_database_is_refused(live_server, world, published, pubkey):
    latest = log.latest_checkpoint()
    forged = latest.signed_note.replace("\n3\n", "\n30\n", 1)
    raw_sql("UPDATE integrity_checkpoint SET signed_note = %s WHERE id = %s", [forged, latest.pk])
    code, _, err = run_verifier(live_server, pubkey, "--lang", "en")
    assert code == verifier.EXIT_FAILED
    assert "The checkpoint signature is invalid" in err


def test_the_management_command_verifies_and_fails_like_the_script(
    live_server, world, published, pubkey
):
    out = io.StringIO()
    call_command(
        "verify", url=live_server.url, pubkey=str(pubkey), project=world.project.code, stdout=out
    )
    assert "核验通过" in out.getvalue()
    raw_sql(
        "UPDATE disclosures_disclosureversion SET reason = %s WHERE id = %s",
        ["后来补写的原因", published[0].pk],
    )
    with pytest.raises(CommandError) as failed:
        call_command(
            "verify",
            url=live_server.url,
            pubkey=str(pubkey),
            project=world.project.code,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert failed.value.returncode == verifier.EXIT_FAILED


def test_the_standalone_script_needs_only_its_three_neighbours(
    live_server, world, published, pubkey, tmp_path
):
    """Copied alone (verifier.py, merkle.py, note.py, tlog_tiles.py) it runs and catches a
    change."""
    import shutil
    import subprocess
    import sys

    here = Path(verifier.__file__).parent
    for name in ["verifier.py", "merkle.py", "note.py", "tlog_tiles.py"]:
        shutil.copy(here / name, tmp_path / name)
    raw_sql(
        "UPDATE disclosures_disclosureversion SET reason = %s WHERE id = %s",
        ["后来补写的原因", published[0].pk],
    )
    result = subprocess.run(
        [sys.executable, "verifier.py", "--url", live_server.url, "--pubkey", str(pubkey),
         "--project", world.project.code, "--lang", "en"],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert result.returncode == verifier.EXIT_FAILED, result.stderr
    assert "differs from log entry 0 in: reason" in result.stderr


def test_an_unreachable_site_is_an_error_not_a_pass(pubkey, db):
    out, err = io.StringIO(), io.StringIO()
    code = verifier.run(["--url", "http://127.0.0.1:9", "--pubkey", str(pubkey)], out=out, err=err)
    assert code == verifier.EXIT_ERROR
    assert "无法获取 http://127.0.0.1:9/api/v1/log/checkpoint" in err.getvalue()


def test_checkpoint_rows_refuse_changes_through_the_orm(db):
    with pytest.raises(Exception, match="cannot be"):
        Checkpoint.objects.all().delete()
