"""Possibly abnormally low prices ("loss leaders"). No Django here.

A price is flagged when it is below the council's threshold share (``abnormally_low_percent``,
70% by default) of the median of the **other** prices for the same lot, or of the estimated value
where there is one. A flag is not a decision: the commissioner asks the provider to explain and
then accepts the price or excludes the bid, with a reason, before the award (Procurement Act
2023, section 19). Each flag says why in words, so the page and the award report can show it.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import Decimal
from statistics import median
from typing import TypeVar

__all__ = ["abnormally_low"]

K = TypeVar("K", bound=Hashable)
_HUNDRED = Decimal(100)


def _money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def abnormally_low(
    prices: Mapping[K, Decimal], *, threshold_percent: Decimal, estimate: Decimal | None = None
) -> dict[K, str]:
    """The flagged prices of one lot, each with the reason in words; prices not flagged are absent."""
    flags: dict[K, str] = {}
    share = threshold_percent / _HUNDRED
    for key, price in prices.items():
        reasons: list[str] = []
        others = [other for other_key, other in prices.items() if other_key != key]
        if others:
            middle = Decimal(median(others))
            if price < share * middle:
                reasons.append(
                    f"{_money(price)} is below {threshold_percent.normalize():f}% of the median of the other "
                    f"prices ({_money(middle)})"
                )
        if estimate is not None and estimate > 0 and price < share * estimate:
            reasons.append(
                f"{_money(price)} is below {threshold_percent.normalize():f}% of the estimated value "
                f"({_money(estimate)})"
            )
        if reasons:
            flags[key] = "; ".join(reasons)
    return flags
