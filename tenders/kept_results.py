"""A tender's results, kept between requests (commissioning.kept) until what they are read from changes.

The results page, "why this bidder won" and the results API all start from
:func:`tenders.selectors.results.tender_results`: totals, ranking and the 21-point sensitivity
sweep of every bid, worked out from the moderated scores, prices, reviews, criteria and lots. For
100 bids that is most of the page's time, and the answer is the same for every officer who reads
it until one of those rows changes. So it is kept on a shelf with one version per tender, renewed
by every save or deletion of the tender, its evaluation, criteria, lots, bids, moderated scores,
prices and abnormally-low reviews (:func:`connect`), and by the prices' ``bulk_create`` (which
sends no signal; ``tenders.services.prices`` renews it). The council's minimum social value
weight and the bidders' names are read too: a change to a tender policy or an organisation renews
every tender's version.

Nothing is kept before the submission deadline: the selector refuses to read sealed bids before
it asks the shelf. So the submission path, which writes the bid with ``update()`` (no signal), need
not renew anything: a submission commits only before the deadline (the commit-time check refuses a
later one), when no results of the tender can have been kept. Nothing in the results depends on
the time, so a kept answer lives until such a write, or ``max_age`` seconds at most.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from django.utils import timezone

from commissioning.kept import Shelf

if TYPE_CHECKING:
    from tenders.models import Tender

__all__ = ["SHELF", "connect", "kept", "renew_on_commit"]

T = TypeVar("T")

SHELF = Shelf("tenders:results")


def kept(tender: Tender, work_out: Callable[[], T]) -> T:
    return SHELF.kept(("results",), timezone.now(), work_out, scope=tender.pk)


def renew_on_commit(tender_id: int) -> None:
    SHELF.renew_on_commit(tender_id)


def connect() -> None:
    from commissioning.models import Organisation
    from tenders.models import (
        AbnormallyLowReview,
        Bid,
        BidPrice,
        Criterion,
        Evaluation,
        Lot,
        ModeratedScore,
        Tender,
        TenderPolicy,
    )

    SHELF.watch(Tender, scope_of=lambda tender: tender.pk)
    for model in (Evaluation, Criterion, Lot, Bid, ModeratedScore, BidPrice, AbnormallyLowReview):
        SHELF.watch(model, scope_of=lambda row: row.tender_id)
    SHELF.watch(TenderPolicy)
    SHELF.watch(Organisation)
