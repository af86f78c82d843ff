"""Working days and standstill (tenders/calendar.py), with England and Wales bank holidays."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenders.calendar import (
    add_working_days,
    earliest_contract_date,
    is_working_day,
    standstill_end,
    working_days_between,
)
from tenders.reference_data import DATA_DIR

HOLIDAYS = frozenset(
    date.fromisoformat(h["date"]) for h in json.loads((DATA_DIR / "bank_holidays.json").read_text())["holidays"]
)
days = st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 10, 31))
counts = st.integers(min_value=0, max_value=40)


@given(days, counts)
def test_the_result_is_a_working_day_the_right_number_of_working_days_later(start: date, n: int) -> None:
    end = add_working_days(start, n, HOLIDAYS)
    if n:
        assert is_working_day(end, HOLIDAYS)
        assert end > start
    assert working_days_between(start, end, HOLIDAYS) == n


@given(days.filter(lambda d: is_working_day(d, HOLIDAYS)), counts)
def test_counting_forward_then_back_returns_to_a_working_day(start: date, n: int) -> None:
    assert add_working_days(add_working_days(start, n, HOLIDAYS), -n, HOLIDAYS) == start


@given(days, st.integers(min_value=1, max_value=20))
def test_no_working_day_is_skipped(start: date, n: int) -> None:
    end = add_working_days(start, n, HOLIDAYS)
    skipped = [start + timedelta(days=i) for i in range(1, (end - start).days)]
    assert sum(is_working_day(d, HOLIDAYS) for d in skipped) == n - 1


@given(days, st.integers(min_value=8, max_value=20))
def test_a_standstill_holds_exactly_its_working_days_beginning_with_the_notice(notice: date, n: int) -> None:
    end = standstill_end(notice, n, holidays=HOLIDAYS)
    assert is_working_day(end, HOLIDAYS)
    period = [notice + timedelta(days=i) for i in range((end - notice).days + 1)]
    assert sum(is_working_day(d, HOLIDAYS) for d in period) == n
    assert earliest_contract_date(notice, n, holidays=HOLIDAYS) == end + timedelta(days=1)


def test_a_notice_on_the_friday_before_spring_bank_holiday() -> None:
    # Friday 22 May 2026 is day 1; Monday 25 May is a bank holiday; day 8 is Wednesday 3 June.
    assert standstill_end(date(2026, 5, 22), holidays=HOLIDAYS) == date(2026, 6, 3)
    assert earliest_contract_date(date(2026, 5, 22), holidays=HOLIDAYS) == date(2026, 6, 4)
    # Without the bank holiday it would end a day sooner.
    assert standstill_end(date(2026, 5, 22), holidays=set()) == date(2026, 6, 2)


def test_a_notice_at_the_weekend_starts_counting_on_monday() -> None:
    assert standstill_end(date(2026, 3, 7), holidays=HOLIDAYS) == date(2026, 3, 18)  # Saturday
    assert standstill_end(date(2026, 3, 9), holidays=HOLIDAYS) == date(2026, 3, 18)  # Monday


def test_christmas_2027_with_its_substitute_days() -> None:
    # Thursday 23 December 2027 is day 1, then 24; 25 to 28 are off (two substitute days), then 29,
    # 30, 31; Monday 3 January 2028 is New Year's substitute day, so days 6 to 8 are 4 to 6 January.
    assert standstill_end(date(2027, 12, 23), holidays=HOLIDAYS) == date(2028, 1, 6)


def test_zero_working_days_is_the_start_and_a_standstill_needs_one() -> None:
    assert add_working_days(date(2026, 3, 7), 0, HOLIDAYS) == date(2026, 3, 7)
    with pytest.raises(ValueError):
        standstill_end(date(2026, 3, 9), 0, holidays=HOLIDAYS)


def test_the_bank_holiday_data_has_eight_days_a_year_on_weekdays() -> None:
    for year in (2025, 2026, 2027, 2028):
        in_year = [d for d in HOLIDAYS if d.year == year]
        assert len(in_year) == 8, year
    assert all(d.weekday() < 5 for d in HOLIDAYS)
    assert {date(2026, 12, 28), date(2027, 12, 27), date(2027, 12, 28), date(2028, 1, 3)} <= HOLIDAYS
