"""The outbox: a task is recorded with the change that asks for it, and reaches a worker even when
the broker was down at the commit (commissioning.queue)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from commissioning import health
from commissioning.celery import app
from commissioning.models import OutboxMessage, PlatformOutboxMessage, Role
from commissioning.queue import enqueue, enqueue_platform, relay_due, retry_delay
from commissioning.tasks import health_ping, send_invitation_email
from commissioning.tenancy import council_scope, platform_scope
from tenders.models import BidSubmission
from tenders.services import bids as bid_services
from tenders.tasks.bids import send_bid_receipt
from tests.factories import CouncilWorld, council_with_people
from tests.helpers import wait_for
from tests.tenders.test_bids_helpers import complete_changes, local_charity, published_tender
from tests.workers.proxy import Proxy

LATER = timedelta(hours=1)  # a relay round "later": every row's backoff has passed


def _reset_broker_connections() -> None:
    app.pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(transactional_db: None, redis_only: None) -> Iterator[Proxy]:
    """The broker reached through a proxy this test can cut (Redis itself keeps running for others)."""
    real = urlsplit(app.conf.broker_url)
    with Proxy(real.hostname or "127.0.0.1", real.port or 6379) as proxy:
        app.conf.broker_url = urlunsplit(real._replace(netloc=f"127.0.0.1:{proxy.port}"))
        _reset_broker_connections()
        try:
            yield proxy
        finally:
            app.conf.broker_url = urlunsplit(real)
            _reset_broker_connections()


@pytest.fixture
def eager_celery() -> Iterator[None]:
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = False


def _wait_for(predicate, seconds: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
    return wait_for(predicate, seconds)


def _submit_bid(world: CouncilWorld) -> BidSubmission:
    organisation, person = local_charity()
    with council_scope(world.council):
        tender = published_tender(world)
        bid = bid_services.bid_start(tender=tender, organisation=organisation, actor=person)
        bid = bid_services.bid_draft_save(
            bid=bid, actor=person, changes=complete_changes(tender), expected_revision=bid.draft_revision
        )
        submission, _ = bid_services.bid_submit(bid=bid, actor=person, idempotency_key=uuid.uuid4())
    return submission


def _receipts(submission: BidSubmission) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if f"Bid received: {submission.reference}" in m.subject]


def _receipt_row(world: CouncilWorld) -> OutboxMessage:
    with council_scope(world.council):
        return OutboxMessage.objects.get(task=send_bid_receipt.name)


def _queue_empty() -> bool:
    with app.connection_for_write() as connection:
        return connection.default_channel.client.llen("celery") == 0


def test_with_the_broker_down_a_bid_is_accepted_and_its_receipt_is_sent_once_the_broker_is_back(
    broker: Proxy,
) -> None:
    knowsley = council_with_people(slug="knowsley", up_to="bids")
    mail.outbox.clear()
    broker.cut()

    submission = _submit_bid(knowsley)  # the provider's submission succeeds all the same

    row = _receipt_row(knowsley)
    assert row.kwargs == {"council_id": knowsley.council.pk, "submission_id": submission.pk}
    assert row.sent_at is None and row.attempts == 1 and "Error" in row.last_error  # the fast path tried
    assert relay_due(now=timezone.now() + LATER) == (0, 1)  # the relay keeps trying, with backoff
    row = _receipt_row(knowsley)
    assert row.attempts == 2 and row.sent_at is None
    report = health.check_all()
    outbox = report.as_dict()["checks"]["outbox"]  # type: ignore[index]
    assert outbox["backlog"] == 1 and outbox["ok"] is True
    assert report.as_dict()["checks"]["broker"]["ok"] is False  # type: ignore[index]

    broker.restore()
    assert relay_due(now=timezone.now() + LATER) == (1, 0)
    assert _receipt_row(knowsley).sent_at is not None
    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1, loglevel="WARNING"):
        assert _wait_for(lambda: len(_receipts(submission)) == 1)
        assert _wait_for(lambda: _receipt_row(knowsley).done_at is not None)
        assert _receipts(submission)[0].to == [submission.submitted_by.email]

        # A relay that died after the broker took the message, before recording it, sends the row
        # again under the same task id: the worker drops the second delivery.
        with platform_scope():
            OutboxMessage.objects.filter(pk=row.pk).update(sent_at=None)
        assert relay_due(now=timezone.now() + LATER) == (1, 0)
        assert _wait_for(_queue_empty)
        time.sleep(1.0)
        assert len(_receipts(submission)) == 1

        # The fast path works again too, with no restart: a new task is sent at its commit.
        with council_scope(knowsley.council):
            from commissioning import services

            invitation = services.invitation_create(
                council=knowsley.council,
                invited_by=knowsley.people[Role.ADMIN],
                email="after.outage@example.org",
                role=Role.CITIZEN,
                base_url="http://testserver/",
            )
        with council_scope(knowsley.council):
            assert OutboxMessage.objects.get(
                task=send_invitation_email.name, kwargs__invitation_id=invitation.pk
            ).sent_at
        assert _wait_for(lambda: any(m.to == ["after.outage@example.org"] for m in mail.outbox))
    assert health.check_outbox()[1]["backlog"] == 0


def test_a_task_is_recorded_with_its_transaction_and_gone_with_its_rollback(knowsley: CouncilWorld) -> None:
    class Abort(Exception):
        pass

    # The change's own transaction (a scope nested in the test's transaction opens none of its own).
    with pytest.raises(Abort), council_scope(knowsley.council), transaction.atomic():
        enqueue(send_invitation_email, council=knowsley.council, invitation_id=987654, base_url="http://x/")
        assert OutboxMessage.objects.filter(kwargs__invitation_id=987654).count() == 1
        raise Abort
    with council_scope(knowsley.council):
        assert not OutboxMessage.objects.filter(kwargs__invitation_id=987654).exists()


def test_a_councils_outbox_is_invisible_to_another_council(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        enqueue(send_invitation_email, council=knowsley.council, invitation_id=987654, base_url="http://x/")
    with council_scope(southwark.council):
        assert not OutboxMessage.objects.filter(kwargs__invitation_id=987654).exists()
        if connection.vendor == "postgresql":  # the second wall: row-level security, even for raw SQL
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM commissioning_outboxmessage WHERE council_id = %s", [knowsley.council.pk]
                )
                assert cursor.fetchone() == (0,)
        with pytest.raises(PermissionError):  # nor can one council's code queue work as another
            enqueue(send_invitation_email, council=knowsley.council, invitation_id=987654, base_url="http://x/")
    with platform_scope():  # the relay's view
        assert OutboxMessage.objects.filter(council=knowsley.council, sent_at__isnull=True).count() == 1


def test_a_second_delivery_of_a_task_that_already_ran_is_dropped(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        enqueue(send_invitation_email, council=knowsley.council, invitation_id=knowsley.invitation.pk, base_url="x")
        row = OutboxMessage.objects.get(sent_at__isnull=True)
    first = send_invitation_email.apply(kwargs=row.kwargs, task_id=str(row.task_id))
    assert first.result == "sent"
    with council_scope(knowsley.council):
        row.refresh_from_db()
    assert row.done_at is not None
    again = send_invitation_email.apply(kwargs=row.kwargs, task_id=str(row.task_id))
    assert again.state == "IGNORED"
    assert len(mail.outbox) == 1


def test_the_relay_command_sends_due_rows_and_leaves_new_ones_to_the_fast_path(db: None, eager_celery: None) -> None:
    enqueue_platform(health_ping)  # the fast path never runs: the test's transaction does not commit
    row = PlatformOutboxMessage.objects.get()
    call_command("relay_outbox", "--once")
    row.refresh_from_db()
    assert row.sent_at is None  # within its grace: the fast path's
    PlatformOutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    call_command("relay_outbox", "--once")
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 0

    # A week later the relay deletes it (a late second delivery would have come long before).
    PlatformOutboxMessage.objects.filter(pk=row.pk).update(sent_at=timezone.now() - timedelta(days=8))
    unsent = PlatformOutboxMessage.objects.create(task=health_ping.name, created_at=timezone.now() - timedelta(days=9))
    PlatformOutboxMessage.objects.filter(pk=unsent.pk).update(next_attempt_at=timezone.now() + LATER)
    call_command("relay_outbox", "--once")
    assert list(PlatformOutboxMessage.objects.values_list("pk", flat=True)) == [unsent.pk]  # unsent rows stay


def test_the_backoff_doubles_up_to_its_cap() -> None:
    delays = [retry_delay(n).total_seconds() for n in range(1, 10)]
    assert delays[:4] == [1, 2, 4, 8]
    assert max(delays) == settings.COMMISSIONING_OUTBOX_RETRY_MAX_SECONDS
    assert delays == sorted(delays)


@override_settings(COMMISSIONING_OUTBOX_WARN_SECONDS=60, COMMISSIONING_OUTBOX_FAIL_SECONDS=600)
def test_health_reports_the_backlog_and_warns_then_fails_when_its_oldest_task_is_old(
    knowsley: CouncilWorld, client, monkeypatch
) -> None:
    from tests.workers.test_background import _as_platform_staff

    # Only the outbox is under test here: the other parts answer.
    for name in ("check_broker", "check_worker"):
        monkeypatch.setattr(health, name, lambda: "answered")
    _as_platform_staff(client)
    ok = client.get("/health/", HTTP_ACCEPT="application/json").json()
    assert ok["status"] == "ok" and ok["checks"]["outbox"]["backlog"] == 0
    assert ok["checks"]["outbox"]["oldest_seconds"] is None

    with council_scope(knowsley.council):
        for minutes in (0, 2):
            enqueue(send_invitation_email, council=knowsley.council, invitation_id=1, base_url="x")
            OutboxMessage.objects.filter(pk=OutboxMessage.objects.latest("pk").pk).update(
                created_at=timezone.now() - timedelta(minutes=minutes)
            )
    warning = client.get("/health/", HTTP_ACCEPT="application/json")
    assert warning.status_code == 200
    outbox = warning.json()["checks"]["outbox"]
    assert warning.json()["status"] == "warning" and outbox["warning"] is True
    assert outbox["backlog"] == 2 and 119 < outbox["oldest_seconds"] < 180
    page = client.get("/health/")
    assert page.status_code == 200 and "Warning" in page.content.decode()

    with platform_scope():
        OutboxMessage.objects.filter(sent_at__isnull=True).update(created_at=timezone.now() - timedelta(minutes=11))
    failing = client.get("/health/", HTTP_ACCEPT="application/json")
    assert failing.status_code == 503
    assert failing.json()["checks"]["outbox"]["ok"] is False
    anonymous = client.__class__().get("/health/", HTTP_ACCEPT="application/json")
    assert anonymous.status_code == 503 and anonymous.json() == {"status": "failing"}
