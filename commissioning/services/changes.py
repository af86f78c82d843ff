"""What every ``*_update(**changes)`` service checks first: that it was asked to change only fields it may change."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__: list[str] = []  # helpers for services, not services: not re-exported by ``commissioning.services``


def refuse_unknown_fields(changes: Mapping[str, Any], allowed: Iterable[str], *, what: str) -> None:
    """A programming error, not the user's: ``ValueError("Not <what>: a, b")`` naming the fields not allowed."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValueError(f"Not {what}: {', '.join(sorted(unknown))}")
