from django.contrib import admin

from sifra.core.admin import ReadOnlyAdmin
from sifra.funds.models import FiscalYearClosing, Fund, LedgerEntry


@admin.register(Fund)
class FundAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation", "established_on", "is_active"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["fund", "number", "date", "kind", "amount", "project", "text", "posted_by"]
    list_filter = ["fund", "kind", "fiscal_year"]
    search_fields = ["text", "decision_ref"]
    list_select_related = ["fund", "project", "posted_by"]


@admin.register(FiscalYearClosing)
class FiscalYearClosingAdmin(ReadOnlyAdmin):
    list_display = ["fund", "year", "decided_on", "decision_ref", "capital", "committed", "claims"]
    list_filter = ["fund"]
