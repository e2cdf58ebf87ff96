"""Uploaded files: type by name and content, a size limit, stored under a random name outside the
web root, and handed only to those who may see the project."""

import io
import zipfile

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sifra.audit.models import AuditEvent
from sifra.documents import services as ds
from sifra.documents.models import Document
from sifra.documents.services import WRONG_TYPE
from tests.evaluation.conftest import sv

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
ZIP = b"PK\x03\x04" + b"\x00" * 32


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx() -> bytes:
    """A minimal Word document: the parts Word itself needs to open one."""
    return zipped(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document/>",
        }
    )


def xlsx() -> bytes:
    """A real Excel workbook, as XlsxWriter writes one."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet().write(0, 0, "Kostnader")
    book.close()
    return buffer.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32


def upload(project, user, name="Rapport 2026.pdf", content=PDF, title="Slutrapport"):
    return ds.document_upload(
        project=project,
        title=title,
        upload=SimpleUploadedFile(name, content),
        acting_user=user,
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("rapport.pdf", PDF, "application/pdf"),
        ("bild.PNG", PNG, "image/png"),
        ("foto.jpg", JPEG, "image/jpeg"),
        ("foto.jpeg", JPEG, "image/jpeg"),
        (
            "text.docx",
            docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "tabell.xlsx",
            xlsx(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("gammal.doc", OLE, "application/msword"),
        ("gammal.xls", OLE, "application/vnd.ms-excel"),
    ],
)
def test_allowed_types(project, users, name, content, content_type):
    document = upload(project, users["applicant"], name=name, content=content)
    assert document.content_type == content_type and document.original_name == name
    assert document.size == len(content)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DOCUMENT_UPLOADED).count() == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.pdf", PNG),  # a PNG calling itself a PDF
        ("sida.html", b"<html><script>alert(1)</script></html>"),
        ("skript.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>"),
        ("program.exe", b"MZ\x90\x00"),
        ("utan-filandelse", PDF),
        ("text.docx", PDF),
    ],
)
def test_other_types_are_refused(project, users, name, content):
    with pytest.raises(ValidationError) as exc:
        upload(project, users["applicant"], name=name, content=content)
    assert exc.value.message_dict == {"file": [str(ds.WRONG_TYPE)]}
    assert not Document.objects.exists()


def test_a_too_large_file_is_refused(project, users, settings):
    settings.SIFRA_MAX_UPLOAD_MB = 1
    just_right = PDF + b"\x00" * (1024 * 1024 - len(PDF))
    assert upload(project, users["applicant"], content=just_right).size == 1024 * 1024
    with pytest.raises(ValidationError) as exc:
        upload(project, users["applicant"], content=just_right + b"\x00")
    assert exc.value.message_dict == {"file": ["The file is larger than 1 MB."]}
    assert Document.objects.count() == 1


def test_the_stored_path_holds_nothing_of_the_original_name(project, users, media):
    document = upload(project, users["applicant"], name="Känslig rapport om Anna.pdf")
    assert "nsl" not in document.file.name and "Anna" not in document.file.name
    assert "rapport" not in document.file.name and ".pdf" not in document.file.name
    stored = media / document.file.name
    assert stored.read_bytes() == PDF
    assert stored.resolve().is_relative_to(media.resolve())


def test_uploading_needs_a_part_in_the_project(project, users):
    for role in ("outsider", "auditor", "decision_maker"):
        with pytest.raises(PermissionDenied):
            upload(project, users[role])
    for role in ("applicant", "coordinator", "economist", "council"):
        upload(project, users[role])


# --- Serving ------------------------------------------------------------------------------------


@pytest.fixture
def document(project, users):
    return upload(project, users["applicant"], name="Slutrapport å.pdf")


@pytest.mark.parametrize(
    "role", ["applicant", "coordinator", "economist", "council", "decision_maker", "auditor"]
)
def test_the_file_is_served_to_those_who_see_the_project(client, document, users, role):
    client.force_login(users[role])
    response = client.get(reverse("evaluation:document", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Slutrapport%20%C3%A5.pdf" in disposition


def test_the_file_is_refused_to_others(client, document, users):
    client.force_login(users["outsider"])
    assert client.get(reverse("evaluation:document", args=[document.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, document):
    response = client.get(reverse("evaluation:document", args=[document.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_missing_document_is_not_found(client, document, users, media):
    client.force_login(users["coordinator"])
    assert client.get(reverse("evaluation:document", args=[document.pk + 1])).status_code == 404
    (media / document.file.name).unlink()
    assert client.get(reverse("evaluation:document", args=[document.pk])).status_code == 404


def test_the_documents_page_lists_and_uploads(client, project, users):
    page = reverse("evaluation:documents", args=[project.pk])
    client.force_login(users["applicant"])
    response = client.post(
        page, {"title": "Delrapport", "file": SimpleUploadedFile("delrapport.pdf", PDF)}
    )
    assert response.status_code == 302
    listing = client.get(page).content.decode()
    assert "Delrapport" in listing and "delrapport.pdf" in listing


def test_the_documents_page_shows_upload_errors(client, project, users):
    client.force_login(users["applicant"])
    response = client.post(
        reverse("evaluation:documents", args=[project.pk]),
        {"title": "Falsk", "file": SimpleUploadedFile("falsk.pdf", PNG)},
    )
    assert response.status_code == 200 and sv(WRONG_TYPE) in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("outsider", 403), ("auditor", 403)])
def test_who_may_not_upload_through_the_page(client, project, users, role, status):
    client.force_login(users[role])
    response = client.post(
        reverse("evaluation:documents", args=[project.pk]),
        {"title": "X", "file": SimpleUploadedFile("x.pdf", PDF)},
    )
    assert response.status_code == status
    assert not Document.objects.exists()


def test_the_auditor_reads_the_list_without_an_upload_form(client, document, users):
    client.force_login(users["auditor"])
    page = client.get(reverse("evaluation:documents", args=[document.project_id])).content.decode()
    assert "Slutrapport" in page and 'type="file"' not in page


# --- Office files are checked inside the ZIP (issue 9, item 8) ---------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("text.docx", ZIP),  # only the ZIP signature
        ("text.docx", zipped({"readme.txt": b"hej"})),  # any ZIP renamed
        ("tabell.xlsx", zipped({"readme.txt": b"hej"})),
        ("text.docx", xlsx()),  # a workbook is not a Word document
        ("tabell.xlsx", docx()),
    ],
)
def test_a_zip_that_is_not_the_office_document_it_names_is_refused(project, users, name, content):
    with pytest.raises(ValidationError) as exc:
        upload(project, users["applicant"], name=name, content=content)
    assert exc.value.message_dict["file"] == [str(WRONG_TYPE)]
    assert not Document.objects.exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(project, users, monkeypatch):
    bomb = zipped({"[Content_Types].xml": b"<T/>", "word/document.xml": b"0" * 100_000})
    assert len(bomb) < 2_000  # a hundred kilobytes declared, almost nothing sent
    monkeypatch.setattr(ds, "ZIP_MAX_UNPACKED", 50_000)
    with pytest.raises(ValidationError):
        upload(project, users["applicant"], name="text.docx", content=bomb)
    monkeypatch.setattr(ds, "ZIP_MAX_UNPACKED", 200_000)
    assert upload(project, users["applicant"], name="text.docx", content=bomb).size == len(bomb)


def test_a_zip_of_too_many_members_is_refused(project, users, monkeypatch):
    parts = {"[Content_Types].xml": b"<T/>", "word/document.xml": b"<w/>"}
    many = zipped({**parts, **{f"word/media/{i}.xml": b"" for i in range(10)}})
    monkeypatch.setattr(ds, "ZIP_MAX_MEMBERS", 11)
    with pytest.raises(ValidationError):
        upload(project, users["applicant"], name="text.docx", content=many)
