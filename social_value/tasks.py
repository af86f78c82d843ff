"""Background tasks of the social value app."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from commissioning.models import Council
from commissioning.tenancy import council_scope

__all__ = ["returns_remind"]


@shared_task(name="social_value.tasks.returns_remind")
def returns_remind() -> int:
    """Celery beat, daily: remind providers and officers of delivery returns due and overdue, each
    council in its own scope and transaction. Idempotent (social_value.reminders)."""
    from social_value.reminders import reminders_send

    today = timezone.localdate()
    sent = 0
    for council in Council.objects.order_by("pk"):
        with transaction.atomic(), council_scope(council):
            sent += reminders_send(council=council, today=today)
    return sent
