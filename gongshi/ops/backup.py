"""One archive holds an instance: database, stored files, the log's public key and checkpoint.

``gongshi backup PATH`` writes a tar file:

- ``gongshi-backup.json`` — what is inside: engine, the log's size and root at the latest
  checkpoint, the files and their hashes;
- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the site runs)
  or ``database.pgdump`` (``pg_dump --format=custom``, one snapshot);
- ``files/…`` — each stored file's bytes under its storage name (content-addressed by
  SHA-256, so the name says what the bytes must hash to);
- ``log-public-key.pem``, ``log-verifier-key.txt`` and ``checkpoint.txt`` — what a verifier
  needs to check the restored log against the one that was backed up.

The database is copied first and the files listed after it: stored files are never deleted
while a row refers to them (only orphans are), so every file the copied database names is
still there to be read. The signing key is *not* in the archive: it is a secret kept apart
(GONGSHI_LOG_SIGNING_KEY); the archived public key checks that the restored site signs with
the same one.

``gongshi restore PATH`` puts it back into an empty instance of the same engine and then
checks it: the log's root at the archived size equals the archived root, every stored file
reads back with its hash.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "gongshi-backup.json"


class BackupError(Exception):
    """What went wrong, in a sentence that says what to do."""


def _pg_env_and_args(alias: str = DEFAULT_DB_ALIAS) -> tuple[dict[str, str], list[str]]:
    db = settings.DATABASES[alias]
    environment = {**os.environ}
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return environment, [*args, "--dbname", str(db["NAME"])]


def _dump_database(directory: Path) -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        target = directory / "database.sqlite3"
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return target.name
    if connection.vendor == "postgresql":
        target = directory / "database.pgdump"
        environment, args = _pg_env_and_args()
        result = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)]
            + args,
            env=environment,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise BackupError(
                _("pg_dump 失败（%(error)s）：请确认已安装与服务器同版本的 PostgreSQL 客户端。")
                % {"error": result.stderr.strip()}
            )
        return target.name
    raise BackupError(_("不支持备份 %(vendor)s 数据库。") % {"vendor": connection.vendor})


@dataclass
class BackupReport:
    path: Path
    tree_size: int
    root: str
    files: int
    bytes: int


def backup(path: Path) -> BackupReport:
    from gongshi.files.models import StoredFile
    from gongshi.integrity import keys
    from gongshi.integrity.log import latest_checkpoint

    checkpoint = latest_checkpoint()  # before the dump: the dump holds at least this one
    with tempfile.TemporaryDirectory(prefix="gongshi-backup-") as work:
        database = _dump_database(Path(work))
        files = list(StoredFile.objects.order_by("pk").values_list("sha256", "content_type"))
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": connections[DEFAULT_DB_ALIAS].vendor,
            "database": database,
            "tree_size": checkpoint.tree_size if checkpoint else 0,
            "root": checkpoint.root_hex if checkpoint else "",
            "files": [],
        }
        partial = path.with_name(path.name + ".partial")
        total = 0
        with tarfile.open(partial, "w") as archive:
            archive.add(Path(work) / database, arcname=database)
            for sha256, content_type in files:
                name = StoredFile(sha256=sha256, content_type=content_type).storage_name
                size = _add_stored_file(archive, name, sha256)
                total += size
                manifest["files"].append({"name": name, "sha256": sha256, "size": size})
            _add_text(archive, "log-public-key.pem", keys.public_key_pem())
            _add_text(archive, "log-verifier-key.txt", keys.public_key().text + "\n")
            _add_text(archive, "checkpoint.txt", checkpoint.signed_note if checkpoint else "")
            _add_text(archive, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        partial.replace(path)  # a half-written archive never has the final name
    return BackupReport(path, manifest["tree_size"], manifest["root"], len(files), total)


def _add_text(archive: tarfile.TarFile, name: str, text: str) -> None:
    data = text.encode()
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def _add_stored_file(archive: tarfile.TarFile, name: str, sha256: str) -> int:
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as stored, tempfile.TemporaryFile() as copy:
        for chunk in iter(lambda: stored.read(1 << 20), b""):
            digest.update(chunk)
            copy.write(chunk)
        if digest.hexdigest() != sha256:
            raise BackupError(
                _("存储中的文件 %(name)s 的哈希与记录不符（已被改动）：请先查明原因再备份。")
                % {"name": name}
            )
        info = tarfile.TarInfo(f"files/{name}")
        info.size = copy.tell()
        info.mtime = int(timezone.now().timestamp())
        copy.seek(0)
        archive.addfile(info, copy)
        return info.size


# Restore ------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    tree_size: int
    root: str
    files: int
    same_signing_key: bool


def _database_is_empty() -> bool:
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def _restore_database(archive: tarfile.TarFile, manifest: dict, work: Path) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            _("这是 %(archived)s 的备份，不能恢复到 %(current)s：请用同一种数据库恢复。")
            % {"archived": manifest["engine"], "current": connection.vendor}
        )
    if not _database_is_empty():
        raise BackupError(_("目标数据库不是空的：请恢复到新建的空数据库（不要运行 migrate）。"))
    archive.extract(manifest["database"], work, filter="data")
    dumped = work / manifest["database"]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(dumped)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        connection.close()
        return
    environment, args = _pg_env_and_args()
    result = subprocess.run(
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args, str(dumped)],
        env=environment,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise BackupError(_("pg_restore 失败：%(error)s") % {"error": result.stderr.strip()})
    connection.close()


def _restore_files(archive: tarfile.TarFile, manifest: dict) -> int:
    restored = 0
    for entry in manifest["files"]:
        member = archive.extractfile(f"files/{entry['name']}")
        if member is None:
            raise BackupError(_("备份缺少文件 %(name)s。") % {"name": entry["name"]})
        with tempfile.TemporaryFile() as copy:
            digest = hashlib.sha256()
            for chunk in iter(lambda m=member: m.read(1 << 20), b""):
                digest.update(chunk)
                copy.write(chunk)
            if digest.hexdigest() != entry["sha256"]:
                raise BackupError(
                    _("备份中的文件 %(name)s 已损坏（哈希不符）。") % {"name": entry["name"]}
                )
            if not default_storage.exists(entry["name"]):
                copy.seek(0)
                saved = default_storage.save(entry["name"], File(copy))
                if saved != entry["name"]:
                    raise BackupError(_("文件存储改了文件名 %(name)s。") % {"name": saved})
        restored += 1
    return restored


def check_restored(manifest: dict) -> None:
    """The log's root at the archived size is the archived root; every file hashes right."""
    from gongshi.files.models import StoredFile
    from gongshi.integrity.log import root_at, tree_size

    size = manifest["tree_size"]
    if size and (tree_size() < size or root_at(size).hex() != manifest["root"]):
        raise BackupError(
            _("恢复后的公示日志与备份时的检查点不一致（大小 %(size)d）。") % {"size": size}
        )
    for stored in StoredFile.objects.iterator():
        digest = hashlib.sha256()
        with default_storage.open(stored.storage_name, "rb") as handle:
            for chunk in iter(lambda h=handle: h.read(1 << 20), b""):
                digest.update(chunk)
        if digest.hexdigest() != stored.sha256:
            raise BackupError(_("恢复后文件 %(name)s 的哈希不符。") % {"name": stored.storage_name})


def restore(path: Path) -> RestoreReport:
    from gongshi.integrity import keys

    try:
        archive = tarfile.open(path, "r")  # noqa: SIM115  (closed by the with below)
    except (OSError, tarfile.TarError) as error:
        raise BackupError(
            _("无法读取备份 %(path)s（%(error)s）。") % {"path": path, "error": error}
        ) from None
    with archive, tempfile.TemporaryDirectory(prefix="gongshi-restore-") as work:
        try:
            manifest = json.load(archive.extractfile(MANIFEST))
        except KeyError:
            raise BackupError(_("%(path)s 不是 Gongshi 备份。") % {"path": path}) from None
        if manifest.get("format") != FORMAT:
            raise BackupError(_("备份格式 %(format)s 不受支持。") % manifest)
        _restore_database(archive, manifest, Path(work))
        files = _restore_files(archive, manifest)
        archived_key = archive.extractfile("log-public-key.pem").read().decode()
    check_restored(manifest)
    same_key = archived_key.strip() == keys.public_key_pem().strip()
    return RestoreReport(manifest["tree_size"], manifest["root"], files, same_key)
