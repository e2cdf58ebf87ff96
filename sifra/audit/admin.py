from django.contrib import admin

from sifra.audit.models import AuditEvent
from sifra.core.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the audit trail is append-only, from the admin too."""

    list_display = ["created_at", "actor", "kind", "object_type", "object_repr"]
    list_filter = ["kind", "object_type"]
    search_fields = ["object_repr", "actor__username"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]
    readonly_fields = [
        "created_at",
        "actor",
        "kind",
        "object_type",
        "object_id",
        "object_repr",
        "data",
    ]
