"""Background tasks of the opening stage (e-mail notifications)."""

from __future__ import annotations
