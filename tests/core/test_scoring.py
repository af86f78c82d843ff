"""Weighted totals, pass marks and ranking (commissioning.scoring): properties and examples."""

from __future__ import annotations

import random
from decimal import Context, Decimal, localcontext

from hypothesis import given, settings
from hypothesis import strategies as st

from commissioning.scoring import (
    PRICE,
    QUALITY,
    SOCIAL_VALUE,
    BidScores,
    BidTotal,
    CriterionWeight,
    TieBreak,
    bid_totals,
    rank,
)
from tenders.price import RELATIVE_TO_LOWEST, price_scores

D = Decimal
FIVE, HUNDRED, ONE = D(5), D(100), D(1)


@st.composite
def weights_adding_to_100(draw: st.DrawFn, count: int) -> list[Decimal]:
    """``count`` weights of at most 2 decimal places adding up to exactly 100."""
    cuts = sorted(draw(st.lists(st.integers(0, 10_000), min_size=count - 1, max_size=count - 1)))
    edges = [0, *cuts, 10_000]
    return [D(high - low).scaleb(-2) for low, high in zip(edges, edges[1:], strict=False)]


@st.composite
def models(draw: st.DrawFn) -> list[CriterionWeight]:
    """A model of quality and social value criteria (0 to 5 or 0 to 100), maybe with a price."""
    kinds = draw(st.lists(st.sampled_from([QUALITY, SOCIAL_VALUE]), min_size=1, max_size=6))
    if draw(st.booleans()):
        kinds.append(PRICE)
    weights = draw(weights_adding_to_100(len(kinds)))
    criteria = []
    for position, (kind, weight) in enumerate(zip(kinds, weights, strict=True), start=1):
        top = ONE if kind == PRICE else draw(st.sampled_from([FIVE, HUNDRED]))
        minimum = None if kind == PRICE else draw(st.none() | st.sampled_from([D(1), D(2)]))
        criteria.append(CriterionWeight(position, kind, weight, top, minimum, f"Criterion {position}"))
    return criteria


def scores_for(draw: st.DrawFn, criteria: list[CriterionWeight], count: int) -> list[BidScores]:
    prices = {bid_id: D(draw(st.integers(1, 20))) * 1000 for bid_id in range(1, count + 1)}
    fractions = price_scores(prices, formula=RELATIVE_TO_LOWEST)
    bids = []
    for bid_id in range(1, count + 1):
        scores = {}
        for criterion in criteria:
            if criterion.kind == PRICE:
                scores[criterion.id] = fractions[bid_id]
            else:
                steps = draw(st.integers(0, 10))  # halves on 0 to 5, tens on 0 to 100: many equal totals
                scores[criterion.id] = criterion.scale_max * steps / 10
        bids.append(BidScores(bid_id, scores, price=prices[bid_id]))
    return bids


@st.composite
def competitions(draw: st.DrawFn) -> tuple[list[CriterionWeight], list[BidScores], TieBreak]:
    criteria = draw(models())
    bids = scores_for(draw, criteria, draw(st.integers(1, 12)))
    return criteria, bids, draw(st.sampled_from(list(TieBreak)))


def _places(ranking: list) -> list[tuple[int, int | None]]:  # noqa: ANN001
    return [(place.bid.bid_id, place.rank) for place in ranking]


@given(models())
def test_full_marks_on_everything_is_the_sum_of_the_weights(criteria: list[CriterionWeight]) -> None:
    full = BidScores(1, {c.id: c.scale_max for c in criteria})
    (total,) = bid_totals(criteria, [full])
    assert total.total == HUNDRED
    for kind in {c.kind for c in criteria}:
        assert total.points(kind) == sum((c.weight for c in criteria if c.kind == kind), D(0))


@given(competitions())
def test_points_add_up_and_stay_within_the_weights(competition: tuple) -> None:  # noqa: ANN001
    criteria, bids, _ = competition
    for total in bid_totals(criteria, bids):
        with localcontext(Context(prec=60)):  # the module's precision: its sums are exact
            assert sum(total.by_kind.values(), D(0)) == total.total
            assert sum(total.by_criterion.values(), D(0)) == total.total
        assert D(0) <= total.total <= HUNDRED
        for criterion in criteria:
            assert D(0) <= total.by_criterion[criterion.id] <= criterion.weight


