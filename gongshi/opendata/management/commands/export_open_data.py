"""``gongshi export_open_data``: regenerate the bulk open-data package (daily timer)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gongshi.core.jobs import PeriodicCommand
from gongshi.opendata import package


class Command(PeriodicCommand):
    help = (
        "Write every public table as CSV with a Frictionless datapackage.json into one zip,"
        " stored under its SHA-256 and published at /open-data/; the previous package is"
        " removed."
    )

    def run(self, *args, **options) -> None:
        meta = package.build()
        rows = "，".join(f"{r['name']} {r['rows']}" for r in meta["resources"])
        self.stdout.write(
            _("开放数据包已生成：%(size)d 字节，SHA-256 %(sha)s（%(rows)s）。")
            % {"size": meta["size"], "sha": meta["sha256"], "rows": rows}
        )
