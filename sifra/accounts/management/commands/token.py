"""`sifra token USERNAME`: print a new API token for a user, for an administrator setting up a
script. The key is printed alone on a line so that a shell can capture it."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sifra.accounts.models import User
from sifra.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Print a new API token for USERNAME. The key is shown only this once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="sifra token", help="what the token is for")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f'There is no user named "{username}".')
        if not user.is_active:
            raise CommandError(f'The user "{username}" is not active; a token would not work.')
        try:
            _token, key = api_token_create(user=user, name=name, acting_user=None)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(key)
