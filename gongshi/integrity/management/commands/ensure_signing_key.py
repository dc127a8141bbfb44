"""``gongshi ensure_signing_key``: make sure checkpoints can be signed (``make run`` calls it).

Uses the configured key if there is one; otherwise writes a demo key under the data
directory once, and prints the public key verifiers should pin.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from gongshi.integrity import keys


class Command(BaseCommand):
    help = "Generate a demo checkpoint signing key under the data directory if none is configured."

    def handle(self, *args, **options) -> None:
        path, created = keys.ensure_demo_key()
        if path is None:
            self.stdout.write("Using the configured signing key (GONGSHI_LOG_SIGNING_KEY).")
        elif created:
            self.stdout.write(f"Generated a demo signing key: {path}")
        else:
            self.stdout.write(f"Signing key present: {path}")
        self.stdout.write(f"Public key: {keys.public_key().text}")
