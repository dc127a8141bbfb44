"""``gongshi restore PATH``: put a backup into an empty instance, then check it."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongshi.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "把 gongshi backup 写的备份恢复到空的数据库与存储，并核对日志根哈希与文件哈希。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="gongshi backup 写的备份文件")

    def handle(self, *args, path: Path, **options) -> None:
        try:
            report = restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("已恢复：日志 %(size)d 条，根 %(root)s 与备份一致；%(files)d 个文件的哈希全部一致。")
            % {"size": report.tree_size, "root": report.root or "-", "files": report.files}
        )
        if not report.same_signing_key:
            self.stderr.write(
                _(
                    "注意：本站配置的日志签名密钥与备份时的不同，新检查点将无法用原公钥核验："
                    "请设置原来的 GONGSHI_LOG_SIGNING_KEY。"
                )
            )
        self.stdout.write(
            _("下一步：gongshi recount 核对派生统计，gongshi verify --url … 核验公示日志。")
        )
