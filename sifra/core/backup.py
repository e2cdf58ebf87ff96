"""Backup and restore of a whole installation: the database as Django's JSON lines (the same
file restores into SQLite or PostgreSQL) plus every uploaded document, with a manifest of
SHA-256 checksums that is verified before anything is written.

A backup is a folder:

    manifest.json        format, when, Sifra's version, the migrations it was taken at,
                         the number of rows per model and the checksum of every other file
    data.jsonl           every row of every table Sifra owns (sessions, login attempts,
                         content types and permissions are rebuilt, not copied)
    files/...            MEDIA_ROOT as it was (the uploaded documents)

Restoring refuses a database that already holds data, a backup whose checksums do not match,
and a backup taken at migrations this installation does not have.
"""

import datetime as dt
import hashlib
import json
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
FORMAT_NAME = "sifra-jsonl"  # settings.SERIALIZATION_MODULES: JSON lines, exact to the µs
DATA = "data.jsonl"
MANIFEST = "manifest.json"
FILES = "files"
# Rebuilt by `migrate` or of no worth after a restore.
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
    "django_tasks_database",
]
# Any of these holding a row means the database is not empty.
OCCUPIED_BY = ["accounts.Organisation", "accounts.User"]


class BackupError(Exception):
    pass


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _walk(folder: Path) -> Iterator[Path]:
    return (p for p in sorted(folder.rglob("*")) if p.is_file())


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _row_counts(data: Path) -> dict[str, int]:
    with data.open(encoding="utf-8") as lines:
        return dict(sorted(Counter(json.loads(line)["model"] for line in lines).items()))


def backup_create(target: Path) -> dict[str, Any]:
    """Write a backup into `target` (a new or empty folder) and return its manifest."""
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise BackupError(f"{target} is not empty")
    data = target / DATA
    with transaction.atomic():  # one consistent snapshot of every table
        call_command(
            "dumpdata",
            format=FORMAT_NAME,
            natural_foreign=True,
            exclude=EXCLUDED,
            output=str(data),
            verbosity=0,
        )
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        shutil.copytree(media, target / FILES)
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": connection.vendor,
        "migrations": _applied_migrations(),
        "rows": _row_counts(data),
        "files": {str(p.relative_to(target)): sha256_of(p) for p in _walk(target)},
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def _verified_manifest(source: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source / MANIFEST} cannot be read: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    present = {str(p.relative_to(source)) for p in _walk(source)} - {MANIFEST}
    listed = set(manifest["files"])
    if present != listed:
        raise BackupError(f"files differ from the manifest: {sorted(present ^ listed)[:5]}")
    for name, expected in manifest["files"].items():
        if sha256_of(source / name) != expected:
            raise BackupError(f"checksum mismatch: {name}")
    return manifest


def _check_migrations(manifest: dict[str, Any]) -> None:
    here = _applied_migrations()
    missing = [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if name not in here.get(app, [])
    ]
    if missing:
        raise BackupError(f"the backup needs migrations this installation lacks: {missing[:5]}")


def _check_empty() -> None:
    for label in OCCUPIED_BY:
        if apps.get_model(label).objects.exists():
            raise BackupError("the database is not empty: restore only into a new database")


def _restore_files(source: Path) -> int:
    media = Path(settings.MEDIA_ROOT)
    count = 0
    for path in _walk(source / FILES) if (source / FILES).is_dir() else []:
        destination = media / path.relative_to(source / FILES)
        if destination.exists() and sha256_of(destination) != sha256_of(path):
            raise BackupError(f"{destination} exists with other content")
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        count += 1
    return count


def backup_restore(source: Path) -> dict[str, Any]:
    """Restore the backup in `source` into this (migrated, empty) database and MEDIA_ROOT."""
    manifest = _verified_manifest(source)
    _check_migrations(manifest)
    _check_empty()
    with transaction.atomic():
        call_command("loaddata", str(source / DATA), format=FORMAT_NAME, verbosity=0)
        if _row_counts(source / DATA) != manifest["rows"]:
            raise BackupError("the data file holds other rows than the manifest lists")
    restored = _restore_files(source)
    return {"rows": sum(manifest["rows"].values()), "files": restored}
