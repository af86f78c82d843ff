"""Demo data of the tenders app's publication stage. Called by tenders.demo.seed_tender_life; idempotent."""

from __future__ import annotations

from collections.abc import Mapping

from commissioning.models import Council


def seed(councils: Mapping[str, Council]) -> None:
    """Nothing yet."""
