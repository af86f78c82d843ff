"""The deadline at the moment of commit, and many submissions racing it (PostgreSQL, real transactions)."""

from __future__ import annotations

import random
import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from commissioning.tenancy import council_scope
from tenders import sealing
from tenders.database import bid_deadline_trigger_installed, is_deadline_error
from tenders.models import Bid, BidStatus, BidSubmission
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
