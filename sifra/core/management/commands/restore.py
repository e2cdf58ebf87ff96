"""`sifra restore FOLDER`: a backup into a new, empty database (migrated first)."""

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sifra.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by `sifra backup` into a new, empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="the backup's folder")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        try:
            result = backup_restore(options["folder"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {result['rows']} rows and {result['files']} files")
