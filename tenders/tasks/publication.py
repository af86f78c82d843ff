"""Background tasks of the publication stage (e-mail notifications)."""

from __future__ import annotations
