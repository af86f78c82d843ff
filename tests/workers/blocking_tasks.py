"""A task that stops half-way until told to go on, for the late-acknowledgement test.

Also a Celery app module: ``celery -A tests.workers.blocking_tasks worker`` runs the project's app
with this task registered (test modules are not autodiscovered).
"""

from __future__ import annotations

import os
import time

import django

django.setup()

from django.core.mail import EmailMessage  # noqa: E402

from commissioning.celery import app  # noqa: E402
from commissioning.models import Council  # noqa: E402
from commissioning.notifications import notify_once  # noqa: E402
from commissioning.queue import council_task  # noqa: E402

__all__ = ["app", "receipt_with_a_pause"]


@council_task
def receipt_with_a_pause(*, council: Council, key: str, runs_file: str, release_file: str) -> int:
    """Claims and sends one e-mail (notify_once), then waits, inside the task's transaction."""
    with open(runs_file, "a") as runs:
        runs.write(f"{os.getpid()}\n")
    sent = notify_once(
        council=council, messages={key: EmailMessage(subject="Receipt", body="Received", to=["p@example.org"])}
    )
    while not os.path.exists(release_file):  # half-way: claimed, not committed
        time.sleep(0.05)
    return sent
