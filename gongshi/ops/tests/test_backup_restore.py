"""A backup restored into an empty instance serves a log the verifier accepts, unchanged.

Real parts: SQLite's backup API or pg_dump/pg_restore, a fresh data directory (and a fresh
PostgreSQL database), ``gongshi restore`` in its own process, gunicorn serving the restored
instance, and the command-line verifier reading it over HTTP.
"""

from __future__ import annotations

import io
import tarfile
import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from gongshi.integrity import keys, log, verifier
from gongshi.integrity.tests.helpers import publish_with_file
from gongshi.ops import testing

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def empty_instance(tmp_path):
    """Environment of a new, empty instance on the same engine as the tests."""
    data_dir = tmp_path / "restored"
    data_dir.mkdir()
    if connection.vendor != "postgresql":
        yield testing.instance_env(data_dir)
        return
    params = connection.get_connection_params()
    name = f"gongshi_restore_{uuid.uuid4().hex[:10]}"
    admin = {k: params[k] for k in ("host", "port", "user", "password") if params.get(k)}
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as pg:
        pg.execute(f'CREATE DATABASE "{name}"')
    url = f"postgres://{params['user']}@{params['host']}:{params.get('port') or 5432}/{name}"
    try:
        yield testing.instance_env(data_dir, DATABASE_URL=url)
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_restored_instance_verifies_with_the_same_size_root_and_files(
    world, tmp_path, empty_instance
):
    for n in range(3):
        publish_with_file(world, note=f"第{n}项", file_text=f"扫描件 {n}")
    checkpoint = log.latest_checkpoint()
    archive = tmp_path / "gongshi.tar"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert f"日志 {checkpoint.tree_size} 条（根 {checkpoint.root_hex}）" in out.getvalue()
    assert "文件 3 个" in out.getvalue()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert sum(name.startswith("files/") for name in names) == 3
    assert {"gongshi-backup.json", "log-public-key.pem", "checkpoint.txt"} <= set(names)

    restored = testing.manage(empty_instance, "restore", str(archive))
    assert f"日志 {checkpoint.tree_size} 条，根 {checkpoint.root_hex} 与备份一致" in restored
    assert "3 个文件的哈希全部一致" in restored

    pubkey = tmp_path / "log.pub"
    pubkey.write_text(keys.public_key().text + "\n", encoding="utf-8")
    port = testing.free_port()
    with testing.gunicorn(empty_instance, port, tmp_path / "gunicorn.log"):
        out, err = io.StringIO(), io.StringIO()
        code = verifier.run(
            [
                "--url",
                f"http://127.0.0.1:{port}",
                "--pubkey",
                str(pubkey),
                "--project",
                world.project.code,
                "--lang",
                "en",
            ],
            out=out,
            err=err,
        )
    assert (code, err.getvalue()) == (0, ""), out.getvalue()
    assert f"size {checkpoint.tree_size}, root {checkpoint.root_hex}." in out.getvalue()


def test_it_refuses_to_restore_over_a_database_in_use(tmp_path):
    archive = tmp_path / "gongshi.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="目标数据库不是空的"):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_it_says_a_file_is_not_a_backup(tmp_path):
    not_a_backup = tmp_path / "x.tar"
    with tarfile.open(not_a_backup, "w") as tar:
        tar.add(__file__, arcname="readme.txt")
    with pytest.raises(CommandError, match="不是 Gongshi 备份"):
        call_command("restore", str(not_a_backup), stdout=io.StringIO())
