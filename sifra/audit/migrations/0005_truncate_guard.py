from django.db import migrations

from sifra.audit.triggers import no_truncate


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_alter_auditevent_kind"), ("funds", "0003_append_only")]
    operations = [no_truncate("audit_auditevent", "funds_ledgerentry")]
