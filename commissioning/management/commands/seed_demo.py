from typing import Any

from django.core.management.base import BaseCommand

from commissioning import demo
from commissioning.tenancy import platform_scope


class Command(BaseCommand):
    help = "Load the demo councils, people and organisations (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        with platform_scope():
            counts = demo.seed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {counts['councils']} councils, {counts['people']} people, "
                f"{counts['organisations']} organisations."
            )
        )
