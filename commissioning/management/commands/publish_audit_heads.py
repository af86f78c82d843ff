"""Record each council's audit chain head outside the database (log and heads file).

Celery beat runs the same every COMMISSIONING_AUDIT_HEAD_MINUTES (commissioning.tasks.audit_heads_publish).
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from commissioning.audit import audit_heads_publish
from commissioning.models import Council


class Command(BaseCommand):
    help = "Publish every council's audit chain head (sequence:hash) to the log and the heads file."

    def handle(self, *args: Any, **options: Any) -> None:
        for head in audit_heads_publish(councils=Council.objects.order_by("slug")):
            self.stdout.write(f"{head.council_slug}: {head.as_text()}")
        if settings.COMMISSIONING_AUDIT_HEADS_FILE:
            self.stdout.write(f"Appended to {settings.COMMISSIONING_AUDIT_HEADS_FILE}")
