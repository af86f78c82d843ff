"""The one way to run work in the background: a transactional outbox in front of Celery.

``enqueue`` records the task as a row (:class:`~commissioning.models.OutboxMessage`) in the
caller's transaction, so the task exists exactly when the change that asked for it does: a
rollback takes it away, and a broker that is down after the commit loses nothing. Then:

1. **fast path**: right after the commit (``on_commit``) the same process sends the row to the
   broker and marks it sent, so a receipt still leaves within milliseconds;
2. **relay** (:func:`relay_due`, run in a loop by ``manage.py relay_outbox``, its own process):
   sends whatever the fast path could not (broker down, process killed between commit and send),
   oldest first, with exponential backoff, until the broker accepts. It needs no broker to be
   scheduled (a Celery beat task would not run while the broker is down). On PostgreSQL it claims
   rows with ``SELECT … FOR UPDATE SKIP LOCKED``, so several relays may run side by side.

A row is marked sent only after the broker accepted the message. Delivery is therefore *at least
once*: a relay that dies between the broker's answer and its own commit sends the row again. Each
row is always sent under the same task id (``OutboxMessage.task_id``), and :func:`council_task`
records ``done_at`` in the task's own transaction, so a second delivery of a task that already
ran is dropped; a task whose run did not commit (a worker killed mid-task: late acknowledgement
delivers it again) runs again. Bodies must still be idempotent (``notify_once`` for e-mail).

``council_task`` defines a task that re-enters its council's scope (django-scopes and row-level
security) before it runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial, wraps
from typing import Any

from celery import current_app, shared_task
from celery.app.task import Task
from celery.exceptions import Ignore
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from commissioning.models import Council, OutboxMessage, PlatformOutboxMessage
from commissioning.models.outbox import OutboxFields
from commissioning.tenancy import ALL_COUNCILS, council_scope, current_db_council, platform_scope

logger = logging.getLogger(__name__)


def council_task(func: Callable[..., Any] | None = None, **task_options: Any) -> Any:
    """Declare a Celery task that runs inside one council's scope.

    The task body receives ``council`` (a Council) and the keyword arguments given to
    :func:`enqueue`. Bodies must be idempotent: a task may run more than once (acks_late).
    A task sent from the outbox and already done (its row's ``done_at``) is not run again.
    """
    if func is None:
        return partial(council_task, **task_options)

    @shared_task(bind=True, name=f"{func.__module__}.{func.__name__}", **task_options)
    @wraps(func)
    def task(self: Task, *, council_id: int, **kwargs: Any) -> Any:
        council = Council.objects.get(pk=council_id)
        task_id = self.request.id
        with council_scope(council):
            if task_id and OutboxMessage.objects.filter(task_id=task_id, done_at__isnull=False).exists():
                logger.info("%s %s already ran: this delivery is dropped", self.name, task_id)
                raise Ignore  # keeps the first run's result
            result = func(council=council, **kwargs)
            if task_id:  # the same transaction as the body's writes: done only if they committed
                OutboxMessage.objects.filter(task_id=task_id).update(done_at=timezone.now())
            return result

    return task


# --- Recording ---------------------------------------------------------------------------------


def _grace() -> timedelta:
    # The relay leaves a new row to the fast path for this long (so the two do not race for it).
    return timedelta(seconds=settings.COMMISSIONING_OUTBOX_GRACE_SECONDS)


def enqueue(task: Task, *, council: Council, **kwargs: Any) -> None:
    """Record ``task`` for ``council`` in the current transaction; send it once that commits.

    One INSERT on the caller's hot path; the send happens after the commit. The keyword arguments
    must be JSON values (ids, strings, numbers): they are stored as JSON and sent as JSON.
    """
    row = OutboxMessage(
        council=council,
        task=task.name,
        kwargs={"council_id": council.pk, **kwargs},
        next_attempt_at=timezone.now() + _grace(),
    )
    if current_db_council() in {str(council.pk), ALL_COUNCILS}:
        row.save(force_insert=True)
    elif current_db_council():
        # Another council's scope asking for this council's work is a bug, not a case to allow.
        raise PermissionError(f"enqueue for council {council.pk} inside council {current_db_council()}'s scope")
    else:  # a script or command outside any scope: the row is still the council's own
        with council_scope(council):
            row.save(force_insert=True)
    transaction.on_commit(partial(_send_after_commit, row, council.pk))


def enqueue_platform(task: Task, **kwargs: Any) -> None:
    """Record a task that belongs to no council (platform e-mail, maintenance); send it on commit."""
    row = PlatformOutboxMessage.objects.create(task=task.name, kwargs=kwargs, next_attempt_at=timezone.now() + _grace())
    transaction.on_commit(partial(_send_after_commit, row, None))


# --- Sending -----------------------------------------------------------------------------------


def _publish(row: OutboxFields, connection: Any = None) -> None:
    """Hand one row to the broker under its own task id; raises if the broker did not accept it."""
    task = current_app.tasks.get(row.task)
    options: dict[str, Any] = {"task_id": str(row.task_id), "retry": False}
    if connection is not None:
        options["connection"] = connection
    if task is None:  # not imported in this process: send by name (routing still applies)
        current_app.send_task(row.task, kwargs=row.kwargs, **options)
    else:
        task.apply_async(kwargs=row.kwargs, **options)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the given number of failed attempts, capped by the setting."""
    cap = settings.COMMISSIONING_OUTBOX_RETRY_MAX_SECONDS
    return timedelta(seconds=min(cap, 2 ** max(attempts - 1, 0)))


def _failure_update(row: OutboxFields, error: BaseException, now: datetime) -> None:
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    row.next_attempt_at = now + retry_delay(row.attempts)


def _send_after_commit(row: OutboxFields, council_id: int | None) -> None:
    """The fast path. Never raises: the commit has happened, and the relay sends what fails here."""
    manager = type(row)._default_manager
    scope = council_scope(council_id) if council_id is not None else platform_scope()
    try:
        _publish(row)
    except Exception as error:  # noqa: BLE001 - the broker's failures are many; the relay retries them all
        logger.warning("Outbox %s (%s) not sent, the relay will retry: %s", row.pk, row.task, error)
        _failure_update(row, error, timezone.now())
        try:
            with scope:
                manager.filter(pk=row.pk, sent_at__isnull=True).update(
                    attempts=row.attempts, last_error=row.last_error, next_attempt_at=row.next_attempt_at
                )
        except Exception:  # noqa: BLE001 - the database may be what failed; the row waits as it is
            logger.exception("Outbox %s: the failed attempt could not be recorded", row.pk)
        return
    try:
        with scope:
            if connection.vendor == "postgresql":
                # The mark is not worth a disk flush on the request's path: lost in a crash, it
                # only means the relay sends the row again, and the task drops that delivery.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            manager.filter(pk=row.pk).update(sent_at=timezone.now())
    except Exception:  # noqa: BLE001 - sent but not marked: the relay sends it again, the task drops it
        logger.exception("Outbox %s sent but not marked sent", row.pk)


def _relay_model(model: type[OutboxFields], *, now: datetime, batch: int) -> tuple[int, int]:
    sent = failed = 0
    manager = model._default_manager
    due = {"sent_at__isnull": True, "next_attempt_at__lte": now}
    if connection.vendor == "sqlite":
        # SQLite's transactions here are IMMEDIATE (they take the write lock at BEGIN): look
        # first, outside one, so an idle relay does not queue every second behind the web's
        # writers. A read with the ORM's scope off; SQLite has no row-level security.
        with scopes_disabled():
            if not manager.filter(**due).exists():
                return 0, 0
    # The claim: rows another relay holds are skipped, not waited for (PostgreSQL; SQLite runs one
    # writer at a time anyway). The rows stay locked while they are sent, then the claim commits.
    with platform_scope():
        rows: list[OutboxFields] = list(
            manager.select_for_update(skip_locked=True).filter(**due).order_by("next_attempt_at", "pk")[:batch]
        )
        if not rows:
            return 0, 0
        done: list[OutboxFields] = []
        with current_app.connection_for_write() as broker:
            for row in rows:
                try:
                    _publish(row, broker)
                except Exception as error:  # noqa: BLE001 - recorded on the row, retried later
                    failed += 1
                    _failure_update(row, error, timezone.now())
                    manager.filter(pk=row.pk).update(
                        attempts=row.attempts, last_error=row.last_error, next_attempt_at=row.next_attempt_at
                    )
                    logger.warning("Outbox %s (%s) not sent (attempt %s): %s", row.pk, row.task, row.attempts, error)
                    break  # the broker is down: the rest wait for the next round
                done.append(row)
        if done:
            manager.filter(pk__in=[row.pk for row in done]).update(sent_at=timezone.now(), last_error="")
            sent = len(done)
    return sent, failed


def relay_due(*, now: datetime | None = None, batch: int = 100) -> tuple[int, int]:
    """Send every unsent row whose time has come; return (sent, failed) for this round."""
    now = now or timezone.now()
    totals = [0, 0]
    for model in (OutboxMessage, PlatformOutboxMessage):
        sent, failed = _relay_model(model, now=now, batch=batch)
        totals[0] += sent
        totals[1] += failed
    return totals[0], totals[1]


def outbox_prune(*, now: datetime | None = None) -> int:
    """Delete rows sent more than COMMISSIONING_OUTBOX_KEEP_DAYS ago; return how many.

    A sent row is kept a while so a late second delivery of its task still finds ``done_at``
    (deliveries come back within the visibility timeout, half an hour), and for looking into.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.COMMISSIONING_OUTBOX_KEEP_DAYS)
    deleted = 0
    with platform_scope():
        for model in (OutboxMessage, PlatformOutboxMessage):
            deleted += model._default_manager.filter(sent_at__lt=cutoff).delete()[0]
    return deleted


def outbox_backlog(*, now: datetime | None = None) -> tuple[int, timedelta | None]:
    """How many rows wait for the broker, across councils, and how long the oldest has waited."""
    from django.db.models import Count, Min

    now = now or timezone.now()
    count = 0
    oldest: datetime | None = None
    with platform_scope():
        for model in (OutboxMessage, PlatformOutboxMessage):
            found = model._default_manager.filter(sent_at__isnull=True).aggregate(
                n=Count("pk"), oldest=Min("created_at")
            )
            count += found["n"]
            if found["oldest"] and (oldest is None or found["oldest"] < oldest):
                oldest = found["oldest"]
    return count, (now - oldest if oldest else None)


__all__ = ["council_task", "enqueue", "enqueue_platform", "outbox_backlog", "outbox_prune", "relay_due", "retry_delay"]
