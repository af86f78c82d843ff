"""Social value accounted for (social_value.accounting): different units are never added together,
the verified share stays between 0 and 1, and £ appears only where a proxy exists."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from social_value.accounting import (
    OTHER_OUTCOME,
    OTHER_THEME,
    AccountRow,
    PeriodFigure,
    council_account,
    kpi_progress,
    proxy_totals,
    verified_share,
)

D = Decimal
quantities = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
proxies = st.one_of(
    st.none(), st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
)
rows = st.lists(
    st.builds(
        AccountRow,
        theme=st.sampled_from(["Jobs", "Environment"]),
        outcome=st.sampled_from(["Local skills", "Net zero"]),
        measure=st.sampled_from(["Apprentices", "Volunteering", "Trees"]),
        unit=st.sampled_from(["people", "hours", "weeks"]),
        year=st.sampled_from([2026, 2027]),
        quantity=quantities,
        proxy_value=proxies,
        proxy_source=st.sampled_from(["Council proxy list", "HACT"]),
        proxy_year=st.sampled_from([2024, 2025]),
    ),
    max_size=30,
)


@given(rows)
def test_each_total_adds_only_rows_of_its_own_measure_and_unit(found: list[AccountRow]) -> None:
    for theme in council_account(found):
        for outcome in theme.outcomes:
            units_seen = [(t.measure, t.unit) for t in outcome.totals]
            assert len(units_seen) == len(set(units_seen))
            for total in outcome.totals:
                mine = [
                    r
                    for r in found
                    if (r.theme, r.outcome, r.measure, r.unit)
                    == (theme.title, outcome.title, total.measure, total.unit)
                ]
                assert total.quantity == sum((r.quantity for r in mine), D(0))


@given(rows)
def test_pounds_come_only_from_rows_with_a_proxy_and_each_total_names_one_source_and_year(
    found: list[AccountRow],
) -> None:
    with_proxy = [r for r in found if r.proxy_value is not None]
    expected: dict[str, Decimal] = {}
    for r in with_proxy:
        label = f"{r.proxy_source}, {r.proxy_year}"
        expected[label] = expected.get(label, D(0)) + r.quantity * r.proxy_value  # type: ignore[operator]
    assert {t.label: t.pounds for t in proxy_totals(found)} == {k: v.quantize(D("0.01")) for k, v in expected.items()}
    labels = [t.label for t in proxy_totals(found)]
    assert len(labels) == len(set(labels))
    for theme in council_account(found):
        for outcome in theme.outcomes:
            for total in outcome.totals:
                mine = [
                    r
                    for r in found
                    if (r.theme, r.outcome, r.measure, r.unit)
                    == (theme.title, outcome.title, total.measure, total.unit)
                ]
                if any(r.proxy_value is None for r in mine):
                    assert total.proxy_pounds is None
                if total.proxy_pounds is not None:
                    assert total.proxy_label


@given(st.lists(st.tuples(st.integers(1, 12), quantities, st.booleans()), max_size=12))
def test_the_verified_share_is_between_0_and_1(figures: list[tuple[int, Decimal, bool]]) -> None:
    progress = kpi_progress(
        target=D(100), unit="hours", figures=[PeriodFigure(period=p, quantity=q, verified=v) for p, q, v in figures]
    )
    if progress.reported == 0:
        assert progress.share is None
    else:
        assert progress.share is not None and D(0) <= progress.share <= D(1)
    assert progress.verified <= progress.reported
    assert [running for _, running in progress.cumulative] == sorted(running for _, running in progress.cumulative)


def test_a_year_filters_the_rows_and_no_proxy_means_no_pounds() -> None:
    found = [
        AccountRow("Jobs", "Local skills", "Apprentices", "people", 2027, D(3), D("1000.00"), "Council list", 2025),
        AccountRow("Jobs", "Local skills", "Apprentices", "weeks", 2027, D(40)),
        AccountRow("Jobs", "Local skills", "Apprentices", "people", 2026, D(2), D("1000.00"), "Council list", 2025),
    ]
    (theme,) = council_account(found, year=2027)
    people, weeks = theme.outcomes[0].totals
    assert (people.quantity, people.proxy_pounds, people.proxy_label) == (D(3), D("3000.00"), "Council list, 2025")
    assert (weeks.quantity, weeks.proxy_pounds, weeks.proxy_label) == (D(40), None, "")
    (total,) = proxy_totals(found)
    assert (total.pounds, total.label, total.measures) == (D("5000.00"), "Council list, 2025", 1)
    assert verified_share(D(0), D(0)) is None
    assert verified_share(D(3), D(4)) == D("0.75")


@given(rows, st.integers(min_value=0, max_value=30))
def test_the_measures_providers_named_come_after_the_frameworks_themes(found: list[AccountRow], at: int) -> None:
    other = AccountRow(
        theme=OTHER_THEME,
        outcome=OTHER_OUTCOME,
        measure="Spend locally",
        unit="pounds",
        year=2026,
        quantity=D(5),
        proxy_value=None,
        proxy_source="",
        proxy_year=None,
    )
    mixed = [*found[:at], other, *found[at:]]
    titles = [theme.title for theme in council_account(mixed)]
    assert titles[-1] == OTHER_THEME and titles.count(OTHER_THEME) == 1
    # and the framework's themes keep the order the rows first name them
    assert titles[:-1] == [t for t in dict.fromkeys(r.theme for r in mixed) if t != OTHER_THEME]
