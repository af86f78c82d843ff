"""Serializers of bids on the provider side."""

from __future__ import annotations
