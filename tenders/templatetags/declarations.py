"""Template filters for bid declarations."""

from __future__ import annotations

from typing import Any

from django import template

from tenders import exclusion

register = template.Library()


@register.filter
def exclusion_ground_names(keys: Any) -> list[str]:
    """The names of the exclusion grounds a bid declared, in the Schedules' order."""
    return exclusion.names(list(keys)) if isinstance(keys, (list, tuple)) else []
