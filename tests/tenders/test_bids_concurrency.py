"""The deadline at the moment of commit, and many submissions racing it (PostgreSQL, real transactions)."""

from __future__ import annotations

import random
import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning.audit import audit_record, audit_verify
from commissioning.audit_labels import CoreAction
from commissioning.models import AuditEvent
from commissioning.tenancy import council_scope
from tenders import sealing
from tenders.database import bid_deadline_trigger_installed, is_deadline_error
from tenders.models import Bid, BidStatus, BidSubmission, Tender
from tenders.selectors import bids as selectors
from tenders.services import bids as services
from tests.factories import CouncilWorld
from tests.tenders.test_bids_helpers import bidder, complete_changes, move_deadline, published_tender

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.world("published")]


@pytest.fixture
def trigger(postgres_only: None) -> None:
    # Installed by migrate, as the tables' owner (the tests' own role could not install it).
    assert bid_deadline_trigger_installed(using=connection.alias)


def _complete_bid(world: CouncilWorld, n: int) -> tuple[Bid, object]:
    organisation, person = bidder(name=f"Huyton Navigators {n}", postcode="L36 9UJ")
    tender = published_tender(world)
    bid = services.bid_start(tender=tender, organisation=organisation, actor=person)
    bid = services.bid_draft_save(
        bid=bid, actor=person, changes=complete_changes(tender), expected_revision=bid.draft_revision
    )
    return bid, person


def test_a_submission_whose_transaction_commits_after_the_deadline_is_refused(
    knowsley: CouncilWorld, trigger: None
) -> None:
    with council_scope(knowsley.council):
        bid, person = _complete_bid(knowsley, 1)
        tender = published_tender(knowsley)
        move_deadline(tender, timezone.now() + timedelta(seconds=1))
        bid = Bid.objects.select_related("tender").get(pk=bid.pk)

    # Straight into the table, in time; the transaction then stays open past the deadline.
    with pytest.raises(DatabaseError) as refused:
        with transaction.atomic(), council_scope(knowsley.council):
            BidSubmission.objects.create(
                council=knowsley.council,
                bid=bid,
                number=1,
                reference="KNO-LATE-1",
                content=sealing.seal_json(tender, {}),
                sha256="0" * 64,
                submitted_by=person,
                submitted_at=timezone.now(),
            )
            time.sleep(1.2)
    assert is_deadline_error(refused.value)

    # Through the service, which is told it is in time (``now``): the commit says it is not.
    with pytest.raises(services.BidRefused) as late:
        services.bid_submit(
            bid=bid, actor=person, idempotency_key=uuid.uuid4(), now=tender.submission_deadline - timedelta(hours=1)
        )
    assert late.value.reason == "deadline"
    assert "Your draft is kept" in late.value.summary
    with council_scope(knowsley.council):
        assert not BidSubmission.objects.filter(bid=bid).exists()
        bid.refresh_from_db()
        assert bid.status == BidStatus.DRAFT
        assert selectors.bid_draft(bid)["answers"] == complete_changes(tender)["answers"]


def test_a_submission_committed_in_time_is_accepted_by_the_trigger(knowsley: CouncilWorld, trigger: None) -> None:
    with council_scope(knowsley.council):
        bid, person = _complete_bid(knowsley, 1)
    submission, created = services.bid_submit(bid=bid, actor=person, idempotency_key=uuid.uuid4())
    assert created
    with council_scope(knowsley.council):
        assert BidSubmission.objects.filter(pk=submission.pk).exists()


def test_many_submissions_racing_the_deadline(knowsley: CouncilWorld, trigger: None) -> None:
    """Threads with their own connections: some submit the same bid with the same key, others
    different bids, some before and some after a deadline a moment away. None lost, none late,
    no duplicates."""
    with council_scope(knowsley.council):
        bids = [_complete_bid(knowsley, n) for n in range(6)]
        tender = published_tender(knowsley)
        deadline = timezone.now() + timedelta(seconds=1.5)
        move_deadline(tender, deadline)
    keys = {bid.pk: uuid.uuid4() for bid, _ in bids}
    # Bids 0-2: three threads each with the same key (a double click, a retry); bids 3-5: one each.
    plan = [(bid, person, keys[bid.pk]) for bid, person in bids[:3] for _ in range(3)]
    plan += [(bid, person, keys[bid.pk]) for bid, person in bids[3:]]
    rng = random.Random(2026)
    delays = [rng.uniform(0.9, 2.1) for _ in plan]
    outcomes: list[tuple[int, uuid.UUID, object]] = [None] * len(plan)  # type: ignore[list-item]
    barrier = threading.Barrier(len(plan))

    def run(index: int) -> None:
        bid, person, key = plan[index]
        try:
            barrier.wait()
            time.sleep(delays[index])
            submission, _ = services.bid_submit(bid=bid, actor=person, idempotency_key=key)
            outcomes[index] = (bid.pk, key, submission.pk)
        except services.BidRefused as refusal:
            outcomes[index] = (bid.pk, key, refusal.reason)
        except Exception as error:  # noqa: BLE001 - reported below
            outcomes[index] = (bid.pk, key, repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(plan))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    unexpected = [o for o in outcomes if not isinstance(o[2], int) and o[2] != "deadline"]
    assert not unexpected, unexpected
    accepted = {o[2] for o in outcomes if isinstance(o[2], int)}
    refused = [o for o in outcomes if o[2] == "deadline"]
    assert accepted and refused, f"the race should have both outcomes: {outcomes}"
    with council_scope(knowsley.council):
        rows = list(BidSubmission.objects.filter(bid__in=[b.pk for b, _ in bids]))
        # None lost: every receipt handed out is in the database, and nothing else is.
        assert {row.pk for row in rows} == accepted
        # None late.
        assert all(row.submitted_at < deadline for row in rows)
        # No duplicates: one submission per bid and key, and the same key got the same receipt.
        assert len({(row.bid_id, row.idempotency_key) for row in rows}) == len(rows)
        for bid, _ in bids[:3]:
            receipts = {o[2] for o in outcomes if o[0] == bid.pk and isinstance(o[2], int)}
            assert len(receipts) <= 1
        for bid, _ in bids:
            bid.refresh_from_db()
            has_row = any(row.bid_id == bid.pk for row in rows)
            assert bid.status == (BidStatus.SUBMITTED if has_row else BidStatus.DRAFT)


