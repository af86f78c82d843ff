"""How the award depends on the social value weight, with the exact weights where it tips. No Django.

The question an officer must answer: would another bidder have won had social value weighed less
(the council's minimum, say) or more? For each social value weight ``w`` from 0 to twice the set
weight (at most 100%), the social value criteria share ``w`` in the proportions of the model, and
every other criterion (quality, price, citizen panel) is rescaled in proportion so the weights
still add up to 100. A bid's scores do not change, so its total is a straight line in ``w``::

    total(w) = other points × (100 − w) ÷ (100 − set) + social value points × w ÷ set

The analysis ranks every bid at 21 evenly spaced weights (for the chart and its table) and finds
the **exact** tipping weights, where the winner just below differs from the winner just above,
by intersecting those lines in integers and :class:`~fractions.Fraction` (never on a grid, never in
floating point). Ties are settled by the model's declared rule as in :func:`commissioning.scoring.rank`;
bids below a minimum pass score or excluded never win, at any weight (pass marks are scores on a
scale, not points, so no weight changes them).

Where the set weight is 0 or 100 there is nothing to rescale; :attr:`Sensitivity.note` says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal, InvalidOperation, Rounded
from fractions import Fraction
from functools import cached_property, reduce
from itertools import compress, repeat
from operator import add, attrgetter, mul, sub
from typing import NamedTuple

from commissioning.scoring import QUALITY, SOCIAL_VALUE, BidTotal, TieBreak, tie_break_key

__all__ = ["BidLine", "Sensitivity", "SweepPoint", "TippingPoint", "sensitivity"]

STEPS = 20  # 21 weights from 0 to the maximum
_CONTEXT = Context(prec=60)
_HUNDRED = Decimal(100)
_ZERO = Decimal(0)
# Floats are used only to find candidates: two totals within _NEAR points of each other are
# compared exactly. Totals are at most 100 and a float total is off by far less than 1e-12.
_NEAR = 1e-9


class BidLine(NamedTuple):
    """A bid's total as a function of the social value weight ``w`` (percent): exactly
    ``(alpha + beta × w × axis) ÷ denominator``, that is :attr:`intercept` + :attr:`slope` × w.
    ``at_zero``, ``at_set`` and ``at_maximum`` are the totals there, to 2 decimal places.
    (A named tuple, not a dataclass: a sweep of 1,000 bids makes 1,000 of them.)"""

    bid_id: int
    eligible: bool
    alpha: int
    beta: int
    axis: int
    denominator: int
    set_position: int  # u at the set weight
    end_position: int  # u at the maximum weight

    @property
    def at_zero(self) -> Decimal:
        return self.rounded_at(0)

    @property
    def at_set(self) -> Decimal:
        return self.rounded_at(self.set_position)

    @property
    def at_maximum(self) -> Decimal:
        return self.rounded_at(self.end_position)

    @property
    def intercept(self) -> Fraction:
        return Fraction(self.alpha, self.denominator)

    @property
    def slope(self) -> Fraction:
        """Points gained per percentage point of social value weight."""
        return Fraction(self.beta * self.axis, self.denominator)

    def total_at(self, weight: Fraction | Decimal | int) -> Fraction:
        return self.intercept + self.slope * Fraction(weight)

    def rounded_at(self, position: int) -> Decimal:
        """The total at u = ``position`` (weight × axis) to 2 decimal places, half up, exactly."""
        value = self.alpha + self.beta * position
        return Decimal((value * 200 + self.denominator) // (2 * self.denominator)).scaleb(-2)


@dataclass(frozen=True)
class SweepPoint:
    """The ranking at one social value weight: ranks of the bids that may be ranked (equal on
    everything: the same rank), the winner, and every bid's total to 2 decimal places. Both
    :attr:`ranks` and :attr:`totals` are worked out when first read (a chart reads few of them)."""

    weight: Decimal
    winner: int | None
    order: tuple[int, ...] = field(repr=False, compare=False)  # the ranked bids' ids, first place first
    shared: dict[int, int] = field(repr=False, compare=False)  # places of bids in a run of equal totals
    lines: tuple[BidLine, ...] = field(repr=False, compare=False)
    position: int = field(repr=False, compare=False)  # u: the weight on the lines' integer axis

    @cached_property
    def ranks(self) -> dict[int, int]:
        ranks = dict(zip(self.order, range(1, len(self.order) + 1), strict=True))
        ranks.update(self.shared)
        return ranks

    @cached_property
    def totals(self) -> dict[int, Decimal]:
        return {line.bid_id: line.rounded_at(self.position) for line in self.lines}


@dataclass(frozen=True)
class TippingPoint:
    """Where the winner changes: ``before`` wins just below ``weight``, ``after`` just above, and
    ``at`` exactly at it (settled by the tie-break: usually one of the two)."""

    weight: Fraction
    before: int
    after: int
    at: int

    @property
    def approximate(self) -> Decimal:
        """The weight to 2 decimal places, for people (the exact value is :attr:`weight`)."""
        return _round(self.weight, 2)

    @property
    def exact_text(self) -> str:
        """ "12.5" when the weight has a short decimal form, else the fraction "100/3"."""
        value = self.weight
        denominator = value.denominator
        for prime in (2, 5):
            while denominator % prime == 0:
                denominator //= prime
        if denominator == 1:
            return _plain(Decimal(value.numerator) / Decimal(value.denominator))
        return f"{value.numerator}/{value.denominator}"


@dataclass(frozen=True)
class Sensitivity:
    """The whole analysis of one lot: the range swept, the grid, the exact tipping points, the
    winners at the set and minimum weights, and each bid's line (for the chart)."""

    set_weight: Decimal
    maximum_weight: Decimal
    minimum_weight: Decimal | None
    points: tuple[SweepPoint, ...]
    tipping_points: tuple[TippingPoint, ...]
    lines: tuple[BidLine, ...]
    winner_at_set: int | None
    winner_at_minimum: int | None
    note: str = ""

    @property
    def available(self) -> bool:
        return not self.note

    @property
    def winner_changes(self) -> bool:
        return bool(self.tipping_points)


