from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chronicle.accounts.enrolment import link_for
from chronicle.accounts.models import User
from chronicle.audit.actor import Actor
from chronicle.audit.models import Action
from chronicle.audit.services import record_as


class Command(BaseCommand):
    help = (
        "Print a single-use link with which a person sets up two-factor sign-in (after their "
        "password); send it to them by a route other than their email if their account may be taken."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the person's work email address (their sign-in)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username__iexact=options["email"].strip()).first()
        if user is None:
            raise CommandError(f"No account signs in as {options['email']}")
        record_as(
            Actor.system(),  # a command: no signed-in person, address or page
            Action.CREATE,
            obj=user,
            object_type="two_factor_link",
            object_label=user.email,
            detail="two-factor set-up link issued from the command line",
        )
        self.stdout.write(link_for(user))
