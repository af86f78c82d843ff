from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commissioning.audit import audit_verify
from commissioning.models import Council
from commissioning.tenancy import council_scope


class Command(BaseCommand):
    help = "Verify every council's hash-chained audit trail and report the first broken link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--council", metavar="SLUG", help="Only this council")

    def handle(self, *args: Any, council: str | None = None, **options: Any) -> None:
        councils = Council.objects.order_by("slug")
        if council:
            councils = councils.filter(slug=council)
            if not councils.exists():
                raise CommandError(f"No council with slug {council!r}")
        broken = 0
        for each in councils:
            with council_scope(each):
                report = audit_verify(council=each)
            if report.ok:
                self.stdout.write(self.style.SUCCESS(f"{each.slug}: {report.events_checked} events, chain intact"))
            else:
                broken += 1
                self.stdout.write(
                    self.style.ERROR(
                        f"{each.slug}: chain broken at event #{report.broken_at}: {report.reason} "
                        f"({report.events_checked} events read)"
                    )
                )
        if broken:
            raise CommandError(f"{broken} council chain(s) broken")
