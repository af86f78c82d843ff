"""Background work through a real broker (Redis in CI) and a real worker thread."""

from __future__ import annotations

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.db import connection

from commissioning import health, services
from commissioning.celery import app
from commissioning.models import Invitation, Membership
from commissioning.queue import council_task
from commissioning.tenancy import council_scope, current_db_council
from tests.factories import council_with_people
from tests.helpers import wait_for


@council_task
def probe_scope(*, council) -> dict:  # type: ignore[no-untyped-def]
    """Reports what a task sees: its council's members only, and the database setting."""
    return {
        "members": sorted(Membership.objects.values_list("user__email", flat=True)),
        "db_council": current_db_council(),
    }


@pytest.fixture
def worker(transactional_db: None):  # type: ignore[no-untyped-def]
    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1, loglevel="WARNING"):
        yield


def _wait_for(predicate, seconds: float = 15.0) -> bool:  # type: ignore[no-untyped-def]
    return wait_for(predicate, seconds)


def test_the_broker_is_the_real_one_in_ci() -> None:
    if settings.REDIS_URL:
        assert app.conf.broker_url.startswith("redis://")
        # One Redis database per xdist worker: no worker may take another's tasks.
        worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
        first = int(os.environ.get("COMMISSIONING_TEST_REDIS_DB", "15"))
        assert app.conf.broker_url.endswith(f"/{first - worker}")
    else:
        assert app.conf.broker_url == "filesystem://"


def test_a_task_runs_inside_its_councils_scope(worker: None) -> None:
    knowsley = council_with_people(slug="knowsley", up_to="people")
    council_with_people(slug="southwark", up_to="people")
    result = probe_scope.apply_async(kwargs={"council_id": knowsley.council.pk})
    seen = result.get(timeout=15)
    assert seen["members"] and all(email.endswith("@knowsley.example.org") for email in seen["members"])
    assert seen["db_council"] == str(knowsley.council.pk)


def test_enqueue_waits_for_commit_and_the_invitation_email_is_sent_once(worker: None) -> None:
    knowsley = council_with_people(slug="knowsley", up_to="people")
    mail.outbox.clear()
    with council_scope(knowsley.council):
        invitation = services.invitation_create(
            council=knowsley.council,
            invited_by=knowsley.people["admin"],
            email="later@example.org",
            role="citizen",
            base_url="http://testserver/",
        )
    assert _wait_for(lambda: len(mail.outbox) == 1)
    with council_scope(knowsley.council):
        assert Invitation.objects.get(pk=invitation.pk).emailed_at is not None
    # Running the task again (a redelivery) sends nothing more: tasks are idempotent.
    from commissioning.tasks import send_invitation_email

    again = send_invitation_email.apply_async(
        kwargs={"council_id": knowsley.council.pk, "invitation_id": invitation.pk, "base_url": "http://testserver/"}
    )
    assert again.get(timeout=15) == "skipped"
    assert len(mail.outbox) == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(worker: None) -> None:
    knowsley = council_with_people(slug="knowsley", up_to="people")
    mail.outbox.clear()

    class Abort(Exception):
        pass

    with pytest.raises(Abort), council_scope(knowsley.council):
        services.invitation_create(
            council=knowsley.council,
            invited_by=knowsley.people["admin"],
            email="never@example.org",
            role="citizen",
            base_url="http://testserver/",
        )
        raise Abort
    time.sleep(1.0)
    assert mail.outbox == []


def _as_platform_staff(client) -> None:  # type: ignore[no-untyped-def]
    """Which part failed, and why, is for platform staff (signed in with their second factor)."""
    from django.core.cache import cache

    from tests.factories import UserFactory, give_totp, sign_in

    cache.clear()  # used TOTP codes live in the cache, which outlives the test database
    staff = UserFactory(is_staff=True, is_superuser=True)
    sign_in(client, staff.email, totp_secret=give_totp(staff))


def test_the_health_page_sees_database_broker_and_worker(worker: None, client) -> None:
    report = health.check_all()
    assert report.ok, report.as_dict()
    _as_platform_staff(client)
    response = client.get("/health/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["checks"]["worker"]["ok"] is True
    assert response.json()["checks"]["database"]["detail"] == f"{connection.vendor} answered"


def test_the_health_page_reports_a_missing_worker(transactional_db: None, client, monkeypatch) -> None:
    monkeypatch.setattr(health, "WORKER_TIMEOUT_SECONDS", 0.5)
    _as_platform_staff(client)
    response = client.get("/health/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["worker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
