"""The ``gongshi`` command: Django's management commands plus the project's own.

``gongshi witness …`` is the standalone log witness (gongshi/integrity/witness.py): it runs
without Django settings or a database, so a regulator can run it on its own machine.
"""

import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["witness"]:
        from gongshi.integrity.witness import main as witness_main

        sys.exit(witness_main(sys.argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongshi.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongshi", *sys.argv[1:]])


if __name__ == "__main__":
    main()
