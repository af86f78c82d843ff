"""The one way to run work in the background.

``enqueue`` sends a task only when the surrounding transaction commits (so a worker never sees
a row that was rolled back), and always names the council. ``council_task`` defines a task that
re-enters that council's scope (django-scopes and row-level security) before it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial, wraps
from typing import Any

from celery import shared_task
from celery.app.task import Task
from django.db import transaction

from commissioning.models import Council
from commissioning.tenancy import council_scope


def council_task(func: Callable[..., Any] | None = None, **task_options: Any) -> Any:
    """Declare a Celery task that runs inside one council's scope.

    The task body receives ``council`` (a Council) and the keyword arguments given to
    :func:`enqueue`. Bodies must be idempotent: a task may run more than once (acks_late).
    """
    if func is None:
        return partial(council_task, **task_options)

    @shared_task(name=f"{func.__module__}.{func.__name__}", **task_options)
    @wraps(func)
    def task(*, council_id: int, **kwargs: Any) -> Any:
        council = Council.objects.get(pk=council_id)
        with council_scope(council):
            return func(council=council, **kwargs)

    return task


def enqueue(task: Task, *, council: Council, **kwargs: Any) -> None:
    """Send ``task`` for ``council`` once the current transaction commits."""
    transaction.on_commit(partial(task.apply_async, kwargs={"council_id": council.pk, **kwargs}))


def enqueue_platform(task: Task, **kwargs: Any) -> None:
    """Send a task that belongs to no council (health checks, platform e-mail)."""
    transaction.on_commit(partial(task.apply_async, kwargs=kwargs))


__all__ = ["council_task", "enqueue", "enqueue_platform"]
