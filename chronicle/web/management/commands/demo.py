from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from chronicle.accounts.models import Role
from chronicle.web.demo import demo_password, load_demo


class Command(BaseCommand):
    help = "Load the demo partnership (safe to run again) and print the demo sign-ins."

    def handle(self, *args: Any, **options: Any) -> None:
        people = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo partnership loaded."))
        self.stdout.write(f"\nDemo sign-ins (password for every account: {demo_password()})\n")
        for person in people:
            role = "System administrator" if person.superuser else Role(person.role).label
            where = f", {person.agency}" if person.agency else ""
            partnership = "" if person.partnership.startswith("Northshire") else f" [{person.partnership}]"
            self.stdout.write(f"  {person.email:<38} {role}{where}{partnership}")
