"""Health checks: the database answers, the broker accepts a connection, a worker answers a ping,
and the outbox is not holding tasks back (its backlog and the age of its oldest unsent task)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

from commissioning.celery import app as celery_app

WORKER_TIMEOUT_SECONDS = 3.0


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    milliseconds: float
    # Working, but someone should look (the outbox's oldest task is getting old).
    warning: bool = False
    facts: dict[str, object] = field(default_factory=dict)


@dataclass
class HealthReport:
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def status(self) -> str:
        if not self.ok:
            return "failing"
        return "warning" if any(check.warning for check in self.checks) else "ok"

    def as_dict(self) -> dict[str, object]:
        checks: dict[str, dict[str, object]] = {}
        for c in self.checks:
            checks[c.name] = {"ok": c.ok, "detail": c.detail, "milliseconds": round(c.milliseconds, 1)}
            if c.warning:
                checks[c.name]["warning"] = True
            checks[c.name].update(c.facts)
        return {"status": self.status, "checks": checks}


class Warning_(Exception):  # noqa: N818 - not an error: the check passed with a warning
    def __init__(self, detail: str, facts: dict[str, object]) -> None:
        super().__init__(detail)
        self.facts = facts


class Failing(Exception):
    def __init__(self, detail: str, facts: dict[str, object]) -> None:
        super().__init__(detail)
        self.facts = facts


def _timed(name: str, probe) -> Check:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    warning, facts = False, {}
    try:
        detail = probe()
        ok = True
        if isinstance(detail, tuple):
            detail, facts = detail
    except Warning_ as found:
        detail, ok, warning, facts = str(found), True, True, found.facts
    except Failing as found:
        detail, ok, facts = str(found), False, found.facts
    except Exception as error:  # noqa: BLE001 - a health check reports every failure
        detail, ok = f"{type(error).__name__}: {error}", False
    return Check(name, ok, detail, (time.perf_counter() - started) * 1000, warning, facts)


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


def check_outbox() -> tuple[str, dict[str, object]]:
    """Tasks recorded but not yet accepted by the broker: fine while few and young.

    Warns when the oldest has waited COMMISSIONING_OUTBOX_WARN_SECONDS, fails after
    COMMISSIONING_OUTBOX_FAIL_SECONDS (the relay is not running, or the broker has been away).
    """
    from commissioning.queue import outbox_backlog

    count, age = outbox_backlog()
    seconds = round(age.total_seconds(), 1) if age is not None else None
    facts: dict[str, object] = {"backlog": count, "oldest_seconds": seconds}
    if seconds is None:
        return "no task waiting for the broker", facts
    detail = f"{count} task{'s' if count != 1 else ''} waiting for the broker, the oldest for {seconds:.0f} s"
    if seconds >= settings.COMMISSIONING_OUTBOX_FAIL_SECONDS:
        raise Failing(detail, facts)
    if seconds >= settings.COMMISSIONING_OUTBOX_WARN_SECONDS:
        raise Warning_(detail, facts)
    return detail, facts


def check_all() -> HealthReport:
    return HealthReport(
        [
            _timed("database", check_database),
            _timed("broker", check_broker),
            _timed("worker", check_worker),
            _timed("outbox", check_outbox),
        ]
    )