def _runs(positions: list[int]) -> list[tuple[int, int]]:
    """Consecutive positions grouped: [2, 3, 4, 9] -> [(2, 4), (9, 9)]."""
    runs: list[tuple[int, int]] = []
    for position in positions:
        if runs and runs[-1][1] == position - 1:
            runs[-1] = (runs[-1][0], position)
        else:
            runs.append((position, position))
    return runs


def _round(value: Fraction, places: int) -> Decimal:
    """Half away from zero (as people round), exactly."""
    scale = 10**places
    numerator = abs(value.numerator) * scale * 2 + value.denominator
    units = numerator // (2 * value.denominator)
    return Decimal(-units if value < 0 else units).scaleb(-places)


def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _digits(values: Sequence[Decimal]) -> int:
    """The most decimal places among ``values`` (0 for whole numbers)."""
    places = 0
    for value in values:
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            places = -exponent
    return places


def _places(values: Sequence[Decimal]) -> int:
    """:func:`_digits` of many values at once: an exact Decimal sum has the smallest exponent of its
    terms, so one sum (about 20 times faster than reading every exponent) gives it, unless the sum
    had to be rounded or is not finite; then every exponent is read."""
    context = Context(prec=60, traps=[])
    total = reduce(context.add, values, _ZERO)
    exponent = total.as_tuple().exponent
    if context.flags[Rounded] or context.flags[InvalidOperation] or not isinstance(exponent, int):
        return _digits(values)
    return max(0, -exponent)


def _scaled(value: Decimal, places: int) -> int:
    return int(value.scaleb(places, _CONTEXT))


def _unavailable(totals: Sequence[BidTotal], set_weight: Decimal, minimum: Decimal | None, note: str) -> Sensitivity:
    return Sensitivity(
        set_weight=set_weight,
        maximum_weight=set_weight,
        minimum_weight=minimum,
        points=(),
        tipping_points=(),
        lines=(),
        winner_at_set=None,
        winner_at_minimum=None,
        note=note,
    )


