"""``{{ share|percent }}``: a share (a fraction of 1) as the market pages show it, 12.5%; "–" for none."""

from __future__ import annotations

from fractions import Fraction

from django import template

from social_value.market import percent as as_percent

register = template.Library()


@register.filter
def percent(value: Fraction | None) -> str:
    shown = as_percent(value) if value is not None else None
    return "–" if shown is None else f"{shown}%"


@register.filter
def thousands(value: object) -> str:
    """An index as people read it: 1,523."""
    try:
        return f"{int(value):,}"  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return str(value)
