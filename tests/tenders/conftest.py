"""Fixtures of the tenders tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture
def eager_tasks(settings: Any) -> Iterator[None]:
    """Run tasks in the test (Celery reads its settings once, so set its own config too)."""
    from commissioning.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def eager_celery() -> Iterator[None]:
    """Run tasks in the test, setting Celery's own config only."""
    from commissioning.celery import app

    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = False
