"""Background tasks of the codesign stage (e-mail notifications)."""

from __future__ import annotations
