"""Uploads: limited in size and type, checked by content, not only by name."""

import hashlib
import zipfile
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy

from sifra.accounts import permissions
from sifra.audit.models import AuditEvent
from sifra.audit.services import audit_record
from sifra.core.personnummer import refuse_personal_numbers
from sifra.documents.models import Document

NOT_ALLOWED = gettext_lazy("You may not do this.")
TOO_LARGE = gettext_lazy("The file is larger than %(max)s MB.")
WRONG_TYPE = gettext_lazy("Upload a PDF, Word or Excel document or an image (PNG, JPEG).")
TITLE_REQUIRED = gettext_lazy("Give the document a title.")

_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Extension → (content type, the first bytes a real file of that kind starts with).
ALLOWED = {
    "pdf": ("application/pdf", b"%PDF-"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "doc": ("application/msword", _OLE),
    "xls": ("application/vnd.ms-excel", _OLE),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
}


# An Office Open XML file is a ZIP that names its parts: these must be there. A ZIP bomb is
# refused before anything is unpacked: few members, and a bounded declared unpacked size.
OOXML_PARTS = {
    "docx": ("[Content_Types].xml", "word/document.xml"),
    "xlsx": ("[Content_Types].xml", "xl/workbook.xml"),
}
ZIP_MAX_MEMBERS = 2000
ZIP_MAX_UNPACKED = 200 * 1024 * 1024


def _ooxml_ok(upload: UploadedFile, extension: str) -> bool:
    """Whether the ZIP is a Word or Excel document: read from its central directory only."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > ZIP_MAX_MEMBERS:
                return False
            if sum(m.file_size for m in members) > ZIP_MAX_UNPACKED:
                return False
            names = {m.filename for m in members}
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return all(part in names for part in OOXML_PARTS[extension])


def _kind(upload: UploadedFile) -> tuple[str, str]:
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise ValidationError({"file": str(WRONG_TYPE)})
    content_type, magic = ALLOWED[extension]
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise ValidationError({"file": str(WRONG_TYPE)})
    if extension in OOXML_PARTS and not _ooxml_ok(upload, extension):
        raise ValidationError({"file": str(WRONG_TYPE)})
    return name, content_type


def _digest(upload: UploadedFile) -> str:
    sha = hashlib.sha256()
    for chunk in upload.chunks():
        sha.update(chunk)
    upload.seek(0)
    return sha.hexdigest()


@transaction.atomic(durable=True)
def document_upload(
    *, project: Any, title: str, upload: UploadedFile, acting_user: Any
) -> Document:
    if not permissions.can_upload(acting_user, project):
        raise PermissionDenied(NOT_ALLOWED)
    if not title.strip():
        raise ValidationError({"title": str(TITLE_REQUIRED)})
    refuse_personal_numbers(title=title, file=upload.name or "")
    limit = settings.SIFRA_MAX_UPLOAD_MB
    if upload.size is None or upload.size > limit * 1024 * 1024:
        raise ValidationError({"file": str(TOO_LARGE) % {"max": limit}})
    name, content_type = _kind(upload)
    document = Document(
        project=project,
        title=title.strip(),
        original_name=name[:255],
        content_type=content_type,
        size=upload.size,
        sha256=_digest(upload),
        uploaded_by=acting_user,
    )
    document.file.save(name, upload, save=False)
    document.save()
    audit_record(
        acting_user=acting_user,
        kind=AuditEvent.Kind.DOCUMENT_UPLOADED,
        subject=document,
        data={"name": name, "size": upload.size, "sha256": document.sha256},
    )
    return document
