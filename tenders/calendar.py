"""Working days and the standstill period. No Django here: the bank holidays come in as data.

A **working day** is any day except a Saturday, a Sunday or a bank holiday (the holidays passed
in; the app loads England and Wales bank holidays from ``tenders/data/bank_holidays.json``).

The **standstill period** (Procurement Act 2023, section 51) is "eight working days beginning with
the day on which the contract award notice is published" (Cabinet Office guidance on contract
award notices and standstill). So the publication day is day 1 when it is a working day; a notice
published on a weekend or bank holiday starts counting on the next working day. The council may
not enter into the contract until the period has ended: the earliest day it may do so is the day
after :func:`standstill_end`. A council may choose a longer standstill, never a shorter one.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

MINIMUM_STANDSTILL_DAYS = 8
_DAY = timedelta(days=1)


def is_working_day(day: date, holidays: Collection[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays: Collection[date]) -> date:
    """The ``days``-th working day after ``start``; ``start`` itself is never counted.

    ``days=0`` gives ``start`` unchanged (working day or not); a negative number counts back, so
    from a working day, adding n working days and then adding -n brings you back where you began.
    """
    step = _DAY if days >= 0 else -_DAY
    remaining = abs(days)
    day = start
    while remaining:
        day += step
        if is_working_day(day, holidays):
            remaining -= 1
    return day


def working_days_between(start: date, end: date, holidays: Collection[date]) -> int:
    """How many working days are after ``start`` and on or before ``end`` (negative if ``end`` is earlier)."""
    if end < start:
        return -working_days_between(end, start, holidays)
    count = 0
    day = start
    while day < end:
        day += _DAY
        if is_working_day(day, holidays):
            count += 1
    return count


def standstill_end(notice_date: date, days: int = MINIMUM_STANDSTILL_DAYS, *, holidays: Collection[date]) -> date:
    """The last day of a standstill of ``days`` working days, beginning with the notice's publication day.

    Counting "beginning with" the publication day is the same as counting ``days`` working days
    after the day before it. The contract may be entered into from the next day.
    """
    if days < 1:
        raise ValueError("A standstill period is at least one working day")
    return add_working_days(notice_date - _DAY, days, holidays)


def earliest_contract_date(
    notice_date: date, days: int = MINIMUM_STANDSTILL_DAYS, *, holidays: Collection[date]
) -> date:
    """The first day the contract may be entered into: the day after the standstill ends."""
    return standstill_end(notice_date, days, holidays=holidays) + _DAY
