from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from commissioning.audit import ChainHead, audit_verify, parse_head, read_published_heads
from commissioning.models import Council
from commissioning.tenancy import council_scope


class Command(BaseCommand):
    help = (
        "Verify every council's audit chain (links and HMACs) and report the first broken link. "
        "Against published heads (--head, or the heads file) it also detects removed or rewritten events."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--council", metavar="SLUG", help="Only this council")
        parser.add_argument(
            "--head",
            metavar="SEQUENCE:HASH",
            action="append",
            default=[],
            help="A head published for --council (from its portal page or the log); may repeat",
        )
        parser.add_argument(
            "--heads-file",
            metavar="PATH",
            help="Published heads, JSON lines (default: COMMISSIONING_AUDIT_HEADS_FILE, when it exists)",
        )

    def _heads(self, council: str | None, given: list[str], heads_file: str | None) -> list[ChainHead]:
        if given and not council:
            raise CommandError("--head needs --council: a head belongs to one council's chain")
        try:
            heads = [parse_head(text, council_slug=council or "") for text in given]
        except ValueError as error:
            raise CommandError(str(error)) from error
        path = heads_file or settings.COMMISSIONING_AUDIT_HEADS_FILE
        if heads_file and not Path(heads_file).exists():
            raise CommandError(f"No heads file at {heads_file}")
        if path and Path(path).exists():
            try:
                heads += read_published_heads(path)
            except ValueError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"Published heads read from {path}")
        return heads

    def handle(
        self, *args: Any, council: str | None = None, head: list[str], heads_file: str | None = None, **options: Any
    ) -> None:
        heads = self._heads(council, head, heads_file)
        councils = Council.objects.order_by("slug")
        if council:
            councils = councils.filter(slug=council)
            if not councils.exists():
                raise CommandError(f"No council with slug {council!r}")
        broken = 0
        for each in councils:
            with council_scope(each):
                report = audit_verify(council=each, heads=[h for h in heads if h.council_slug == each.slug])
            against = f", {report.heads_checked} published head(s) found" if report.heads_checked else ""
            if report.ok:
                self.stdout.write(
                    self.style.SUCCESS(f"{each.slug}: {report.events_checked} events, chain intact{against}")
                )
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
