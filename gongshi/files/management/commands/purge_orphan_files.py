"""``gongshi purge_orphan_files``: remove stored bytes left without a row by rolled-back uploads.

Run it from a timer (hourly is plenty); see :mod:`gongshi.files.orphans` for why it exists.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from gongshi.core.jobs import PeriodicCommand
from gongshi.files.orphans import DEFAULT_GRACE, purge_orphans


class Command(PeriodicCommand):
    help = "删除存储中没有数据库记录、且早于宽限期的文件（上传事务回滚后遗留的字节）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than-minutes",
            type=int,
            default=int(DEFAULT_GRACE.total_seconds() // 60),
            help="只删除早于此分钟数的文件（默认 60）。",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="只列出将被删除的文件，不实际删除。"
        )

    def run(self, *args, older_than_minutes: int, dry_run: bool, **options) -> None:
        if older_than_minutes < 10:
            # Shorter than a slow upload's transaction: bytes about to get their row would go.
            raise CommandError(
                _("宽限期不能少于 10 分钟，请把 --older-than-minutes 设为 10 或更大。")
            )
        report = purge_orphans(grace=dt.timedelta(minutes=older_than_minutes), dry_run=dry_run)
        for name in [*report.removed, *report.temp_removed]:
            self.stdout.write(name)
        summary = (
            _("将删除 %(n)d 个无记录的文件、%(t)d 个遗留临时文件（试运行，未删除）。")
            if dry_run
            else _("已删除 %(n)d 个无记录的文件、%(t)d 个遗留临时文件。")
        ) % {"n": len(report.removed), "t": len(report.temp_removed)}
        if report.kept_young:
            summary += " " + _("另有 %(k)d 个较新的无记录文件暂时保留。") % {"k": report.kept_young}
        self.stdout.write(summary)
