"""Relay the outbox to the broker: every task recorded but not yet sent (commissioning.queue).

Runs as its own long-lived process beside the web and worker processes (``make run`` starts one;
production runs one or more: on PostgreSQL several relays share the work with SKIP LOCKED). It
needs no broker to be scheduled, so it keeps trying while the broker is down, and it outlives a
database restart (it reconnects on the next round).
"""

from __future__ import annotations

import logging
import signal
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections, connection

from commissioning.celery import app
from commissioning.queue import outbox_prune, relay_due

PRUNE_EVERY_SECONDS = 3600

logger = logging.getLogger("commissioning.queue")


class Command(BaseCommand):
    help = "Send the outbox's unsent tasks to the broker, with backoff, until stopped (or once with --once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="One round, then exit (cron, tests, after an outage).")
        parser.add_argument(
            "--interval",
            type=float,
            default=settings.COMMISSIONING_OUTBOX_POLL_SECONDS,
            help="Seconds between rounds when there was nothing to send (default: COMMISSIONING_OUTBOX_POLL_SECONDS).",
        )
        parser.add_argument("--batch", type=int, default=100, help="Rows claimed per round.")

    def handle(self, *args: Any, **options: Any) -> None:
        # Task modules register their tasks (and so their routing) in this process too.
        app.loader.import_default_modules()
        if options["once"]:
            sent, failed = relay_due(batch=options["batch"])
            pruned = outbox_prune()
            self.stdout.write(f"Sent {sent}, failed {failed}, deleted {pruned} sent long ago")
            return
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        logger.info("Outbox relay started (every %ss)", options["interval"])
        pruned_at = 0.0
        while not stopping:
            sent = failed = 0
            try:
                close_old_connections()  # CONN_HEALTH_CHECKS: a connection the database dropped is replaced
                sent, failed = relay_due(batch=options["batch"])
                if time.monotonic() - pruned_at > PRUNE_EVERY_SECONDS:
                    outbox_prune()
                    pruned_at = time.monotonic()
            except DatabaseError as error:
                logger.warning("Outbox relay: the database did not answer (%s); trying again", error)
                connection.close()
                failed = 1
            if sent:
                logger.info("Outbox relay sent %s", sent)
            if sent == options["batch"] and not failed:
                continue  # more waiting: no pause
            time.sleep(options["interval"])
        logger.info("Outbox relay stopped")
