from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from sifra.accounts.models import ApiToken, Organisation, Partner, Unit, User
from sifra.core.admin import ReadOnlyAdmin


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "org_number"]


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]


@admin.register(Partner)
class PartnerAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "org_number", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "org_number"]


@admin.register(User)
class UserAdmin(ReadOnlyAdmin, DjangoUserAdmin):  # type: ignore[misc]
    list_display = ["username", "first_name", "last_name", "role", "is_active", "is_staff"]
    list_filter = ["role", "is_active", "is_staff", "is_superuser"]
    filter_horizontal = ["units", "groups", "user_permissions"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Role in Sifra"), {"fields": ["role", "units"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Role in Sifra"), {"fields": ["role", "units"]}),
    ]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are created by their owners or with `sifra token`, which show the key once; the admin
    only lists them (a key cannot be recovered from its stored digest)."""

    list_display = ["name", "user", "hint", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "hint", "created_at", "last_used_at", "revoked_at"]
    exclude = ["digest"]
