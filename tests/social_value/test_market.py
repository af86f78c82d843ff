"""social_value.market: shares, concentration (top five share, Herfindahl–Hirschman index) and the
signals of extractive supply, as pure arithmetic: property tests beside examples."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from social_value import market

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e9"), places=2)
providers = st.lists(amounts, min_size=1, max_size=40)


@given(providers)
def test_hhi_lies_between_ten_thousand_over_n_and_ten_thousand(values: list[Decimal]) -> None:
    index = market.hhi(values)
    assert Fraction(10_000, len(values)) <= index <= 10_000


@given(providers)
def test_shares_add_up_to_exactly_one(values: list[Decimal]) -> None:
    assert sum(market.shares(values)) == 1


@given(providers, st.randoms())
def test_figures_do_not_depend_on_the_order_of_the_providers(values: list[Decimal], random: object) -> None:
    shuffled = list(values)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert market.hhi(shuffled) == market.hhi(values)
    assert market.top_share(shuffled) == market.top_share(values)
    assert sorted(market.shares(shuffled)) == sorted(market.shares(values))


@given(amounts)
def test_one_provider_has_an_index_of_ten_thousand_and_all_the_top_share(value: Decimal) -> None:
    assert market.hhi([value]) == 10_000
    assert market.top_share([value]) == 1
    assert market.concentration([value]).reading.level == "high"


@given(st.integers(min_value=1, max_value=60), amounts)
def test_n_equal_providers_have_an_index_of_ten_thousand_over_n(n: int, value: Decimal) -> None:
    assert market.hhi([value] * n) == Fraction(10_000, n)


@given(providers)
def test_the_index_from_the_database_sums_is_the_index_of_the_values(values: list[Decimal]) -> None:
    sums = market.concentration_from_sums(
        providers=len(values),
        total=sum(values),
        sum_of_squares=sum(v * v for v in values),
        top_total=sum(sorted(values, reverse=True)[:5]),
    )
    assert sums.hhi == market.hhi(values)
    assert sums.top_share == market.top_share(values)


@given(providers)
def test_the_top_five_share_is_a_share_and_at_least_five_over_n(values: list[Decimal]) -> None:
    top = market.top_share(values)
    assert min(Fraction(5, len(values)), Fraction(1)) <= top <= 1


@given(amounts, amounts, amounts, amounts)
def test_each_pair_of_provider_types_adds_up_to_the_whole(value: Decimal, a: Decimal, b: Decimal, c: Decimal) -> None:
    total = value + a + b + c
    totals = market.TypeTotals(value=total, local=a, sme=b, asset_locked=c, vcse=a, private_equity=Decimal(0))
    shares = market.type_shares(totals)
    assert shares.local + shares.non_local == 1
    assert shares.sme + shares.large == 1
    assert shares.asset_locked + shares.not_asset_locked == 1
    assert market.extractive_signals(totals).non_local == shares.non_local


def test_nothing_awarded_has_no_shares_and_no_concentration() -> None:
    assert market.shares([]) == []
    assert market.hhi([]) == 0
    assert market.top_share([]) == 0
    assert market.concentration([]).reading.level == "none"
    assert market.type_shares(market.TypeTotals(value=Decimal(0))).local == 0


def test_the_reading_follows_the_cma_thresholds() -> None:
    assert market.concentration_reading(1499).level == "unconcentrated"
    assert market.concentration_reading(1500).level == "moderate"
    assert market.concentration_reading(2500).level == "moderate"
    assert market.concentration_reading(2501).level == "high"
    assert "Unconcentrated" in market.concentration_reading(1000).words


def test_a_worked_example_of_concentration() -> None:
    # Given providers awarded 50, 30 and 20: shares 50%, 30%, 20%.
    c = market.concentration([Decimal(50), Decimal(30), Decimal(20)])
    # Then the index is 2,500 + 900 + 400 = 3,800: highly concentrated.
    assert (c.hhi, c.hhi_rounded, c.providers, c.top_share) == (3800, 3800, 3, 1)
    assert c.reading.level == "high"
    # And of seven providers the top five's share leaves out the two smallest.
    assert market.top_share([10, 10, 10, 10, 10, 5, 5]) == Fraction(50, 60)


def test_the_reserved_bands_local_share_counts_only_reserved_bands() -> None:
    bands = [
        market.BandTotals("Below £5,000", True, Decimal(1000), Decimal(750)),
        market.BandTotals("£5,000 to under £181,000", True, Decimal(3000), Decimal(3000)),
        market.BandTotals("£181,000 or more", False, Decimal(100_000), Decimal(0)),
    ]
    assert market.reserved_local_share(bands) == Fraction(3750, 4000)
    assert market.reserved_local_share(bands[2:]) is None


def test_percent_rounds_half_up() -> None:
    assert market.percent(Fraction(1, 8)) == Decimal("12.5")
    assert market.percent(Fraction(1, 3), 2) == Decimal("33.33")
    assert market.percent(Fraction(1, 400)) == Decimal("0.3")
    assert market.percent(None) is None


def test_the_chart_draws_each_share_on_a_fixed_axis_and_describes_it_in_words() -> None:
    from social_value import charts

    chart = charts.share_bars([("Local", Fraction(1, 4)), ("Large", Fraction(3, 4)), ("Reserved", None)])
    assert [bar.width for bar in chart.bars] == [charts.PLOT_WIDTH // 4, charts.PLOT_WIDTH * 3 // 4, 0]
    assert chart.description == "Local: 25.0%; Large: 75.0%; Reserved: no value."
    assert [p for _, p in chart.ticks] == [0, 25, 50, 75, 100]
    assert chart.bars[1].y > chart.bars[0].y and chart.height > chart.bottom
