"""``{{ criterion.weight|plain_number }}``: 50.00 -> "50", 12.50 -> "12.5" (never "5E+1")."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from tenders.weights import plain_number as _plain_number

register = template.Library()


@register.filter
def plain_number(value: object) -> str:
    if value is None or value == "":
        return ""
    try:
        return _plain_number(Decimal(str(value)))
    except InvalidOperation:
        return str(value)
