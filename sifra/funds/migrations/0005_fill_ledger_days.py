"""Fill the per-day totals for the entries posted before the table existed."""

from django.db import migrations
from django.db.models import Sum


def _rows(entries, group):
    return (
        entries.values(*group)
        .order_by(*group)
        .annotate(c=Sum("d_capital"), m=Sum("d_committed"), k=Sum("d_claims"))
    )


def fill(apps, schema_editor):
    entry_model = apps.get_model("funds", "LedgerEntry")
    day_model = apps.get_model("funds", "LedgerDay")
    day_model.objects.all().delete()
    rows = [
        day_model(fund_id=r["fund"], date=r["date"], d_capital=r["c"], d_committed=r["m"],
                  d_claims=r["k"])
        for r in _rows(entry_model.objects.all(), ["fund", "date"])
    ]
    rows += [
        day_model(fund_id=r["fund"], project_id=r["project"], date=r["date"], d_capital=r["c"],
                  d_committed=r["m"], d_claims=r["k"])
        for r in _rows(entry_model.objects.filter(project__isnull=False), ["fund", "project", "date"])
    ]
    day_model.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("funds", "0004_ledger_days")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
