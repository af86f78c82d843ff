"""Weighted totals, minimum pass scores and ranking with a declared tie-break. No Django here.

Shared by tenders and grants, so it knows criteria and bids only as numbers:

- a :class:`CriterionWeight` is a criterion's share of the whole score in percent (``weight``),
  its kind (``"quality"``, ``"price"``, ``"social_value"``, ``"citizen_panel"`` or any other word),
  the top of its scale (``scale_max``: 5 for 0 to 5, 100 for 0 to 100, 1 for a price score, which
  is a fraction of the price weight) and an optional minimum pass score on that scale;
- a :class:`BidScores` is one bid's score per criterion, its price (only for the tie-break) and the
  reasons it is excluded whatever it scores (non-compliant, an abnormally low price excluded).

A criterion's points are ``weight × score ÷ scale_max``, so full marks on every criterion give the
sum of the weights (100 for a valid model). A criterion without a score gives no points and is
listed in :attr:`BidTotal.missing`; whether that blocks an award is the caller's business (a
citizen panel that has not reported yet, say).

Arithmetic is :class:`~decimal.Decimal` with 60 significant digits, so with scales whose top is a
power of ten times a power of two (0 to 5, 0 to 100, fractions as given) every total is exact and
two bids tie only when they truly score the same. The sensitivity analysis
(``social_value.sensitivity``) relies on this to agree with the ranking at the set weight.

Ranking (:func:`rank`): higher total first; equal totals are settled by the declared rule
(:class:`TieBreak`); bids equal on every key share a rank. Bids with a reason not to be ranked
(below a minimum pass score, excluded) come after the ranked ones with ``rank`` None.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal, localcontext
from enum import StrEnum
from operator import mul
from typing import NamedTuple

__all__ = [
    "CITIZEN_PANEL",
    "PRICE",
    "QUALITY",
    "SOCIAL_VALUE",
    "BidScores",
    "BidTotal",
    "CriterionWeight",
    "Ranked",
    "TieBreak",
    "bid_totals",
    "plain",
    "rank",
    "tie_break_key",
]

QUALITY = "quality"
PRICE = "price"
SOCIAL_VALUE = "social_value"
CITIZEN_PANEL = "citizen_panel"

_CONTEXT = Context(prec=60)
_ZERO = Decimal(0)
_ONE = Decimal(1)


class TieBreak(StrEnum):
    """The declared order that settles equal totals (the same values as ``tenders.models.TieBreak``)."""

    QUALITY_SOCIAL_VALUE_PRICE = "quality_social_value_price"
    SOCIAL_VALUE_QUALITY_PRICE = "social_value_quality_price"
    PRICE_QUALITY_SOCIAL_VALUE = "price_quality_social_value"


@dataclass(frozen=True)
class CriterionWeight:
    """A scored criterion: ``weight`` percent of the whole score, scored on 0 to ``scale_max``."""

    id: int
    kind: str
    weight: Decimal
    scale_max: Decimal = _ONE
    minimum: Decimal | None = None
    title: str = ""

    def __post_init__(self) -> None:
        if self.weight < 0:
            raise ValueError("A weight cannot be negative")
        if self.scale_max <= 0:
            raise ValueError("The top of a scale must be more than 0")


@dataclass(frozen=True)
class BidScores:
    """One bid's scores by criterion id (a price criterion's score is the fraction 0 to 1 of its
    weight, ``tenders.price``), its price amount for the tie-break, and reasons it is excluded."""

    bid_id: int
    scores: Mapping[int, Decimal]
    price: Decimal | None = None
    exclusions: tuple[str, ...] = ()


class BidTotal(NamedTuple):
    """A bid's points: in total, per kind and per criterion, all out of the weights (100 in all).

    A named tuple, not a dataclass: a ranking of 1,000 bids makes 1,000 of them. :attr:`by_criterion`
    is worked out when read, from the scores and each criterion's factor (weight ÷ scale_max).
    """

    bid_id: int
    total: Decimal
    by_kind: Mapping[str, Decimal]
    price: Decimal | None
    missing: tuple[int, ...] = ()
    reasons: tuple[str, ...] = ()
    scores: Mapping[int, Decimal] = {}  # noqa: RUF012 (never changed: read only)
    factors: Mapping[int, Decimal] = {}  # noqa: RUF012

    @property
    def eligible(self) -> bool:
        """May be ranked: not excluded and at or above every minimum pass score."""
        return not self.reasons

    def points(self, kind: str) -> Decimal:
        return self.by_kind.get(kind, _ZERO)

    @property
    def by_criterion(self) -> dict[int, Decimal]:
        """Points per criterion id, in the criteria's order (0 for a criterion not scored)."""
        scores, multiply = self.scores, _CONTEXT.multiply
        return {c: multiply(f, scores[c]) if c in scores else _ZERO for c, f in self.factors.items()}


