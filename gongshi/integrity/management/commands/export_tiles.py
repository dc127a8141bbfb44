"""``gongshi export_tiles DIR``: write the log as static C2SP tlog-tiles for nginx or a CDN."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from gongshi.integrity import tiles


class Command(BaseCommand):
    help = (
        "Write the latest checkpoint (with its cosignatures) and the log's tiles and entry"
        " bundles under DIR, as served at /checkpoint and /tile/…; full tiles already there"
        " are kept. Run after `gongshi checkpoint`."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args, **options) -> None:
        size, written = tiles.export(options["directory"])
        self.stdout.write(f"Exported a log of {size} entries: {written} files written.")
