"""``manage.py seed_social_value_framework <council-slug>``: give a council a starting framework
from the Social Value Model (PPN 002, Open Government Licence v3.0), published as version 1.

Idempotent: a council that already has a framework with themes keeps it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commissioning.models import Council
from commissioning.tenancy import council_scope
from social_value.framework import framework_seed_social_value_model
from social_value.models import Measure


class Command(BaseCommand):
    help = "Give a council a starting social value framework from the Social Value Model (PPN 002)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("council_slug")

    def handle(self, *args: Any, council_slug: str, **options: Any) -> None:
        council = Council.objects.filter(slug=council_slug).first()
        if council is None:
            raise CommandError(f"No council has the slug {council_slug!r}")
        with council_scope(council):
            framework_seed_social_value_model(council=council, actor=None)
            count = Measure.objects.filter(council=council).count()
        self.stdout.write(f"{council.name}: the social value framework has {count} measures.")
