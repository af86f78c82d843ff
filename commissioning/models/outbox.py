"""The transactional outbox: a background task recorded in the same transaction as the change
that asks for it, then relayed to the broker (:mod:`commissioning.queue`).

Two tables with the same columns: :class:`OutboxMessage` for a council's tasks (council-owned:
django-scopes and row-level security, like every council's data, so only that council's scope, or
the relay's platform scope, sees them) and :class:`PlatformOutboxMessage` for the few tasks that
belong to no council (``enqueue_platform``).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from commissioning.tenancy import CouncilOwned


class OutboxFields(models.Model):
    # The Celery task's registered name, and its keyword arguments (council_id included).
    task = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    # The id the message is sent under, every time it is sent: a second delivery of the same row
    # (a relay that sent but died before recording it) is recognised by the task and not run again.
    task_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    # The relay leaves a row alone until then: a short grace for the fast path after commit, then
    # the backoff after each failed attempt.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Set once the broker accepted the message; done_at once the task's transaction committed.
    sent_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.task} ({'sent' if self.sent_at else 'waiting'})"


class OutboxMessage(OutboxFields, CouncilOwned):
    """A council's task waiting for (or already handed to) the broker."""

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            # The relay's and the health check's only question: what is still unsent, oldest first.
            models.Index(fields=["next_attempt_at"], condition=Q(sent_at__isnull=True), name="outbox_unsent"),
        ]


class PlatformOutboxMessage(OutboxFields):
    """A task that belongs to no council (``enqueue_platform``). Platform data, like a User."""

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(sent_at__isnull=True), name="platform_outbox_unsent"),
        ]
