"""Uploaded files (reports, evaluations, evidence): stored under MEDIA_ROOT, which no web server
serves; the app hands a file only to those allowed to see its project."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sifra.core.models import PersonalNumberFree


def _path(instance: "Document", filename: str) -> str:
    # A random name: nothing of the uploader's file name reaches the file system.
    return f"documents/{instance.project_id}/{uuid.uuid4().hex}"


class Document(PersonalNumberFree):
    free_text_fields = ("title", "original_name")

    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("project"),
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to=_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title
