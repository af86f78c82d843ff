from typing import Any

from django.core.management.base import BaseCommand

from commissioning import demo


class Command(BaseCommand):
    help = "Print the demo log-ins."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = demo.logins()
        width = max(len(email) for email, _ in rows)
        self.stdout.write(f"\nDemo log-ins (password for all: {demo.DEMO_PASSWORD})")
        for email, what in rows:
            self.stdout.write(f"  {email.ljust(width)}  {what}")
        self.stdout.write("")
