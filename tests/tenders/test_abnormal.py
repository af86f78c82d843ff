"""Property tests of the abnormally low flags (tenders/abnormal.py): a price is flagged exactly
when it is below the threshold share of the median of the others, or of the estimate."""

from __future__ import annotations

from decimal import Decimal
from statistics import median

from hypothesis import given
from hypothesis import strategies as st

from tenders.abnormal import abnormally_low

amounts = st.decimals(min_value=0, max_value=1_000_000, places=2, allow_nan=False, allow_infinity=False)
percents = st.decimals(min_value=1, max_value=100, places=2)
estimates = st.none() | st.decimals(min_value=Decimal("0.01"), max_value=1_000_000, places=2)


def _expected(prices: dict[int, Decimal], key: int, share: Decimal, estimate: Decimal | None) -> bool:
    others = [p for k, p in prices.items() if k != key]
    below_median = bool(others) and prices[key] < share * Decimal(median(others))
    below_estimate = estimate is not None and prices[key] < share * estimate
    return below_median or below_estimate


@given(prices=st.lists(amounts, max_size=10), percent=percents, estimate=estimates)
def test_flags_only_below_the_threshold(prices: list[Decimal], percent: Decimal, estimate: Decimal | None) -> None:
    keyed = dict(enumerate(prices))
    flags = abnormally_low(keyed, threshold_percent=percent, estimate=estimate)
    share = percent / 100
    assert set(flags) == {k for k in keyed if _expected(keyed, k, share, estimate)}
    assert all(reason for reason in flags.values())


@given(prices=st.lists(amounts, min_size=1, max_size=10), percent=percents)
def test_the_highest_price_is_never_flagged_against_the_others(prices: list[Decimal], percent: Decimal) -> None:
    keyed = dict(enumerate(prices))
    flags = abnormally_low(keyed, threshold_percent=percent)
    top = max(keyed, key=keyed.__getitem__)
    assert top not in flags


def test_a_loss_leader_is_flagged_with_the_reason_in_words() -> None:
    flags = abnormally_low(
        {"a": Decimal(100000), "b": Decimal(95000), "c": Decimal(40000)},
        threshold_percent=Decimal(70),
        estimate=Decimal(100000),
    )
    assert set(flags) == {"c"}
    assert "£40,000.00 is below 70% of the median of the other prices (£97,500.00)" in flags["c"]
    assert "below 70% of the estimated value (£100,000.00)" in flags["c"]


def test_a_single_price_is_judged_against_the_estimate_only() -> None:
    assert abnormally_low({"a": Decimal(10)}, threshold_percent=Decimal(70)) == {}
    assert set(abnormally_low({"a": Decimal(10)}, threshold_percent=Decimal(70), estimate=Decimal(100))) == {"a"}
