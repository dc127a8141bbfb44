"""``gongshi verify --url … --pubkey …``: the independent verifier (see integrity/verifier.py).

The same code as ``python gongshi/integrity/verifier.py``; exits 1 when a check fails.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from gongshi.integrity import verifier


class Command(BaseCommand):
    help = "Verify a Gongshi publication log against its public key (exit 1 on any mismatch)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--url", help="the site's base URL")
        parser.add_argument("--tiles", help="a static C2SP tlog-tiles prefix")
        parser.add_argument("--pubkey", required=True, help="verifier key file (or PEM)")
        parser.add_argument("--project", help="public code of a project to verify")
        parser.add_argument("--state", help="file remembering the last verified checkpoint")
        parser.add_argument("--witness", action="append", default=[], help="witness key file")
        parser.add_argument("--min-witnesses", type=int, default=0)
        parser.add_argument("--lang", choices=["zh", "en"], default="zh")

    def handle(self, *args, **options) -> None:
        argv = ["--pubkey", options["pubkey"], "--lang", options["lang"]]
        argv += ["--min-witnesses", str(options["min_witnesses"])]
        for name in ("url", "tiles", "project", "state"):
            if options.get(name):
                argv += [f"--{name}", options[name]]
        for path in options["witness"]:
            argv += ["--witness", path]
        code = verifier.run(argv, out=self.stdout, err=self.stderr)
        if code:
            raise CommandError(verifier.MESSAGES[options["lang"]]["failed_short"], returncode=code)
