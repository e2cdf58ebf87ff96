from django.contrib import admin

from sifra.core.admin import ReadOnlyAdmin
from sifra.projects.models import Project


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "fund", "lead_unit", "status"]
    list_filter = ["fund", "status"]
    search_fields = ["code", "title"]
