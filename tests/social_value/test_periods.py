"""An agreement's reporting periods (social_value.periods): they tile the agreement, with no gap
and no overlap, each at most the reporting period long, each due a fixed number of days after it ends."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from social_value.periods import DUE_DAYS, add_months, period_at, reporting_periods

starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
lengths = st.integers(min_value=0, max_value=3650)
months = st.sampled_from([1, 3, 6, 12])


@given(starts, lengths, months)
def test_periods_tile_the_agreement_without_gaps_or_overlaps(start: date, days: int, every: int) -> None:
    end = start + timedelta(days=days)
    periods = reporting_periods(start, end, every)
    assert periods[0].starts_on == start
    assert periods[-1].ends_on == end
    for earlier, later in zip(periods, periods[1:], strict=False):
        assert later.starts_on == earlier.ends_on + timedelta(days=1)
    assert [p.number for p in periods] == list(range(1, len(periods) + 1))
    assert sum((p.ends_on - p.starts_on).days + 1 for p in periods) == days + 1


@given(starts, lengths, months)
def test_each_period_is_at_most_its_months_long_and_only_the_last_is_shorter(
    start: date, days: int, every: int
) -> None:
    periods = reporting_periods(start, start + timedelta(days=days), every)
    for period in periods:
        assert period.starts_on <= period.ends_on
        assert (period.ends_on - period.starts_on).days + 1 <= every * 31
        assert period.due_on == period.ends_on + timedelta(days=DUE_DAYS)
    for period in periods[:-1]:
        assert (period.ends_on - period.starts_on).days + 1 >= every * 28
        assert period.ends_on == add_months(start, period.number * every) - timedelta(days=1)


def test_a_year_from_january_has_four_calendar_quarters() -> None:
    periods = reporting_periods(date(2027, 1, 1), date(2027, 12, 31), 3)
    assert [(p.starts_on, p.ends_on) for p in periods] == [
        (date(2027, 1, 1), date(2027, 3, 31)),
        (date(2027, 4, 1), date(2027, 6, 30)),
        (date(2027, 7, 1), date(2027, 9, 30)),
        (date(2027, 10, 1), date(2027, 12, 31)),
    ]
    assert periods[0].due_on == date(2027, 4, 30)


def test_a_start_on_the_31st_keeps_to_month_ends_and_never_drifts() -> None:
    periods = reporting_periods(date(2027, 1, 31), date(2027, 7, 30), 1)
    assert [p.starts_on for p in periods[:4]] == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]


def test_an_agreement_shorter_than_a_period_has_one_and_a_number_past_the_end_none() -> None:
    (only,) = reporting_periods(date(2027, 5, 10), date(2027, 6, 1), 12)
    assert (only.starts_on, only.ends_on) == (date(2027, 5, 10), date(2027, 6, 1))
    assert period_at(date(2027, 5, 10), date(2027, 6, 1), 12, 2) is None
    assert period_at(date(2027, 5, 10), date(2027, 6, 1), 12, 0) is None
    assert period_at(date(2027, 5, 10), date(2027, 6, 1), 12, 1) == only