def sensitivity(
    totals: Sequence[BidTotal],
    *,
    social_value_weight: Decimal,
    tie_break: TieBreak | str,
    minimum_weight: Decimal | None = None,
) -> Sensitivity:
    """The sensitivity of the ranking in ``totals`` (from :func:`commissioning.scoring.bid_totals`)
    to the social value weight, whose set value is ``social_value_weight`` percent."""
    rule = TieBreak(tie_break)
    set_weight = social_value_weight
    if set_weight <= 0:
        return _unavailable(
            totals, set_weight, minimum_weight, "Social value has no weight in this model, so there is nothing to vary."
        )
    if set_weight >= _HUNDRED:
        return _unavailable(
            totals,
            set_weight,
            minimum_weight,
            "Social value holds all the weight in this model, so there is nothing to rescale.",
        )
    maximum = min(set_weight * 2, _HUNDRED)

    # Everything in integers: points scaled by 10**E, weights by 10**F, and the weight axis by STEPS
    # more, so every grid weight is a whole number u = Ω·k and a bid's total is proportional to
    # α + β·u (the common factor is positive, so comparisons are exact and cheap).
    sv_points = [bid.by_kind.get(SOCIAL_VALUE, _ZERO) for bid in totals]  # bid.points(SOCIAL_VALUE)
    other_points = list(map(_CONTEXT.subtract, map(attrgetter("total"), totals), sv_points))
    # Points as integers over one common denominator, 10**e (Decimal.as_integer_ratio is exact too,
    # but reduces every fraction: about 20 times slower on 60-digit points).
    everything = [*sv_points, *other_points]
    e = _places(everything)
    common = 10**e
    scaled = list(map(int, map(_CONTEXT.scaleb, everything, repeat(Decimal(e)))))
    weights = [set_weight, *([minimum_weight] if minimum_weight is not None else [])]
    f = _digits(weights)
    sigma = _scaled(set_weight, f)
    hundred = 100 * 10**f
    omega = min(2 * sigma, hundred)  # the maximum weight, scaled by 10**f
    end = omega * STEPS  # the maximum weight on the u axis
    denominator = STEPS * common * sigma * (hundred - sigma)  # total = (α + β·u) ÷ denominator
    axis = STEPS * 10**f  # u = weight × axis

    bid_ids = [bid.bid_id for bid in totals]
    count = len(totals)
    to_alpha, rest = sigma * STEPS * hundred, hundred - sigma
    alphas = [o * to_alpha for o in scaled[count:]]
    betas = [s * rest - o * sigma for s, o in zip(scaled[:count], scaled[count:], strict=True)]
    eligible = [bid.eligible for bid in totals]
    candidates = [index for index, ok in enumerate(eligible) if ok]
    # Floats only to find the few bids that are close (within _NEAR points); every decision among
    # those is made on the exact integers.
    starts = [alpha / denominator for alpha in alphas]
    slopes = [beta / denominator for beta in betas]  # per unit of u

    def tie_keys(i: int, numerator: int, scale: int) -> tuple[Decimal, Decimal, Decimal]:
        """Bid i's tie-break keys exactly at u = numerator ÷ scale: at 0% no bid has social value
        points, at 100% none has quality points, so those compare equal there."""
        bid = totals[i]
        quality, social_value = bid.points(QUALITY), sv_points[i]
        if numerator == 0:
            social_value = _ZERO
        elif numerator == 100 * axis * scale:
            quality = _ZERO
        return tie_break_key(rule, quality=quality, social_value=social_value, price=bid.price)

    def inside_keys(i: int) -> tuple[Decimal, Decimal, Decimal]:
        return tie_break_key(rule, quality=totals[i].points(QUALITY), social_value=sv_points[i], price=totals[i].price)

    candidate_starts = [starts[i] for i in candidates]
    candidate_slopes = [slopes[i] for i in candidates]

    def near_top(numerator: int, scale: int) -> list[int]:
        """The eligible bids whose total at u = numerator ÷ scale is within _NEAR of the highest."""
        values = list(map(add, candidate_starts, map(mul, candidate_slopes, repeat(numerator / scale))))
        return list(compress(candidates, map((max(values) - _NEAR).__le__, values)))

    def winner_at(numerator: int, scale: int = 1) -> int | None:
        """The winner exactly at u = numerator ÷ scale (the tie-break as it stands there)."""
        if not candidates:
            return None
        best = max(
            near_top(numerator, scale),
            key=lambda i: (alphas[i] * scale + betas[i] * numerator, tie_keys(i, numerator, scale), -bid_ids[i]),
        )
        return bid_ids[best]

    def leader_after(numerator: int, scale: int = 1) -> int:
        """The winner just above u = numerator ÷ scale: highest total there, then the steeper line."""
        return max(
            near_top(numerator, scale),
            key=lambda i: (alphas[i] * scale + betas[i] * numerator, betas[i], inside_keys(i), -bid_ids[i]),
        )

    # The grid: ordered by the floats, then every run of near-equal totals put in its exact order.
    grid: list[tuple[int, tuple[int, ...], dict[int, int]]] = []
    # Each step starts from the previous step's order: the lines move little between neighbouring
    # weights, so the input is nearly sorted and the sort takes linear time. The order found is
    # the same whatever the input (every run of near-equal totals is put in its exact order below).
    order = candidates
    for k in range(STEPS + 1):
        u = omega * k
        values = list(map(add, starts, map(mul, slopes, repeat(u))))
        order = sorted(order, key=values.__getitem__, reverse=True)
        shared: dict[int, int] = {}
        ordered = list(map(values.__getitem__, order))
        gaps = map(sub, ordered, ordered[1:])
        close = list(compress(range(len(ordered)), map(_NEAR.__ge__, gaps)))
        for first, last in _runs(close):
            run = order[first : last + 2]

            def exact(i: int, u: int = u) -> tuple[int, tuple[Decimal, Decimal, Decimal]]:
                return (alphas[i] + betas[i] * u, tie_keys(i, u, 1))

            run.sort(key=lambda i: (exact(i), -bid_ids[i]), reverse=True)
            order[first : last + 2] = run
            previous = None
            place = first + 1
            for position, i in enumerate(run, start=first + 1):
                key = exact(i)
                if key != previous:
                    place, previous = position, key
                shared[bid_ids[i]] = place
        grid.append((u, tuple(map(bid_ids.__getitem__, order)), shared))

    # The exact tipping points: walk the upper envelope of the eligible lines from weight 0.
    tips: list[TippingPoint] = []
    if candidates:
        leader = leader_after(0)
        while True:
            best: tuple[int, int] | None = None  # the nearest crossing ahead, as u = numerator ÷ scale
            alpha_i, beta_i = alphas[leader], betas[leader]
            # Each steeper line crosses the leader's at u = gap ÷ rise, ahead of us (see leader_after).
            for gap, rise in [(alpha_i - alphas[j], betas[j] - beta_i) for j in candidates if betas[j] > beta_i]:
                if best is None or gap * best[1] < best[0] * rise:
                    best = (gap, rise)
            if best is None or best[0] >= end * best[1]:
                break
            numerator, scale = best
            after = leader_after(numerator, scale)
            at = winner_at(numerator, scale)
            tips.append(
                TippingPoint(
                    weight=Fraction(numerator, scale * axis),
                    before=bid_ids[leader],
                    after=bid_ids[after],
                    at=at if at is not None else bid_ids[after],
                )
            )
            leader = after

    def winner_at_weight(weight: Decimal) -> int | None:
        u = Fraction(weight) * axis
        return winner_at(u.numerator, u.denominator)

    at_set = sigma * STEPS
    # tuple.__new__ is what BidLine._make does, without a Python call per bid (fields in order).
    lines = tuple(
        map(
            tuple.__new__,
            repeat(BidLine),
            zip(
                bid_ids,
                eligible,
                alphas,
                betas,
                repeat(axis),
                repeat(denominator),
                repeat(at_set),
                repeat(end),
            ),
        )
    )
    points = tuple(
        SweepPoint(
            weight=Decimal(u) / Decimal(axis) if u else _ZERO,
            winner=ranked[0] if ranked else None,
            order=ranked,
            shared=shared,
            lines=lines,
            position=u,
        )
        for u, ranked, shared in grid
    )
    return Sensitivity(
        set_weight=set_weight,
        maximum_weight=maximum,
        minimum_weight=minimum_weight,
        points=points,
        tipping_points=tuple(tips),
        lines=lines,
        winner_at_set=winner_at_weight(set_weight),
        winner_at_minimum=winner_at_weight(minimum_weight) if minimum_weight is not None else None,
    )