# --- The short final part: only the bid is locked, and the audit chain last ---------------------------


def _in_threads(work: list, timeout: float = 60) -> list:  # type: ignore[type-arg]
    """Run each callable in its own thread (its own connection) at the same moment; their results."""
    results: list = [None] * len(work)  # type: ignore[type-arg]
    barrier = threading.Barrier(len(work))

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work[index]()
        except Exception as error:  # noqa: BLE001 - returned to the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread is still waiting"
    return results


def test_the_same_bid_submitted_at_once_gives_one_receipt_per_key(knowsley: CouncilWorld, trigger: None) -> None:
    """A double click and a second tab at the same moment: three requests with key A, three with
    key B. Two submissions (numbered 1 and 2), each key answered with its own one receipt."""
    with council_scope(knowsley.council):
        bid, person = _complete_bid(knowsley, 1)
    first, second = uuid.uuid4(), uuid.uuid4()
    keys = [first, second] * 3

    def submit(key: uuid.UUID):  # type: ignore[no-untyped-def]
        return lambda: services.bid_submit(bid=bid, actor=person, idempotency_key=key)

    results = _in_threads([submit(key) for key in keys])
    assert all(isinstance(r, tuple) for r in results), results
    receipts: dict[uuid.UUID, set[int]] = {}
    for key, (submission, _) in zip(keys, results, strict=True):
        receipts.setdefault(key, set()).add(submission.pk)
    assert all(len(pks) == 1 for pks in receipts.values()), receipts
    assert sum(created for _, created in results) == 2
    with council_scope(knowsley.council):
        rows = list(BidSubmission.objects.filter(bid=bid).order_by("number"))
        assert [row.number for row in rows] == [1, 2]
        assert {row.idempotency_key for row in rows} == {first, second}
        assert {row.pk for row in rows} == {pk for pks in receipts.values() for pk in pks}
        assert audit_verify(council=knowsley.council).ok


def test_submissions_of_other_bids_do_not_wait_for_a_locked_bid_or_tender(
    knowsley: CouncilWorld, trigger: None
) -> None:
    """While a transaction holds bid A's row and the tender's row (a change being published), bid
    B is submitted at once; A's own submission waits for its bid, then goes through."""
    with council_scope(knowsley.council):
        (bid_a, person_a), (bid_b, person_b) = _complete_bid(knowsley, 1), _complete_bid(knowsley, 2)
        tender = published_tender(knowsley)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic(), council_scope(knowsley.council):
                Bid.objects.select_for_update().get(pk=bid_a.pk)
                Tender.objects.select_for_update().get(pk=tender.pk)
                holding.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    outcome: dict[str, object] = {}

    def submit(name: str, bid: Bid, person: object) -> None:
        try:
            outcome[name] = services.bid_submit(bid=bid, actor=person, idempotency_key=uuid.uuid4())  # type: ignore[arg-type]
        except Exception as error:  # noqa: BLE001 - asserted below
            outcome[name] = error
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(timeout=10)
    waiting = threading.Thread(target=submit, args=("a", bid_a, person_a))
    waiting.start()
    other = threading.Thread(target=submit, args=("b", bid_b, person_b))
    started = time.monotonic()
    other.start()
    other.join(timeout=10)
    try:
        assert not other.is_alive(), "bid B waited for bid A's lock or the tender's"
        assert time.monotonic() - started < 5
        assert isinstance(outcome.get("b"), tuple), outcome
        time.sleep(0.5)
        assert waiting.is_alive() and "a" not in outcome, "bid A's submission should wait for its bid's lock"
    finally:
        release.set()
        holder.join(timeout=10)
        waiting.join(timeout=30)
    assert isinstance(outcome.get("a"), tuple), outcome
    with council_scope(knowsley.council):
        assert BidSubmission.objects.filter(bid__in=[bid_a.pk, bid_b.pk]).count() == 2


