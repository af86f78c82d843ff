"""Health checks: the database answers, the broker accepts a connection, a worker answers a ping."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.db import connection

from commissioning.celery import app as celery_app

WORKER_TIMEOUT_SECONDS = 3.0


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    milliseconds: float


@dataclass
class HealthReport:
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def as_dict(self) -> dict[str, object]:
        return {
            "status": "ok" if self.ok else "failing",
            "checks": {
                c.name: {"ok": c.ok, "detail": c.detail, "milliseconds": round(c.milliseconds, 1)} for c in self.checks
            },
        }


def _timed(name: str, probe) -> Check:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    try:
        detail = probe()
        ok = True
    except Exception as error:  # noqa: BLE001 - a health check reports every failure
        detail, ok = f"{type(error).__name__}: {error}", False
    return Check(name, ok, detail, (time.perf_counter() - started) * 1000)


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return f"{connection.vendor} answered"


def check_broker() -> str:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        return f"{conn.transport_cls} broker reachable"


def check_worker() -> str:
    """Round trip through the broker: a worker must take the ping task and answer it."""
    from commissioning.tasks import health_ping

    result = health_ping.apply_async(expires=WORKER_TIMEOUT_SECONDS)
    try:
        answer = result.get(timeout=WORKER_TIMEOUT_SECONDS)
    finally:
        result.forget()
    if answer != "pong":
        raise RuntimeError(f"unexpected answer {answer!r}")
    return "a worker answered"


def check_all() -> HealthReport:
    return HealthReport(
        [
            _timed("database", check_database),
            _timed("broker", check_broker),
            _timed("worker", check_worker),
        ]
    )