@given(competitions(), st.randoms(use_true_random=False))
def test_ranking_does_not_depend_on_the_order_of_the_bids(competition: tuple, rnd: random.Random) -> None:  # noqa: ANN001
    criteria, bids, rule = competition
    shuffled = list(bids)
    rnd.shuffle(shuffled)
    assert _places(rank(bid_totals(criteria, bids), tie_break=rule)) == _places(
        rank(bid_totals(criteria, shuffled), tie_break=rule)
    )


@given(competitions(), st.data())
def test_raising_one_score_never_lowers_the_rank(competition: tuple, data: st.DataObject) -> None:  # noqa: ANN001
    criteria, bids, rule = competition
    scored = [c for c in criteria if c.kind != PRICE]
    if not scored:
        return
    index = data.draw(st.integers(0, len(bids) - 1))
    criterion = data.draw(st.sampled_from(scored))
    bid = bids[index]
    raised_score = data.draw(st.sampled_from([s for s in (criterion.scale_max * k / 10 for k in range(11))]))
    if raised_score < bid.scores[criterion.id]:
        return
    raised = BidScores(bid.bid_id, {**bid.scores, criterion.id: raised_score}, price=bid.price)
    before = dict(_places(rank(bid_totals(criteria, bids), tie_break=rule)))[bid.bid_id]
    after_bids = [*bids[:index], raised, *bids[index + 1 :]]
    after = dict(_places(rank(bid_totals(criteria, after_bids), tie_break=rule)))[bid.bid_id]
    if before is not None:
        assert after is not None and after <= before


@given(competitions())
def test_equal_totals_are_ordered_by_the_declared_rule(competition: tuple) -> None:  # noqa: ANN001
    criteria, bids, rule = competition
    ranking = rank(bid_totals(criteria, bids), tie_break=rule)
    ranked = [place for place in ranking if place.rank is not None]
    for higher, lower in zip(ranked, ranked[1:], strict=False):
        assert higher.bid.total >= lower.bid.total
        if higher.bid.total == lower.bid.total:
            keys = {
                TieBreak.QUALITY_SOCIAL_VALUE_PRICE: lambda b: (b.points(QUALITY), b.points(SOCIAL_VALUE), -b.price),
                TieBreak.SOCIAL_VALUE_QUALITY_PRICE: lambda b: (b.points(SOCIAL_VALUE), b.points(QUALITY), -b.price),
                TieBreak.PRICE_QUALITY_SOCIAL_VALUE: lambda b: (-b.price, b.points(QUALITY), b.points(SOCIAL_VALUE)),
            }[rule]
            assert keys(higher.bid) >= keys(lower.bid)
            assert higher.tie_broken and lower.tie_broken
            # Equal on every key: the same rank; otherwise the lower one is placed after.
            assert (higher.rank == lower.rank) == (keys(higher.bid) == keys(lower.bid))


@given(competitions())
def test_a_bid_below_a_minimum_is_not_ranked_and_says_why(competition: tuple) -> None:  # noqa: ANN001
    criteria, bids, rule = competition
    ranking = {place.bid.bid_id: place for place in rank(bid_totals(criteria, bids), tie_break=rule)}
    for bid in bids:
        failed = [c for c in criteria if c.minimum is not None and bid.scores[c.id] < c.minimum]
        place = ranking[bid.bid_id]
        assert (place.rank is None) == bool(failed)
        assert [reason.split(":")[0] for reason in place.bid.reasons] == [c.title for c in failed]


@settings(max_examples=50)
@given(competitions(), st.data())
def test_excluded_bids_are_not_ranked_whatever_they_score(competition: tuple, data: st.DataObject) -> None:  # noqa: ANN001
    criteria, bids, rule = competition
    index = data.draw(st.integers(0, len(bids) - 1))
    excluded = BidScores(
        bids[index].bid_id, bids[index].scores, bids[index].price, exclusions=("Excluded as abnormally low: no",)
    )
    ranking = rank(bid_totals(criteria, [*bids[:index], excluded, *bids[index + 1 :]]), tie_break=rule)
    place = next(p for p in ranking if p.bid.bid_id == excluded.bid_id)
    assert place.rank is None and place.bid.reasons[0] == "Excluded as abnormally low: no"
    assert ranking[-1].rank is None  # the unranked come last


# --- Examples -------------------------------------------------------------------------------------

