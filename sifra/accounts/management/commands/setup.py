"""`sifra setup`: the first step of a real installation — the organisation and its first
coordinator, who then adds units, people and funds in the app."""

import getpass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from sifra.accounts.models import Organisation, Role, User


class Command(BaseCommand):
    help = "Create the organisation and its first fund coordinator (once, on a new installation)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help='e.g. "Örebro kommun"')
        parser.add_argument("--org-number", default="", help="e.g. 212000-1819")
        parser.add_argument("--coordinator", required=True, help="username of the coordinator")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        if Organisation.objects.exists():
            raise CommandError("This installation already has its organisation.")
        if User.objects.filter(username=options["coordinator"]).exists():
            raise CommandError(f"The username {options['coordinator']!r} is taken.")
        password = self._password(options["coordinator"])
        with transaction.atomic():
            Organisation.objects.create(
                name=options["organisation"], org_number=options["org_number"]
            )
            User.objects.create_user(
                options["coordinator"],
                email=options["email"],
                password=password,
                role=Role.COORDINATOR,
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {options['organisation']} and the coordinator {options['coordinator']}."
            )
        )

    def _password(self, username: str) -> str:
        password = getpass.getpass(f"Password for {username}: ")
        if password != getpass.getpass("The same again: "):
            raise CommandError("The passwords differ.")
        try:
            validate_password(password, User(username=username))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        return password
