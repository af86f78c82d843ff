"""Dates and money on pages as GOV.UK writes them: "15 February 2027", "£96,000" (pence only if any)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from commissioning.templatetags.money import pounds


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("96000.00"), "£96,000"),
        (Decimal("96000.5"), "£96,000.50"),
        ("145000.00", "£145,000"),
        (181000, "£181,000"),
        (Decimal("0.01"), "£0.01"),
        (None, ""),
    ],
)
def test_money_shows_pence_only_where_there_are_any(value: object, shown: str) -> None:
    assert pounds(value) == shown


def test_a_date_with_no_format_named_reads_in_full() -> None:
    template = Template("{{ day }}|{{ day|date }}|{{ moment|date }}|{{ moment }}")
    moment = datetime(2027, 2, 15, 17, 0, tzinfo=ZoneInfo("Europe/London"))
    rendered = template.render(Context({"day": date(2027, 2, 15), "moment": moment}))
    assert rendered == "15 February 2027|15 February 2027|15 February 2027|15 February 2027, 17:00"
