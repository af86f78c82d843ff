"""Reads of prices: whether they may be opened, and per lot each evaluated bid's price, its score
under the declared formula (``tenders.price``) as points of the price weight, and the abnormally
low reviews. A fixed number of queries whatever the number of bids.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from tenders import price as price_formula
from tenders.models import AbnormallyLowReview, BidPrice, Criterion, CriterionKind, Evaluation, Lot, Tender
from tenders.sealing import Reader, may_unseal

__all__: list[str] = [
    "PricedBid",
    "LotPrices",
    "PriceBoard",
    "price_weight",
    "prices_problems",
    "price_board",
]

_HUNDRED = Decimal(100)


def price_weight(*, tender: Tender) -> Decimal:
    """The weight (percent of the whole score) of the tender's price criteria (leaves only). One query."""
    criteria = list(
        Criterion.objects.filter(council=tender.council_id, tender=tender, kind=CriterionKind.PRICE).values_list(
            "pk", "parent_id", "weight"
        )
    )
    parents = {parent for _, parent, _ in criteria if parent}
    return sum((weight for pk, _, weight in criteria if pk not in parents), Decimal(0))


def prices_problems(*, tender: Tender, evaluation: Evaluation | None) -> list[str]:
    """Why prices cannot be opened now, in words (empty: they can). In a blind evaluation only once
    moderation is locked, so nobody scoring quality has seen a price; otherwise after the deadline."""
    if not may_unseal(tender, Reader.COUNCIL, None):
        return ["Bids are sealed until the submission deadline."]
    if evaluation is None:
        return ["The evaluation has not started."]
    if evaluation.prices_opened_at is not None:
        return ["Prices are already open."]
    if tender.blind_evaluation and evaluation.moderation_locked_at is None:
        return ["This is a blind evaluation: prices open only once the moderated scores are locked."]
    return []


@dataclass(frozen=True)
class PricedBid:
    bid_id: int
    name: str
    amount: Decimal
    fraction: Decimal  # of the price weight, 0 to 1
    points: Decimal  # fraction × the price weight
    review: AbnormallyLowReview | None


@dataclass
class LotPrices:
    lot_id: int | None
    title: str
    budget: Decimal
    formula_text: str
    bids: list[PricedBid] = field(default_factory=list)

    @property
    def reviews(self) -> list[AbnormallyLowReview]:
        return [bid.review for bid in self.bids if bid.review is not None]


@dataclass
class PriceBoard:
    tender: Tender
    evaluation: Evaluation | None
    weight: Decimal
    lots: list[LotPrices]
    problems: list[str]

    @property
    def opened(self) -> bool:
        return self.evaluation is not None and self.evaluation.prices_opened_at is not None

    @property
    def undecided(self) -> int:
        return sum(1 for lot in self.lots for review in lot.reviews if not review.decision)


def _points(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def price_board(*, tender: Tender) -> PriceBoard:
    """Per lot (in the lots' order; "The whole tender" for prices without a lot) the prices, lowest
    first, with their scores and reviews. Five queries at most."""
    evaluation = Evaluation.objects.filter(council=tender.council_id, tender=tender).first()
    problems = prices_problems(tender=tender, evaluation=evaluation)
    weight = price_weight(tender=tender)
    if evaluation is None or evaluation.prices_opened_at is None:
        return PriceBoard(tender=tender, evaluation=evaluation, weight=weight, lots=[], problems=problems)
    council_id = tender.council_id
    lots = list(Lot.objects.filter(council=council_id, tender=tender).order_by("position", "pk"))
    prices = (
        BidPrice.objects.filter(council=council_id, tender=tender)
        .select_related("bid__organisation")
        .only("bid_id", "lot_id", "amount", "bid__organisation__name")
    )
    reviews = {
        (review.bid_id, review.lot_id): review
        for review in AbnormallyLowReview.objects.filter(council=council_id, tender=tender).select_related("decided_by")
    }
    per_lot: dict[int | None, list[BidPrice]] = defaultdict(list)
    for row in prices:
        per_lot[row.lot_id].append(row)
    titles: dict[int | None, tuple[str, Decimal]] = {
        lot.pk: (lot.title, lot.estimated_value or tender.estimated_value) for lot in lots
    }
    if None in per_lot or not lots:
        titles[None] = ("The whole tender", tender.estimated_value)
    shown_weight = f"{weight.normalize():f}% price weight"
    board_lots = []
    for lot_id, (title, budget) in titles.items():
        rows = per_lot.get(lot_id, [])
        fractions = price_formula.price_scores(
            {row.bid_id: row.amount for row in rows}, formula=tender.price_formula, budget=budget
        )
        lot_prices = LotPrices(
            lot_id=lot_id,
            title=title,
            budget=budget,
            formula_text=price_formula.formula_text(
                tender.price_formula, weight=shown_weight, budget=f"£{budget:,.2f}"
            ),
        )
        for row in sorted(rows, key=lambda r: (r.amount, r.bid_id)):
            fraction = fractions[row.bid_id]
            lot_prices.bids.append(
                PricedBid(
                    bid_id=row.bid_id,
                    name=row.bid.organisation.name,
                    amount=row.amount,
                    fraction=fraction,
                    points=_points(fraction * weight),
                    review=reviews.get((row.bid_id, lot_id)),
                )
            )
        board_lots.append(lot_prices)
    return PriceBoard(tender=tender, evaluation=evaluation, weight=weight, lots=board_lots, problems=problems)
