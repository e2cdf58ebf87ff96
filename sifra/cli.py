"""The `sifra` command.

`sifra calc CASE` runs the calculation engine and needs no database; every other subcommand is
Django's management command of that name (`sifra migrate`, `sifra token USERNAME`, ...).
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "calc":
        from sifra.engine.cli import calc_main

        return calc_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sifra", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
