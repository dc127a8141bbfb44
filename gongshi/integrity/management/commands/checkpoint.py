"""``gongshi checkpoint``: integrate the committed leaves (PostgreSQL; filling the numbers of
rolled-back publications), sign a new checkpoint if the log grew, then ask the configured
witnesses to cosign the latest one (run periodically)."""

from __future__ import annotations

from gongshi.core.jobs import PeriodicCommand
from gongshi.integrity import witnessing
from gongshi.integrity.log import latest_checkpoint, make_checkpoint, settle
from gongshi.integrity.models import WitnessCosignature


class Command(PeriodicCommand):
    help = (
        "Sign a new checkpoint of the publication log if it grew since the latest one, and"
        " collect the configured witnesses' cosignatures of the latest checkpoint."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-witnesses", action="store_true", help="do not contact the witnesses"
        )

    def run(self, *args, **options) -> None:
        settled = settle()
        if settled.voids:
            self.stdout.write(
                f"Filled {settled.voids} numbers of rolled-back publications with void leaves."
            )
        if settled.blocked:
            self.stdout.write(
                f"Leaf {settled.tree_size} is still in flight; the next run integrates it."
            )
        made = make_checkpoint()
        if made is None:
            latest = latest_checkpoint()
            size = latest.tree_size if latest else 0
            self.stdout.write(f"No new entries; latest checkpoint covers {size} entries.")
        else:
            self.stdout.write(f"Checkpoint signed: size {made.tree_size}, root {made.root_hex}")
        if options["no_witnesses"]:
            return
        for result in witnessing.push_latest():
            if isinstance(result, WitnessCosignature):
                self.stdout.write(
                    f"Cosigned by {result.witness} at {result.signed_at:%Y-%m-%d %H:%M:%S}Z"
                )
            else:
                self.stderr.write(
                    f"Witness {result.witness} refused ({result.kind}): {result.detail}"
                )
