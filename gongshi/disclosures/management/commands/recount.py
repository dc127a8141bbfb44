"""``gongshi recount``: check the counts kept for area-wide figures against the versions.

publish_version keeps per-county tallies and each disclosure's derived columns in the
publishing transaction (see :mod:`gongshi.disclosures.tallies`). This recounts them from the
published versions and lists what disagrees (exit status 1); ``--fix`` rewrites them. Run it
after restoring a backup or importing versions by other means than publish_version.

It covers the counts apps above keep too (``tallies.kept_elsewhere``): each project's score
counts (``supervision.figures``), whose ``--fix`` also refreshes the rows a date has overtaken.
"""

from __future__ import annotations

import sys

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from gongshi.core.jobs import PeriodicCommand
from gongshi.disclosures import tallies


class Command(PeriodicCommand):
    help = "核对按公示版本派生的统计（月度公示数、及时性、事项状态）；--fix 按版本重新计算。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fix", action="store_true", help="按公示版本重写派生统计。")

    def run(self, *args, fix: bool, **options) -> None:
        if fix:
            tallies.rebuild()
            self.stdout.write(_("已按公示版本重新计算派生统计。"))
            return
        found = tallies.differences()
        if not found:
            self.stdout.write(_("派生统计与公示版本一致。"))
            return
        for line in found:
            self.stdout.write(line)
        self.stderr.write(
            _("%(n)d 处与公示版本不一致；运行 gongshi recount --fix 重新计算。") % {"n": len(found)}
        )
        sys.exit(1)
