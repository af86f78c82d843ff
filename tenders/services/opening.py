"""Writes of bid opening on the council side."""

from __future__ import annotations

__all__: list[str] = []
