"""Reads of bids on the provider side."""

from __future__ import annotations

__all__: list[str] = []
