"""``gongshi verify --url … --pubkey …``: the independent verifier (see integrity/verifier.py).

The same code as ``python gongshi/integrity/verifier.py``; exits 1 when a check fails.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongshi.integrity import verifier


class Command(BaseCommand):
    help = "Verify a Gongshi publication log against its public key (exit 1 on any mismatch)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--url", required=True, help="the site's base URL")
        parser.add_argument("--pubkey", required=True, help="verifier key file (or PEM)")
        parser.add_argument("--project", help="public code of a project to verify")
        parser.add_argument("--state", help="file remembering the last verified checkpoint")
        parser.add_argument("--lang", choices=["zh", "en"], default="zh")

    def handle(self, *args, **options) -> None:
        argv = ["--url", options["url"], "--pubkey", str(Path(options["pubkey"]))]
        argv += ["--lang", options["lang"]]
        if options.get("project"):
            argv += ["--project", options["project"]]
        if options.get("state"):
            argv += ["--state", options["state"]]
        code = verifier.run(argv, out=self.stdout, err=self.stderr)
        if code:
            raise CommandError(verifier.MESSAGES[options["lang"]]["failed_short"], returncode=code)
