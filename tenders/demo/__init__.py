"""Demo data of the tenders app, in the order a tender lives it: each demo council's local spend
policy and tender policy (``policies``), Knowsley's draft tender (``tender``) with its specification
and clause library (``specification``), then the later stages (``codesign``, ``publication``,
``bids``, ``opening``, ``evaluation``). Knowsley's scenario itself (bands, evaluation model, clauses) is plain data
in ``knowsley``, which the test worlds read too.

Called at the end of ``commissioning.demo.seed()``. Idempotent: a council that already has bands,
a tender policy or a demo tender keeps them.
"""

from __future__ import annotations

from collections.abc import Mapping

from commissioning.models import Council
from tenders.demo.policies import seed_spend_policies
from tenders.demo.specification import seed_specifications
from tenders.demo.tender import seed_tenders

__all__ = ["seed_specifications", "seed_spend_policies", "seed_tender_life", "seed_tenders"]


def seed_tender_life(councils: Mapping[str, Council]) -> None:
    """The later stages' demo data, in the order a tender lives them."""
    from tenders.demo import bids, codesign, evaluation, opening, publication

    for stage in (codesign, publication, bids, opening, evaluation):
        stage.seed(councils)
