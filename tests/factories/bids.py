"""Sealed bids, their submissions (receipts) and attachments; and the test world's stage ``bids``.

The plaintext of the world's bid is what the seal walks look for: the answer
"<slug>-private-bid-answer", the commitment "<slug>-private local jobs", the attachment's text
"<slug>-private-attachment…" and its name "<slug>-private-safeguarding.pdf".
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from tenders import sealing
from tenders.database import check_bid_deadlines_now
from tenders.models import Bid, BidAttachment, BidStatus, BidSubmission, Criterion, Lot, Tender

if TYPE_CHECKING:
    from tests.factories.worlds import CouncilWorld

BID_ANSWER = "{slug}-private-bid-answer: we are a Knowsley charity with local navigators."


def bid_content(*, slug: str, tender: Tender) -> dict[str, Any]:
    """A complete bid's content as the provider pages save it (answers keyed by criterion id)."""
    questions = Criterion.objects.filter(tender=tender, kind__in=["quality", "social_value"]).order_by("position")
    lots = list(Lot.objects.filter(tender=tender).order_by("position"))
    return {
        "answers": {str(q.pk): BID_ANSWER.format(slug=slug) for q in questions},
        "prices": {str(lot.pk): "150000.00" for lot in lots},
        "commitments": [{"measure": f"{slug}-private local jobs", "quantity": "3", "unit": "jobs", "by": "2027-12-31"}],
        "declarations": {"exclusion_grounds": False, "conflicts": False, "conflicts_details": ""},
    }


class BidFactory(factory.django.DjangoModelFactory[Bid]):
    class Meta:
        model = Bid

    council = factory.SelfAttribute("tender.council")
    status = BidStatus.SUBMITTED


class BidSubmissionFactory(factory.django.DjangoModelFactory[BidSubmission]):
    class Meta:
        model = BidSubmission

    council = factory.SelfAttribute("bid.council")
    number = 1


class BidAttachmentFactory(factory.django.DjangoModelFactory[BidAttachment]):
    class Meta:
        model = BidAttachment

    council = factory.SelfAttribute("bid.council")


def sealed_bid(world: CouncilWorld) -> None:
    """The world's organisation's bid on the published tender, submitted two hours ago, with an
    attachment: all of it sealed with the tender's key."""
    assert world.published is not None and world.published_question is not None, "a bid needs the stage 'published'"
    slug, published = world.council.slug, world.published
    content = bid_content(slug=slug, tender=published)
    bid = world.bid = BidFactory(
        tender=published,
        organisation=world.organisation,
        draft=sealing.seal_json(published, content),
        created_by=world.provider,
    )
    BidSubmissionFactory(
        bid=bid,
        reference=f"{slug[:3].upper()}-{published.pk}-{bid.pk}-1",
        content=sealing.seal_json(published, content),
        sha256=sealing.sha256_hex(sealing.canonical_json(content)),
        submitted_by=world.provider,
        submitted_at=timezone.now() - timedelta(hours=2),
    )
    # PostgreSQL checks a submission against the deadline at COMMIT (or when a test's teardown
    # checks deferred constraints): check this one now, while its deadline is still ahead, so
    # tests may move the deadline into the past afterwards.
    check_bid_deadlines_now()
    plaintext = f"{slug}-private-attachment: our safeguarding policy".encode()
    BidAttachmentFactory(
        bid=bid,
        question=str(world.published_question.pk),
        details=sealing.seal_attachment_details(
            published, filename=f"{slug}-private-safeguarding.pdf", content_type="application/pdf", size=len(plaintext)
        ),
        sha256=sealing.sha256_hex(plaintext),
        file=ContentFile(sealing.seal(published, plaintext).encode(), name="attachment.sealed"),
        uploaded_by=world.provider,
    )
