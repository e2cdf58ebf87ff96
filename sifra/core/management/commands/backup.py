"""`sifra backup FOLDER`: the database and the uploaded documents, with a checksum manifest."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sifra.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploaded documents into a new folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="a new or empty folder")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_create(options["folder"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["rows"].values())
        files = len(manifest["files"]) - 1  # the data file itself
        self.stdout.write(f"Backed up {rows} rows and {files} files to {options['folder']}")
