"""Reads of publication: tender team, conflict declarations, approval, publication and revisions,
documents, eligibility overrides, clarification questions, the public notice."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from commissioning.models import Organisation
from tenders.models import Tender
from tenders.selectors.drafting import BandAnswer, organisation_eligibility

__all__: list[str] = ["tender_eligibility"]


def tender_eligibility(*, tender: Tender, organisation: Organisation | None, on: date | None = None) -> BandAnswer:
    """Who may bid for the tender, and (given an organisation) whether it may.

    The band is the one in force when the tender was published (or ``on``, or today, for a draft):
    a later change of the council's bands does not change an advertised opportunity.
    """
    if on is None:
        on = timezone.localdate(tender.published_at) if tender.published_at else timezone.localdate()
    return organisation_eligibility(
        council=tender.council, organisation=organisation, estimated_value=tender.estimated_value, on=on
    )
