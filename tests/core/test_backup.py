"""`sifra backup` and `sifra restore`: a round trip through an emptied database finds every row
(balances, entries, audit events, documents) and every uploaded file identical; a damaged or
mismatched backup is refused before anything is written."""

import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from sifra.accounts.models import User
from sifra.audit.models import AuditEvent
from sifra.core.backup import MANIFEST, BackupError, backup_restore
from sifra.documents.models import Document
from sifra.documents.services import document_upload
from sifra.funds.models import Fund, LedgerEntry
from sifra.funds.selectors import fund_balances, project_balances
from sifra.projects.models import Project

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _sifra_models():
    return [m for m in apps.get_models() if m.__module__.startswith("sifra.")]


def _snapshot() -> dict:
    """Every row of every Sifra table, the balances, and the bytes of every document."""
    rows = {m._meta.label: list(m.objects.order_by("pk").values()) for m in _sifra_models()}
    return {
        "rows": rows,
        "funds": {f.pk: fund_balances(fund=f) for f in Fund.objects.all()},
        "projects": {p.pk: project_balances(project=p) for p in Project.objects.all()},
        "files": {d.pk: d.file.read() for d in Document.objects.all()},
    }


def _demo_with_document():
    call_command("demo_data", verbosity=0)
    project = Project.objects.order_by("pk").first()
    document_upload(
        project=project,
        title="Slutrapport",
        upload=SimpleUploadedFile("slutrapport.pdf", PDF),
        acting_user=User.objects.get(username="samordnare"),
    )


def _empty_everything(media: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    for path in sorted(media.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


@pytest.mark.django_db(transaction=True)
def test_round_trip_restores_every_row_and_file(tmp_path, media):
    _demo_with_document()
    before = _snapshot()
    assert LedgerEntry.objects.count() > 20 and AuditEvent.objects.count() > 50
    call_command("backup", str(tmp_path / "bk"))
    manifest = json.loads((tmp_path / "bk" / MANIFEST).read_text())
    assert manifest["rows"]["funds.ledgerentry"] == LedgerEntry.objects.count()
    assert len([n for n in manifest["files"] if n.startswith("files/")]) == 1

    _empty_everything(media)
    assert not LedgerEntry.objects.exists() and not any(media.rglob("*.*"))
    call_command("restore", str(tmp_path / "bk"))

    after = _snapshot()
    assert after["rows"] == before["rows"]
    assert after["funds"] == before["funds"] and after["projects"] == before["projects"]
    assert after["files"] == before["files"] == {Document.objects.get().pk: PDF}


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_data(tmp_path):
    _demo_with_document()
    call_command("backup", str(tmp_path / "bk"))
    entries = LedgerEntry.objects.count()
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(tmp_path / "bk"))
    assert LedgerEntry.objects.count() == entries


@pytest.mark.django_db(transaction=True)
def test_a_changed_byte_is_found_before_anything_is_written(tmp_path, media):
    _demo_with_document()
    call_command("backup", str(tmp_path / "bk"))
    _empty_everything(media)
    data = tmp_path / "bk" / "data.jsonl"
    data.write_bytes(data.read_bytes().replace(b"Kapitaltillskott", b"Kapitaltillskotx", 1))
    with pytest.raises(BackupError, match=r"checksum mismatch: data\.jsonl"):
        backup_restore(tmp_path / "bk")
    assert not User.objects.exists() and not any(media.rglob("*.*"))


@pytest.mark.django_db(transaction=True)
def test_an_extra_or_missing_file_is_refused(tmp_path, media):
    _demo_with_document()
    call_command("backup", str(tmp_path / "bk"))
    _empty_everything(media)
    (tmp_path / "bk" / "files" / "smuggled.txt").write_text("x")
    with pytest.raises(BackupError, match="differ from the manifest"):
        backup_restore(tmp_path / "bk")


@pytest.mark.django_db
def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "bk").mkdir()
    (tmp_path / "bk" / "old").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "bk"))
