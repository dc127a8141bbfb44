"""``gongshi export_tiles [DIR]``: write the log as static C2SP tlog-tiles for nginx or a CDN."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from gongshi.core.jobs import PeriodicCommand
from gongshi.integrity import tiles


class Command(PeriodicCommand):
    help = (
        "Write the latest checkpoint (with its cosignatures) and the log's tiles and entry"
        " bundles under DIR, as served at /checkpoint and /tile/…; full tiles already there"
        " are kept. Run after `gongshi checkpoint`."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path, nargs="?", help="default: GONGSHI_TILES_DIR")

    def run(self, *args, **options) -> None:
        directory = options["directory"] or Path(settings.GONGSHI_TILES_DIR)
        size, written = tiles.export(directory)
        self.stdout.write(f"Exported a log of {size} entries: {written} files written.")