class Ranked(NamedTuple):
    """A bid's place: ``rank`` 1 is first; bids equal on the total and every tie-break key share a
    rank; ``rank`` None when it is not ranked (``bid.reasons`` say why). A named tuple, as BidTotal."""

    bid: BidTotal
    rank: int | None
    tie_broken: bool = False  # its total equals a neighbour's; the declared rule placed it


def plain(value: Decimal) -> str:
    """3.50 -> "3.5", 10.00 -> "10": as people write it."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def bid_totals(criteria: Sequence[CriterionWeight], bids: Iterable[BidScores]) -> list[BidTotal]:
    """Every bid's points, with the reasons it may not be ranked (in words), in the order given."""
    with localcontext(_CONTEXT):
        # Per criterion, weight ÷ scale_max once (exact for scales of 2s and 5s): a score costs one multiply.
        all_ids = [c.id for c in criteria]
        factors = {c.id: c.weight / c.scale_max for c in criteria}
        parts: dict[str, tuple[list[int], list[Decimal]]] = {}
        for c in criteria:
            ids, kind_factors = parts.setdefault(c.kind, ([], []))
            ids.append(c.id)
            kind_factors.append(factors[c.id])
        kinds = [(kind, ids, kind_factors) for kind, (ids, kind_factors) in parts.items()]
        # Pass marks grouped by their value, so a complete bid is checked with one min() per value.
        by_minimum: dict[Decimal, list[int]] = {}
        for c in criteria:
            if c.minimum is not None:
                by_minimum.setdefault(c.minimum, []).append(c.id)
        minimums = list(by_minimum.items())
        # Usually one pass mark for every criterion that has one: a single comparison, no generator.
        only_minimum, only_ids = minimums[0] if len(minimums) == 1 else (None, [])
        by_id = {c.id: c for c in criteria}
        results: list[BidTotal] = []
        append = results.append
        for bid in bids:
            scores = bid.scores
            get = scores.__getitem__
            reasons: tuple[str, ...] = bid.exclusions
            missing: tuple[int, ...] = ()
            try:
                # The usual case, every criterion scored: per kind, one sum of products in C.
                by_kind = {kind: sum(map(mul, kind_factors, map(get, ids)), _ZERO) for kind, ids, kind_factors in kinds}
                if only_minimum is not None:
                    failed = min(map(get, only_ids)) < only_minimum
                else:
                    failed = any(min(map(get, ids)) < minimum for minimum, ids in minimums)
            except KeyError:
                missing = tuple(c for c in all_ids if c not in scores)
                by_kind = {
                    kind: sum([f * scores[c] for c, f in zip(ids, kind_factors, strict=True) if c in scores], _ZERO)
                    for kind, ids, kind_factors in kinds
                }
                failed = bool(minimums)
            if failed:
                below = [
                    _below_minimum(by_id[c], scores[c])
                    for c in all_ids
                    if by_id[c].minimum is not None and c in scores and scores[c] < by_id[c].minimum  # type: ignore[operator]
                ]
                reasons = (*reasons, *below)
            total = sum(by_kind.values(), _ZERO)
            append(BidTotal(bid.bid_id, total, by_kind, bid.price, missing, reasons, scores, factors))
    return results


