"""Rewrap every tender's bid key with the first of COMMISSIONING_BID_KEYS (after adding a new key)."""

from django.core.management.base import BaseCommand

from tenders.sealing import rewrap_all


class Command(BaseCommand):
    help = "Rewrap every tender's bid key with the first key of COMMISSIONING_BID_KEYS."

    def handle(self, *args: object, **options: object) -> None:
        count = rewrap_all()
        self.stdout.write(self.style.SUCCESS(f"Rewrapped {count} tender key{'s' if count != 1 else ''}."))
