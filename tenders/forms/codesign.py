"""Forms of co-design: comment rounds on draft specifications, comments and replies."""

from __future__ import annotations
