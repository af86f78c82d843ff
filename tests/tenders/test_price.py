"""Property tests of the price formulas (tenders/price.py): scores are fractions of the price
weight in [0, 1], the lowest price gets 1, and a lower price never scores less."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenders.price import FORMULAS, LINEAR_TO_BUDGET, RELATIVE_TO_LOWEST, formula_text, price_scores

amounts = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False)
price_lists = st.lists(amounts, min_size=1, max_size=12)
budgets = st.decimals(min_value=Decimal("0.01"), max_value=10_000_000, places=2)
formulas = st.sampled_from(FORMULAS)


def _scores(prices: list[Decimal], formula: str, budget: Decimal) -> dict[int, Decimal]:
    return price_scores(dict(enumerate(prices)), formula=formula, budget=budget)


@given(prices=price_lists, formula=formulas, budget=budgets)
def test_every_score_is_a_fraction_and_the_lowest_gets_the_full_weight(
    prices: list[Decimal], formula: str, budget: Decimal
) -> None:
    scores = _scores(prices, formula, budget)
    assert set(scores) == set(range(len(prices)))
    assert all(Decimal(0) <= s <= Decimal(1) for s in scores.values())
    lowest = min(prices)
    assert all(scores[i] == 1 for i, p in enumerate(prices) if p == lowest)


@given(prices=price_lists, formula=formulas, budget=budgets)
def test_a_lower_price_never_scores_less(prices: list[Decimal], formula: str, budget: Decimal) -> None:
    scores = _scores(prices, formula, budget)
    for i, a in enumerate(prices):
        for j, b in enumerate(prices):
            if a < b:
                assert scores[i] >= scores[j]


@given(prices=price_lists, budget=budgets)
def test_equal_prices_score_the_same(prices: list[Decimal], budget: Decimal) -> None:
    for formula in FORMULAS:
        scores = _scores(prices + [prices[0]], formula, budget)
        assert scores[0] == scores[len(prices)]


def test_examples_of_each_formula() -> None:
    relative = price_scores({"a": Decimal(100), "b": Decimal(200)}, formula=RELATIVE_TO_LOWEST)
    assert relative == {"a": 1, "b": Decimal("0.5")}
    linear = price_scores(
        {"a": Decimal(100), "b": Decimal(150), "c": Decimal(500)}, formula=LINEAR_TO_BUDGET, budget=Decimal(200)
    )
    assert linear == {"a": 1, "b": Decimal("0.75"), "c": 0}


def test_a_free_service_takes_the_whole_weight_relative_to_the_lowest() -> None:
    assert price_scores({"a": Decimal(0), "b": Decimal(10)}, formula=RELATIVE_TO_LOWEST) == {"a": 1, "b": 0}


def test_refusals() -> None:
    with pytest.raises(ValueError, match="Not a price formula"):
        price_scores({"a": Decimal(1)}, formula="cheapest")
    with pytest.raises(ValueError, match="negative"):
        price_scores({"a": Decimal(-1)}, formula=RELATIVE_TO_LOWEST)
    with pytest.raises(ValueError, match="positive budget"):
        price_scores({"a": Decimal(1)}, formula=LINEAR_TO_BUDGET)
    assert price_scores({}, formula=RELATIVE_TO_LOWEST) == {}


def test_the_formula_in_words_names_the_weight_and_budget() -> None:
    assert "30%" in formula_text(RELATIVE_TO_LOWEST, weight="30%")
    assert "£90,000.00" in formula_text(LINEAR_TO_BUDGET, weight="30%", budget="£90,000.00")
    with pytest.raises(ValueError):
        formula_text("cheapest", weight="30%")
