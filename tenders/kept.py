"""Tenders' answers kept between requests (commissioning.kept) until what they are read from changes.

**A tender's results** (:data:`RESULTS`, one version per tender). The results page, "why this
bidder won" and the results API all start from :func:`tenders.selectors.results.tender_results`:
totals, ranking and the 21-point sensitivity sweep of every bid, worked out from the moderated
scores, prices, reviews, criteria and lots. For 100 bids that is most of the page's time, and the
answer is the same for every officer who reads it until one of those rows changes. Every save or
deletion of the tender, its evaluation, criteria, lots, bids, moderated scores, prices and
abnormally-low reviews renews the tender's version, and so does the prices' ``bulk_create``
(``tenders.services.prices`` renews it: it sends no signal). The council's minimum social value
weight and the bidders' names are read too: a change to a tender policy or an organisation renews
every tender's version.

Nothing is kept before the submission deadline: the selector refuses to read sealed bids before
it asks the shelf. So the submission path, which writes the bid with ``update()`` (no signal), need
not renew anything: a submission commits only before the deadline (the commit-time check refuses a
later one), when no results of the tender can have been kept. Nothing in the results depends on
the time, so a kept answer lives until such a write, or ``max_age`` seconds at most.

**A council's list of its tenders** (:data:`COUNCIL`, one version per council): the count and each
page's rows as the page shows them (title, commission, value, deadline, status). Every save or
deletion of the council's tenders or commissions renews it (and tenders' own ``update()`` and
``bulk_create()``: ``TenderQuerySet``). A row's status changes at its tender's publication time
and deadlines with no write, so a page ends at the first such moment of its own rows.

**A council's bid figures for the market dashboard** (:data:`MARKET`, one version per council):
bids per closed tender by provider type and the repeat single bidders. Every save or deletion of
the council's tenders or bids, or of the council itself (its local area), renews it, and a change
to an organisation (its postcode, legal form or size) renews every council's. A tender closing
changes the figures with no write, so an answer ends at the council's next change of status
(``tenders.public_cache.next_change``); a submission commits only before its tender's deadline,
which is no later than that end.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from django.utils import timezone

from commissioning.kept import Shelf

if TYPE_CHECKING:
    from commissioning.models import Council
    from tenders.models import Tender

__all__ = [
    "COUNCIL",
    "MARKET",
    "RESULTS",
    "connect",
    "kept_council_list",
    "kept_market",
    "kept_results",
    "renew_results_on_commit",
]

T = TypeVar("T")

RESULTS = Shelf("tenders:results")
MARKET = Shelf("tenders:market")
COUNCIL = Shelf("tenders:council")


def kept_results(tender: Tender, work_out: Callable[[], T], *, parts: tuple[object, ...] = ("results",)) -> T:
    """A tender's results (or, with other ``parts``, what is made from them alone, such as the
    results page's rendered tables: ``work_out`` must read the results through the selector, so
    what it keeps was made from results as new as the version it is kept under)."""
    return RESULTS.kept(parts, timezone.now(), work_out, scope=tender.pk)


def renew_results_on_commit(tender_id: int) -> None:
    RESULTS.renew_on_commit(tender_id)


def kept_council_list(
    council: Council,
    parts: tuple[object, ...],
    now: datetime,
    work_out: Callable[[], T],
    until: Callable[[T], datetime | None] | None = None,
) -> T:
    """What the council's list of tenders shows for ``parts``; ``until``: when the answer's own
    rows change status."""
    return COUNCIL.kept(parts, now, work_out, scope=council.pk, until=until)


def kept_market(council: Council, parts: tuple[object, ...], now: datetime, work_out: Callable[[], T]) -> T:
    from tenders.public_cache import next_change

    return MARKET.kept(parts, now, work_out, scope=council.pk, ends=lambda: next_change(now, council=council.pk))


def connect() -> None:
    from commissioning.models import Commission, Council, Organisation
    from tenders.models import (
        AbnormallyLowReview,
        Bid,
        BidPrice,
        Criterion,
        EligibilityOverride,
        Evaluation,
        Lot,
        ModeratedScore,
        SpendPolicyBand,
        Tender,
        TenderPolicy,
        TenderRevision,
    )

    RESULTS.watch(Tender, scope_of=lambda tender: tender.pk)
    for model in (Evaluation, Criterion, Lot, Bid, ModeratedScore, BidPrice, AbnormallyLowReview):
        RESULTS.watch(model, scope_of=lambda row: row.tender_id)
    RESULTS.watch(TenderPolicy)
    RESULTS.watch(Organisation)
    # Who may bid (the table of bids shows each bidder's eligibility).
    RESULTS.watch(EligibilityOverride, scope_of=lambda override: override.tender_id)
    RESULTS.watch(SpendPolicyBand)
    RESULTS.watch(Council)
    # The bids API's kept pages show each commitment with its measure's words and proxy value.
    from social_value.models import MeasureVersion

    RESULTS.watch(MeasureVersion)

    MARKET.watch(Council, scope_of=lambda council: council.pk)
    MARKET.watch(Tender, scope_of=lambda tender: tender.council_id)
    MARKET.watch(Bid, scope_of=lambda bid: bid.council_id)
    MARKET.watch(Organisation)

    COUNCIL.watch(Tender, scope_of=lambda tender: tender.council_id)
    COUNCIL.watch(Commission, scope_of=lambda commission: commission.council_id)
    # The table of bids keeps its tender with its published evaluation settings (its latest revision).
    COUNCIL.watch(TenderRevision, scope_of=lambda revision: revision.council_id)