def _below_minimum(criterion: CriterionWeight, score: Decimal) -> str:
    name = criterion.title or "A criterion"
    minimum = criterion.minimum if criterion.minimum is not None else _ZERO
    return (
        f"{name}: scored {plain(score)}, below the minimum pass score of {plain(minimum)}"
        f" out of {plain(criterion.scale_max)}"
    )


_NO_PRICE = Decimal("Infinity")


def tie_break_key(
    rule: TieBreak | str, *, quality: Decimal, social_value: Decimal, price: Decimal | None
) -> tuple[Decimal, Decimal, Decimal]:
    """The keys that settle equal totals, in the rule's order, each "larger is better" (a price is
    negated: lower is better; a bid without a price loses a price comparison)."""
    cheap = -(price if price is not None else _NO_PRICE)
    if not isinstance(rule, TieBreak):
        rule = TieBreak(rule)
    if rule is TieBreak.QUALITY_SOCIAL_VALUE_PRICE:
        return (quality, social_value, cheap)
    if rule is TieBreak.SOCIAL_VALUE_QUALITY_PRICE:
        return (social_value, quality, cheap)
    return (cheap, quality, social_value)


def _sort_keys(rule: TieBreak, bids: list[BidTotal]) -> list[tuple[Decimal, tuple[Decimal, Decimal, Decimal]]]:
    """(total, tie_break_key) of every bid, with the rule's order chosen once rather than per bid."""
    zero, no_price = _ZERO, _NO_PRICE
    quality_first = rule is TieBreak.QUALITY_SOCIAL_VALUE_PRICE
    social_value_first = rule is TieBreak.SOCIAL_VALUE_QUALITY_PRICE
    keys: list[tuple[Decimal, tuple[Decimal, Decimal, Decimal]]] = []
    append = keys.append
    for bid in bids:
        by_kind = bid.by_kind
        quality, social_value = by_kind.get(QUALITY, zero), by_kind.get(SOCIAL_VALUE, zero)
        price = bid.price
        cheap = -(price if price is not None else no_price)
        if quality_first:
            append((bid.total, (quality, social_value, cheap)))
        elif social_value_first:
            append((bid.total, (social_value, quality, cheap)))
        else:
            append((bid.total, (cheap, quality, social_value)))
    return keys


def rank(totals: Iterable[BidTotal], *, tie_break: TieBreak | str) -> list[Ranked]:
    """The ranking: eligible bids by total then the declared tie-break, then the bids not ranked.

    Bids equal on everything share a rank (the next rank skips, 1, 1, 3) and keep a stable order by
    ``bid_id`` among themselves, so the result never depends on the order of the input.
    """
    rule = TieBreak(tie_break)
    every = list(totals)
    eligible = [bid for bid in every if bid.eligible]
    # One tuple per bid, sorted as it stands (no key function): total, the tie-break keys, then
    # the order by bid_id, then the input order (as the stable sort had it for equal bid ids).
    keyed = sorted(
        [
            (key[0], key[1], -bid.bid_id, -index)
            for index, (key, bid) in enumerate(zip(_sort_keys(rule, eligible), eligible, strict=True))
        ],
        reverse=True,
    )
    ranked: list[Ranked] = []
    previous = None
    place = 0
    last = len(keyed) - 1
    for position, (total, breaks, _, index) in enumerate(keyed):
        key = (total, breaks)
        if key != previous:
            place = position + 1
            previous = key
        tie_broken = (position > 0 and keyed[position - 1][0] == total) or (
            position < last and keyed[position + 1][0] == total
        )
        ranked.append(Ranked(eligible[-index], place, tie_broken))
    unranked = sorted((bid for bid in every if not bid.eligible), key=lambda bid: bid.bid_id)
    ranked.extend(Ranked(bid=bid, rank=None) for bid in unranked)
    return ranked
