"""The sensitivity of the award to the social value weight (social_value.sensitivity).

The reference here recomputes every total from the raw scores with the rescaled weights, in
:class:`~fractions.Fraction`, and settles ties by the declared rule: it shares no arithmetic with
the module's integer lines, so the two agreeing at and around each tipping point means the tipping
points are exact.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import event, given, settings
from hypothesis import strategies as st

from commissioning.scoring import (
    PRICE,
    QUALITY,
    SOCIAL_VALUE,
    BidScores,
    CriterionWeight,
    TieBreak,
    bid_totals,
    rank,
)
from social_value.sensitivity import STEPS, Sensitivity, sensitivity
from tenders.price import RELATIVE_TO_LOWEST, price_scores

D = Decimal
FIVE, ONE = D(5), D(1)


@st.composite
def competitions(draw: st.DrawFn) -> tuple[list[CriterionWeight], list[BidScores], TieBreak, Decimal]:
    """Two quality questions, a price and one or two social value questions, the social value
    weighing between 1% and 99%, and bids scored in halves so totals often meet and tie."""
    social_value = D(draw(st.integers(1, 99)))
    others = 100 - social_value
    quality_a = D(draw(st.integers(0, int(others))))
    price_weight = D(draw(st.integers(0, int(others - quality_a))))
    quality_b = others - quality_a - price_weight
    split = D(draw(st.integers(0, int(social_value))))
    criteria = [
        CriterionWeight(1, QUALITY, quality_a, FIVE, minimum=draw(st.none() | st.just(D(1))), title="Method"),
        CriterionWeight(2, QUALITY, quality_b, D(100), title="Staffing"),
        CriterionWeight(3, PRICE, price_weight, ONE, title="Price"),
        CriterionWeight(4, SOCIAL_VALUE, split, FIVE, title="Local jobs"),
        CriterionWeight(5, SOCIAL_VALUE, social_value - split, FIVE, title="Volunteering"),
    ]
    count = draw(st.integers(1, 8))
    prices = {bid_id: D(draw(st.integers(1, 6))) * 1000 for bid_id in range(1, count + 1)}
    fractions = price_scores(prices, formula=RELATIVE_TO_LOWEST)
    bids = [
        BidScores(
            bid_id,
            {
                1: D(draw(st.integers(0, 10))) / 2,
                2: D(draw(st.integers(0, 10))) * 10,
                3: fractions[bid_id],
                4: D(draw(st.integers(0, 10))) / 2,
                5: D(draw(st.integers(0, 10))) / 2,
            },
            price=prices[bid_id],
        )
        for bid_id in range(1, count + 1)
    ]
    return criteria, bids, draw(st.sampled_from(list(TieBreak))), social_value


def reference_winner(
    criteria: list[CriterionWeight], bids: list[BidScores], rule: TieBreak, set_weight: Decimal, weight: Fraction
) -> int | None:
    """The winner at social value weight ``weight``, from the raw scores, exactly."""
    eligible = {t.bid_id for t in bid_totals(criteria, bids) if t.eligible}
    s0 = Fraction(set_weight)

    def rescaled(criterion: CriterionWeight) -> Fraction:
        if criterion.kind == SOCIAL_VALUE:
            return Fraction(criterion.weight) * weight / s0
        return Fraction(criterion.weight) * (100 - weight) / (100 - s0)

    def key(bid: BidScores) -> tuple:
        points = {c.id: rescaled(c) * Fraction(bid.scores[c.id]) / Fraction(c.scale_max) for c in criteria}
        quality = sum(points[c.id] for c in criteria if c.kind == QUALITY)
        social_value = sum(points[c.id] for c in criteria if c.kind == SOCIAL_VALUE)
        cheap = -bid.price
        ties = {
            TieBreak.QUALITY_SOCIAL_VALUE_PRICE: (quality, social_value, cheap),
            TieBreak.SOCIAL_VALUE_QUALITY_PRICE: (social_value, quality, cheap),
            TieBreak.PRICE_QUALITY_SOCIAL_VALUE: (cheap, quality, social_value),
        }[rule]
        return (sum(points.values()), ties, -bid.bid_id)

    contenders = [bid for bid in bids if bid.bid_id in eligible]
    return max(contenders, key=key).bid_id if contenders else None


def analyse(competition: tuple, minimum: Decimal | None = None) -> Sensitivity:  # noqa: ANN001
    criteria, bids, rule, set_weight = competition
    return sensitivity(
        bid_totals(criteria, bids), social_value_weight=set_weight, tie_break=rule, minimum_weight=minimum
    )


@settings(max_examples=150, deadline=None)
@given(competitions())
def test_the_winner_changes_exactly_at_the_tipping_points_and_nowhere_else(competition: tuple) -> None:  # noqa: ANN001
    criteria, bids, rule, set_weight = competition
    result = analyse(competition)
    event(f"tipping points: {min(len(result.tipping_points), 3)}")
    maximum = Fraction(result.maximum_weight)
    assert result.maximum_weight == min(2 * set_weight, D(100))
    marks = [Fraction(0), *(tip.weight for tip in result.tipping_points), maximum]
    assert marks == sorted(set(marks)), "tipping points strictly inside the range, in order"

    def winner(weight: Fraction) -> int | None:
        return reference_winner(criteria, bids, rule, set_weight, weight)

    # Between two marks the winner is one bid (checked at several points, near both ends too) ...
    holders = []
    for low, high in zip(marks, marks[1:], strict=False):
        width = high - low
        inside = {
            winner(low + width * part)
            for part in (Fraction(1, 10**6), Fraction(1, 3), Fraction(1, 2), 1 - Fraction(1, 10**6))
        }
        assert len(inside) == 1, f"the winner changes between {low} and {high} without a tipping point"
        holders.append(inside.pop())
    # ... and at each tipping point it differs just below and just above, as the module says.
    for tip, before, after in zip(result.tipping_points, holders, holders[1:], strict=False):
        assert before != after
        assert (tip.before, tip.after) == (before, after)
        assert tip.at == winner(tip.weight)


@settings(max_examples=150, deadline=None)
@given(competitions())
def test_the_grid_ranks_as_the_reference_and_agrees_with_the_ranking_at_the_set_weight(competition: tuple) -> None:  # noqa: ANN001
    criteria, bids, rule, set_weight = competition
    result = analyse(competition, minimum=D(10) if set_weight >= 10 else None)
    assert len(result.points) == STEPS + 1
    for point in result.points:
        assert point.winner == reference_winner(criteria, bids, rule, set_weight, Fraction(point.weight))
    totals = bid_totals(criteria, bids)
    ranking = rank(totals, tie_break=rule)
    first = ranking[0]
    assert result.winner_at_set == (first.bid.bid_id if first.rank == 1 else None)
    at_set = next((p for p in result.points if p.weight == set_weight), None)
    if at_set is not None:  # on the grid whenever twice the set weight is at most 100%
        assert at_set.ranks == {p.bid.bid_id: p.rank for p in ranking if p.rank is not None}
        assert at_set.totals == {t.bid_id: t.total.quantize(D("0.01"), rounding=ROUND_HALF_UP) for t in totals}
    if result.minimum_weight is not None:
        assert result.winner_at_minimum == reference_winner(criteria, bids, rule, set_weight, Fraction(10))


def test_a_worked_example_tips_at_one_hundred_ninths() -> None:
    criteria = [
        CriterionWeight(1, QUALITY, D(50), FIVE),
        CriterionWeight(2, PRICE, D(30), ONE),
        CriterionWeight(3, SOCIAL_VALUE, D(20), FIVE),
    ]
    bids = [
        BidScores(10, {1: D(4), 2: D(1), 3: D(2)}, price=D(100)),  # 40 + 30 + 8 = 78
        BidScores(11, {1: D(4), 2: D("0.8"), 3: D(5)}, price=D(125)),  # 40 + 24 + 20 = 84
    ]
    result = sensitivity(
        bid_totals(criteria, bids),
        social_value_weight=D(20),
        tie_break="quality_social_value_price",
        minimum_weight=D(10),
    )
    # 70 × (100 − w) ÷ 80 + 8 w ÷ 20 = 64 × (100 − w) ÷ 80 + 20 w ÷ 20  <=>  w = 100/9
    (tip,) = result.tipping_points
    assert tip.weight == Fraction(100, 9)
    assert (tip.before, tip.after, tip.at) == (10, 11, 11)  # equal there: 11 has more social value points
    assert tip.exact_text == "100/9" and tip.approximate == D("11.11")
    assert result.winner_at_set == 11
    assert result.winner_at_minimum == 10  # at the council's minimum of 10% the cheaper bid would have won
    assert [p.weight for p in result.points][:3] == [D(0), D(2), D(4)]
    assert result.points[0].totals == {10: D("87.50"), 11: D("80.00")}
    assert result.points[-1].totals == {10: D("68.50"), 11: D("88.00")}
    line = {line.bid_id: line for line in result.lines}[10]
    assert line.total_at(Fraction(100, 9)) == line.intercept + line.slope * Fraction(100, 9)
    assert line.at_zero == D("87.50") and line.at_set == D("78.00") and line.at_maximum == D("68.50")


def test_nothing_to_vary_without_social_value_weight() -> None:
    criteria = [CriterionWeight(1, QUALITY, D(100), FIVE)]
    result = sensitivity(
        bid_totals(criteria, [BidScores(1, {1: D(3)})]),
        social_value_weight=D(0),
        tie_break="quality_social_value_price",
    )
    assert not result.available and "no weight" in result.note
    assert result.points == () and result.tipping_points == ()


def test_no_winner_when_no_bid_may_be_ranked() -> None:
    criteria = [CriterionWeight(1, QUALITY, D(80), FIVE, minimum=D(3)), CriterionWeight(2, SOCIAL_VALUE, D(20), FIVE)]
    result = sensitivity(
        bid_totals(criteria, [BidScores(1, {1: D(1), 2: D(5)})]),
        social_value_weight=D(20),
        tie_break="quality_social_value_price",
        minimum_weight=D(10),
    )
    assert result.winner_at_set is None and result.winner_at_minimum is None
    assert all(point.winner is None and point.ranks == {} for point in result.points)
    assert result.tipping_points == ()
    assert result.points[0].totals == {1: D("20.00")}  # its line is still drawn: 100 × 1/5 at 0%


def test_at_most_one_hundred_percent() -> None:
    criteria = [CriterionWeight(1, QUALITY, D(40), FIVE), CriterionWeight(2, SOCIAL_VALUE, D(60), FIVE)]
    result = sensitivity(
        bid_totals(criteria, [BidScores(1, {1: D(5), 2: D(1)}), BidScores(2, {1: D(1), 2: D(5)})]),
        social_value_weight=D(60),
        tie_break="quality_social_value_price",
    )
    assert result.maximum_weight == D(100)
    assert result.points[-1].weight == D(100)
    # At 100% only social value counts: bid 2 has full marks; bid 1 wins at 0%.
    assert result.points[0].winner == 1 and result.points[-1].winner == 2
    (tip,) = result.tipping_points
    assert tip.weight == Fraction(50)  # 40 + ... : 100 − w + w/5 = (100 − w)/5 + w  <=>  w = 50
