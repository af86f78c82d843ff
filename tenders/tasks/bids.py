"""Background tasks of the bids stage (e-mail notifications)."""

from __future__ import annotations
