"""``gongshi checkpoint``: sign a new checkpoint if the log grew (run periodically)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from gongshi.integrity.log import latest_checkpoint, make_checkpoint


class Command(BaseCommand):
    help = "Sign a new checkpoint of the publication log if it grew since the latest one."

    def handle(self, *args, **options) -> None:
        made = make_checkpoint()
        if made is None:
            latest = latest_checkpoint()
            size = latest.tree_size if latest else 0
            self.stdout.write(f"No new entries; latest checkpoint covers {size} entries.")
        else:
            self.stdout.write(f"Checkpoint signed: size {made.tree_size}, root {made.root_hex}")
