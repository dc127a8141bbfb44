"""``gongshi backup PATH``: one archive of this instance (see gongshi/ops/backup.py)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongshi.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "把数据库、存储的文件、日志公钥与最新检查点写入一个备份文件（tar）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="备份文件路径，如 /backups/gongshi.tar")

    def handle(self, *args, path: Path, **options) -> None:
        try:
            report = backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _(
                "已备份到 %(path)s：日志 %(size)d 条（根 %(root)s），文件 %(files)d 个共 %(bytes)d 字节。"
            )
            % {
                "path": report.path,
                "size": report.tree_size,
                "root": report.root or "-",
                "files": report.files,
                "bytes": report.bytes,
            }
        )