MODEL = [
    CriterionWeight(1, QUALITY, D(50), FIVE, title="Method"),
    CriterionWeight(2, SOCIAL_VALUE, D(30), FIVE, title="Local jobs"),
    CriterionWeight(3, PRICE, D(20), ONE, title="Price"),
]


def _winner(bids: list[BidScores], rule: TieBreak) -> int:
    return rank(bid_totals(MODEL, bids), tie_break=rule)[0].bid.bid_id


def test_points_are_weight_times_score_over_the_scale() -> None:
    (total,) = bid_totals(MODEL, [BidScores(7, {1: D(4), 2: D("2.5"), 3: D("0.8")}, price=D(1000))])
    assert total.by_criterion == {1: D(40), 2: D(15), 3: D(16)}
    assert total.total == D(71)
    assert total.eligible and total.missing == ()


def test_a_missing_score_gives_no_points_and_is_listed() -> None:
    (total,) = bid_totals(MODEL, [BidScores(7, {1: D(5)})])
    assert total.total == D(50)
    assert total.missing == (2, 3)
    assert total.eligible  # a pending score blocks the award (the caller says so), not the ranking


def test_each_declared_rule_settles_the_same_tie_differently() -> None:
    # Equal totals of 80: A is better on quality and cheaper, B better on social value.
    a = BidScores(1, {1: D(5), 2: D(2), 3: D("0.9")}, price=D(1100))  # 50 + 12 + 18 = 80
    b = BidScores(2, {1: D(4), 2: D(5), 3: D("0.5")}, price=D(2000))  # 40 + 30 + 10 = 80
    totals = bid_totals(MODEL, [a, b])
    assert totals[0].total == totals[1].total == D(80)
    assert _winner([a, b], TieBreak.QUALITY_SOCIAL_VALUE_PRICE) == 1
    assert _winner([a, b], TieBreak.SOCIAL_VALUE_QUALITY_PRICE) == 2
    assert _winner([a, b], TieBreak.PRICE_QUALITY_SOCIAL_VALUE) == 1  # 1,100 is lower than 2,000
    cheap = BidScores(3, {1: D(4), 2: D(5), 3: D("0.5")}, price=D(1500))  # same as B, cheaper
    ranking = rank(bid_totals(MODEL, [b, cheap]), tie_break=TieBreak.QUALITY_SOCIAL_VALUE_PRICE)
    assert [(p.bid.bid_id, p.rank) for p in ranking] == [(3, 1), (2, 2)]


def test_bids_equal_on_everything_share_a_rank() -> None:
    same = {1: D(4), 2: D(4), 3: D(1)}
    ranking = rank(
        bid_totals(MODEL, [BidScores(9, same, D(10)), BidScores(4, same, D(10)), BidScores(5, {1: D(1)}, D(10))]),
        tie_break=TieBreak.QUALITY_SOCIAL_VALUE_PRICE,
    )
    assert [(p.bid.bid_id, p.rank) for p in ranking] == [(4, 1), (9, 1), (5, 3)]


def test_a_score_below_the_minimum_gives_the_reason_in_words() -> None:
    model = [CriterionWeight(1, QUALITY, D(100), FIVE, minimum=D(2), title="Safeguarding")]
    (total,) = bid_totals(model, [BidScores(1, {1: D("1.5")})])
    assert total.reasons == ("Safeguarding: scored 1.5, below the minimum pass score of 2 out of 5",)
    assert rank([total], tie_break=TieBreak.QUALITY_SOCIAL_VALUE_PRICE)[0].rank is None


def test_a_thousand_bids_rank_the_same_as_a_sorted_reference() -> None:
    rnd = random.Random(10)
    bids = [
        BidScores(i, {1: D(rnd.randint(0, 10)) / 2, 2: D(rnd.randint(0, 10)) / 2, 3: D(rnd.randint(5, 10)) / 10})
        for i in range(1000)
    ]
    totals: list[BidTotal] = bid_totals(MODEL, bids)
    ranking = rank(totals, tie_break=TieBreak.QUALITY_SOCIAL_VALUE_PRICE)
    reference = sorted(totals, key=lambda t: (-t.total, -t.points(QUALITY), -t.points(SOCIAL_VALUE), t.bid_id))
    assert [p.bid.bid_id for p in ranking] == [t.bid_id for t in reference]
