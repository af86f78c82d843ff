"""An agreement's reporting periods: from its start and end dates and how often the provider reports.

Periods tile the agreement: the first starts on its first day, each starts the day after the one
before ends, the last ends on its last day (shorter when the agreement is not a whole number of
periods). A period runs ``months`` calendar months from the agreement's start (a start on the
31st counts to the month's last day where a month is shorter). A return is due ``due_days``
after its period ends. No Django imports: property-tested in tests/social_value/test_periods.py.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["DUE_DAYS", "Period", "add_months", "period_at", "reporting_periods"]

# A return is due this many days after its period ends (a month, as councils' contracts usually say).
DUE_DAYS = 30
# No agreement reports more often than this (100 years of quarters): a bound for bad dates.
MAX_PERIODS = 400


@dataclass(frozen=True)
class Period:
    number: int  # from 1
    starts_on: date
    ends_on: date
    due_on: date

    @property
    def label(self) -> str:
        """ "1 January 2027 to 31 March 2027"."""
        return f"{_day(self.starts_on)} to {_day(self.ends_on)}"

    def ended_by(self, today: date) -> bool:
        return self.ends_on < today


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def add_months(day: date, months: int) -> date:
    """``day`` moved on ``months`` calendar months, on the same day of the month or the month's last."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def reporting_periods(starts_on: date, ends_on: date, months: int, *, due_days: int = DUE_DAYS) -> list[Period]:
    """Every reporting period of an agreement running from ``starts_on`` to ``ends_on`` (inclusive)."""
    if months < 1:
        raise ValueError("A reporting period is at least a month")
    if ends_on < starts_on:
        return []
    periods: list[Period] = []
    number = 1
    start = starts_on
    while start <= ends_on and number <= MAX_PERIODS:
        # Counted from the agreement's start each time, so a short month never shifts later periods.
        end = min(add_months(starts_on, number * months) - timedelta(days=1), ends_on)
        periods.append(Period(number=number, starts_on=start, ends_on=end, due_on=end + timedelta(days=due_days)))
        start = end + timedelta(days=1)
        number += 1
    return periods


def period_at(starts_on: date, ends_on: date, months: int, number: int, *, due_days: int = DUE_DAYS) -> Period | None:
    """Period ``number`` of the agreement, or None when it has no such period."""
    if number < 1:
        return None
    periods = reporting_periods(starts_on, ends_on, months, due_days=due_days)
    return periods[number - 1] if number <= len(periods) else None
