from django.db import migrations

from sifra.audit.triggers import append_only


class Migration(migrations.Migration):
    dependencies = [("funds", "0002_initial"), ("audit", "0002_append_only")]
    operations = [append_only("funds_ledgerentry")]
