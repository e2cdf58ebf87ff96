from typing import Any

from django.core.management.base import BaseCommand

from sifra.followup.tasks import send_reminders


class Command(BaseCommand):
    help = "Remind of reports due within 14 days or overdue (for cron; the worker does the same)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders()
        self.stdout.write(f"{sent} reminder(s) sent.")
