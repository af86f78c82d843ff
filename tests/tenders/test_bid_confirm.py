"""Bidders are told what changed and what to do: after a published change, the bid page shows the
change's reason and differences, and confirms the submitted bid in one step with a new receipt."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders import sealing, selectors, services
from tenders.models import Bid, BidSubmission, Tender
from tests.factories import CouncilWorld
from tests.tenders.test_bids_helpers import bid_audit_facts
from tests.tenders.test_publication import published

pytestmark = pytest.mark.world("bids")

REASON = "The council extended the deadline after the residents' meeting."


def _bid(world: CouncilWorld) -> Bid:
    return Bid.objects.select_related("tender__council").get(
        council=world.council, tender=published(world), organisation=world.organisation
    )


def _tasks_url(bid: Bid) -> str:
    return reverse(
        "bid_tasks", kwargs={"council_slug": bid.tender.council.slug, "tender_id": bid.tender_id, "bid_id": bid.pk}
    )


def _change(world: CouncilWorld) -> Tender:
    tender = published(world)
    services.tender_change_publish(
        tender=tender,
        actor=world.people[Role.OFFICER],
        reason=REASON,
        description="Navigators in every ward, evenings included.",
        submission_deadline=tender.submission_deadline + timedelta(days=7),
        base_url="https://x.test/",
    )
    return tender


def _provider(world: CouncilWorld) -> Client:
    client = Client()
    client.force_login(world.provider)
    return client


def test_the_change_email_links_to_the_bid_page(
    knowsley: CouncilWorld,
    django_capture_on_commit_callbacks,
    eager_tasks: None,
) -> None:
    with council_scope(knowsley.council):
        with django_capture_on_commit_callbacks(execute=True):
            _change(knowsley)
        bid = _bid(knowsley)
    assert [m.to for m in mail.outbox] == [[knowsley.provider.email]]
    assert f"https://x.test{_tasks_url(bid)}" in mail.outbox[0].body


def test_the_bid_page_shows_the_reason_and_the_differences(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        bid = _bid(knowsley)
        old_deadline = bid.tender.submission_deadline
        assert "Important" not in _provider(knowsley).get(_tasks_url(bid)).content.decode()
        _change(knowsley)
        changes = selectors.changes_since_submission(bid=bid, submission=selectors.bid_submissions(bid=bid)[0])
    assert [c.number for c in changes] == [2] and changes[0].reason == REASON
    what = {d.what: (d.was, d.now) for d in changes[0].differences}
    assert what["Description"] == (
        "Navigators who help residents find local support.",
        "Navigators in every ward, evenings included.",
    )
    local = timezone.localtime(old_deadline)
    assert what["Submission deadline"][0] == f"{local.day} {local:%B %Y}, {local:%H:%M} (UK time)"
    page = _provider(knowsley).get(_tasks_url(bid)).content.decode().replace("&#x27;", "'")
    assert "changed this tender after you submitted your bid" in page
    assert REASON in page and "Navigators in every ward, evenings included." in page
    assert "Confirm your bid as submitted" in page and "Change your answers and submit again" in page


def test_confirming_gives_a_new_receipt_for_the_same_content_against_the_new_version(knowsley: CouncilWorld) -> None:
    client = _provider(knowsley)
    with council_scope(knowsley.council):
        bid = _bid(knowsley)
        _change(knowsley)
        first = selectors.bid_submissions(bid=bid)[0]
        # An unsubmitted edit to the draft is not what gets confirmed.
        draft = selectors.bid_draft(bid)
        question = next(iter(draft["answers"]))
        services.bid_draft_save(
            bid=bid,
            actor=knowsley.provider,
            changes={"answers": {question: "half-written"}},
            expected_revision=bid.draft_revision,
        )
    page = client.get(_tasks_url(bid)).content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    confirm = reverse("bid_confirm", kwargs={"council_slug": "knowsley", "tender_id": bid.tender_id, "bid_id": bid.pk})
    response = client.post(confirm, {"idempotency_key": key})
    assert response.status_code == 302
    with council_scope(knowsley.council):
        second = selectors.bid_submissions(bid=bid)[0]
        assert (second.number, second.revision_number, second.sha256) == (2, 2, first.sha256)
        assert sealing.unseal_json(bid.tender, second.content, reader=sealing.Reader.PROVIDER)["answers"][question] != (
            "half-written"
        )
        # Sealed like every bid event until the deadline; read as the trail will at the deadline.
        (event,) = bid_audit_facts(bid.tender, "bid.confirmed")
        assert event["after"]["reference"] == second.reference and event["after"]["revision"] == 2
    assert response["Location"].endswith(f"/receipts/{second.reference}/")
    receipt = client.get(response["Location"]).content.decode()
    assert second.reference in receipt and "confirmed against version 2" in receipt

    # Done: the banner is gone; the same key again is the same receipt; a new key is refused kindly.
    assert "Confirm your bid as submitted" not in client.get(_tasks_url(bid)).content.decode()
    assert client.post(confirm, {"idempotency_key": key})["Location"] == response["Location"]
    refused = client.post(confirm, {"idempotency_key": str(uuid.uuid4())}, follow=True).content.decode()
    assert "already confirmed against version 2" in refused
    with council_scope(knowsley.council):
        assert BidSubmission.objects.filter(bid=bid).count() == 2


def test_confirming_is_refused_after_the_deadline_and_for_another_organisation(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        bid = _bid(knowsley)
        _change(knowsley)
        with pytest.raises(services.BidRefused, match="Only members"):
            services.bid_confirm(bid=bid, actor=knowsley.people[Role.OFFICER], idempotency_key=uuid.uuid4())
        with pytest.raises(services.BidRefused) as refused:
            services.bid_confirm(
                bid=bid,
                actor=knowsley.provider,
                idempotency_key=uuid.uuid4(),
                now=bid.tender.submission_deadline + timedelta(days=30),
            )
        assert refused.value.reason == "deadline"
        assert BidSubmission.objects.filter(bid=bid).count() == 1