def test_a_submission_checked_in_time_but_committed_late_is_refused(
    knowsley: CouncilWorld, trigger: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every check passes by the real clock; the final part is then slowed until the deadline has
    passed: the database refuses the commit, and nothing of the submission is kept."""
    with council_scope(knowsley.council):
        bid, person = _complete_bid(knowsley, 1)
        tender = published_tender(knowsley)
        deadline = timezone.now() + timedelta(seconds=1)
        move_deadline(tender, deadline)
        events_before = AuditEvent.objects.count()
    append = services.audit_append

    def slow_append(entry, **options):  # type: ignore[no-untyped-def]
        time.sleep(max(0.0, (deadline - timezone.now()).total_seconds()) + 0.2)
        return append(entry, **options)

    monkeypatch.setattr(services, "audit_append", slow_append)
    with pytest.raises(services.BidRefused) as late:
        services.bid_submit(bid=bid, actor=person, idempotency_key=uuid.uuid4())
    assert late.value.reason == "deadline"
    assert timezone.now() >= deadline
    with council_scope(knowsley.council):
        assert not BidSubmission.objects.filter(bid=bid).exists()
        assert AuditEvent.objects.count() == events_before
        bid.refresh_from_db()
        assert bid.status == BidStatus.DRAFT


def test_the_audit_chain_stays_one_line_under_concurrent_appends(knowsley: CouncilWorld, trigger: None) -> None:
    """Eight threads append ten events each while four bids are submitted: every event is in
    the chain once, numbered without a gap, each linked to the one before, and it verifies."""
    with council_scope(knowsley.council):
        bids = [_complete_bid(knowsley, n) for n in range(4)]
        before = AuditEvent.objects.count()

    def appends(thread: int):  # type: ignore[no-untyped-def]
        def run() -> int:
            for n in range(10):
                with council_scope(knowsley.council):
                    audit_record(
                        council=knowsley.council,
                        actor=None,
                        action=CoreAction.COUNCIL_SETTINGS_CHANGED,
                        after={"t": thread, "n": n},
                    )
            return 10

        return run

    def submit(bid: Bid, person: object):  # type: ignore[no-untyped-def]
        return lambda: services.bid_submit(bid=bid, actor=person, idempotency_key=uuid.uuid4())  # type: ignore[arg-type]

    results = _in_threads([appends(t) for t in range(8)] + [submit(b, p) for b, p in bids])
    assert not [r for r in results if isinstance(r, Exception)], results
    with council_scope(knowsley.council):
        events = list(AuditEvent.objects.order_by("sequence").values_list("sequence", "previous_hash", "hash"))
        assert len(events) == before + 80 + 4
        assert [e[0] for e in events] == list(range(1, len(events) + 1))  # no gap, no fork
        assert all(events[i][1] == events[i - 1][2] for i in range(1, len(events)))
        report = audit_verify(council=knowsley.council)
        assert report.ok and report.events_checked == len(events), report


def test_a_submission_through_the_api_makes_22_queries_and_5_under_the_chain_lock(
    knowsley: CouncilWorld, trigger: None
) -> None:
    """The provider API's submit, as in the deadline rush (a token, outside any test transaction).

    Before the service: the token with its person; the bid by the person's organisations (platform
    scope: its set_config and the read). The service: the council's set_config; one read of the
    bid, its tender, key and organisation, its last submission number, a submission with this key,
    the person's membership and the tender's latest version; who may bid (bands, overrides); the
    questions with whether there is a social value criterion; the lots; the documents. Then the
    short part: lock the bid, look again for the key and the number, write the submission, the bid
    and the outbox row; under the chain lock (taken once) the tender, the chain's head and the
    event, and COMMIT with nothing written back before it. After COMMIT the outbox's fast path
    marks its row sent (3 statements). The receipt itself reads nothing.
    """
    from rest_framework.test import APIClient

    from tests.factories import api_token

    with council_scope(knowsley.council):
        bid, person = _complete_bid(knowsley, 1)
        events_before = AuditEvent.objects.count()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(person)}")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            f"/api/v1/me/bids/{bid.pk}/submit/", {"idempotency_key": str(uuid.uuid4())}, format="json"
        )
    assert response.status_code == 201, response.content
    sql = [q["sql"] for q in queries.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")]
    assert len(sql) == 22, sql
    locks = [n for n, statement in enumerate(sql) if "pg_advisory_xact_lock" in statement]
    assert len(locks) == 1, sql
    under_lock = sql[locks[0] : locks[0] + 4]
    assert 'INSERT INTO "commissioning_auditevent"' in under_lock[-1], under_lock
    everything = [q["sql"] for q in queries.captured_queries]
    after_event = everything[everything.index(under_lock[-1]) + 1]
    assert after_event == "COMMIT" or "set_config('app.council_id', '', true)" not in after_event, everything
    with council_scope(knowsley.council):
        assert AuditEvent.objects.count() == events_before + 1  # one event
        assert BidSubmission.objects.filter(bid=bid).count() == 1
