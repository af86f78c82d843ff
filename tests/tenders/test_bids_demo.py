"""The bids stage's demo data: Kirkby Community Garden's draft bid, seeded once."""

from __future__ import annotations

from commissioning.tenancy import council_scope
from tenders.models import Bid, BidStatus
from tenders.selectors import bids as selectors


def test_the_demo_draft_bid_is_seeded_once(db: None) -> None:
    from commissioning.demo import seed
    from commissioning.models import Council
    from tenders.demo.bids import FIRST_ANSWER, ORGANISATION
    from tenders.demo.publication import PUBLISHED_TITLE

    seed()
    seed()
    knowsley = Council.objects.get(slug="knowsley")
    with council_scope(knowsley):
        (bid,) = Bid.objects.filter(organisation__name=ORGANISATION, tender__title=PUBLISHED_TITLE).select_related(
            "tender"
        )
        assert bid.status == BidStatus.DRAFT
        assert bid.tender.published_at is not None
        draft = selectors.bid_draft(bid)
        assert FIRST_ANSWER in draft["answers"].values()
        assert FIRST_ANSWER not in bid.draft
        assert draft["prices"] and draft["commitments"]
