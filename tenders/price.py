"""Price scores from the formula declared in the evaluation model. No Django here.

A price score is a **fraction of the price criterion's weight**, from 0 to 1, so the totals
(``commissioning.scoring``) multiply it by the weight like any other criterion. Prices are scored
per lot: call :func:`price_scores` once for each lot's prices.

The two formulas, as the notice states them (:func:`formula_text`):

- **relative to the lowest price**: ``lowest ÷ price``; the lowest price gets the full weight, a
  price twice the lowest half of it;
- **linear against the budget**: ``1 − (price − lowest) ÷ budget``, at least 0; the lowest price
  gets the full weight and every pound above it costs the same share of the weight, measured
  against the tender's (or lot's) budget, so a bid dearer than the lowest by the whole budget
  scores nothing.

A price of 0 (a free service) is the lowest possible; under "relative to the lowest" it takes the
full weight and every other price 0, since no positive price is any share of nothing.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import Decimal
from typing import TypeVar

__all__ = ["FORMULAS", "RELATIVE_TO_LOWEST", "LINEAR_TO_BUDGET", "formula_text", "price_scores"]

K = TypeVar("K", bound=Hashable)

RELATIVE_TO_LOWEST = "relative_to_lowest"
LINEAR_TO_BUDGET = "linear_to_budget"
FORMULAS = (RELATIVE_TO_LOWEST, LINEAR_TO_BUDGET)

_ZERO, _ONE = Decimal(0), Decimal(1)

_TEXT = {
    RELATIVE_TO_LOWEST: (
        "Price is scored relative to the lowest price: the lowest price gets the full {weight} and every "
        "other price gets the lowest price divided by its own price, times {weight}."
    ),
    LINEAR_TO_BUDGET: (
        "Price is scored against the budget of {budget}: the lowest price gets the full {weight}, and a price "
        "loses the share of {weight} that its difference from the lowest price is of the budget (never below 0)."
    ),
}


def formula_text(formula: str, *, weight: str, budget: str = "the estimated value") -> str:
    """The formula in plain words for the notice, e.g. ``formula_text(RELATIVE_TO_LOWEST, weight="30%")``."""
    if formula not in _TEXT:
        raise ValueError(f"Not a price formula: {formula!r}")
    return _TEXT[formula].format(weight=weight, budget=budget)


def price_scores(prices: Mapping[K, Decimal], *, formula: str, budget: Decimal | None = None) -> dict[K, Decimal]:
    """Each price's score as a fraction (0 to 1) of the price weight, by ``formula``.

    ``budget`` is required for :data:`LINEAR_TO_BUDGET` and must be positive. Negative prices are
    refused (``ValueError``): the bid pages never accept them.
    """
    if formula not in FORMULAS:
        raise ValueError(f"Not a price formula: {formula!r}")
    if any(price < 0 for price in prices.values()):
        raise ValueError("A price cannot be negative")
    if not prices:
        return {}
    lowest = min(prices.values())
    if formula == RELATIVE_TO_LOWEST:
        if lowest == 0:
            return {key: _ONE if price == 0 else _ZERO for key, price in prices.items()}
        return {key: lowest / price for key, price in prices.items()}
    if budget is None or budget <= 0:
        raise ValueError("The linear formula needs a positive budget")
    return {key: max(_ZERO, _ONE - (price - lowest) / budget) for key, price in prices.items()}
