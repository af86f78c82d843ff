"""Reads of tenders: the council's tenders, one tender, its lots, its value band and its standstill.
Council-owned reads are always given the council.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from commissioning.models import Council
from tenders.calendar import standstill_end
from tenders.models import Criterion, Lot, Tender
from tenders.selectors.policy import BandAnswer, holiday_dates, organisation_eligibility

__all__ = [
    "tender_list",
    "tender_rows",
    "tender_get",
    "lot_get",
    "lots_over_value",
    "tender_band",
    "tender_standstill_end",
]


def tender_list(*, council: Council) -> QuerySet[Tender]:
    """The council's tenders, newest first, with their commissions."""
    return (
        Tender.objects.filter(council=council)
        .select_related("commission", "created_by")
        .prefetch_related(Prefetch("lots", queryset=Lot.objects.filter(council=council)))
        .order_by("-created_at", "-pk")
    )


# What a row of the council's tender list (page and API) shows: no text bodies, no lots.
TENDER_ROW_FIELDS = (
    "id",
    "council_id",
    "commission_id",
    "commission__id",
    "commission__title",
    "title",
    "estimated_value",
    "procedure",
    "published_at",
    "clarification_deadline",
    "submission_deadline",
    "created_at",
)


def tender_rows(*, council: Council) -> QuerySet[Tender]:
    """The council's tenders, newest first, with their commission's title: only the columns a row of
    the list shows (the page and the API paginate it)."""
    return (
        Tender.objects.filter(council=council)
        .select_related("commission")
        .only(*TENDER_ROW_FIELDS)
        .order_by("-created_at", "-pk")
    )


def tender_get(*, council: Council, tender_id: int) -> Tender:
    """One tender of the council (404 otherwise), with its lots and criteria."""
    tender = (
        tender_list(council=council)
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.filter(council=council)))
        .filter(pk=tender_id)
        .first()
    )
    if tender is None:
        raise Http404("No such tender")
    return tender


def lot_get(*, tender: Tender, lot_id: int) -> Lot:
    lot = Lot.objects.filter(council=tender.council_id, tender=tender, pk=lot_id).first()
    if lot is None:
        raise Http404("No such lot")
    return lot


def lots_over_value(*, tender: Tender, lots: Iterable[Lot] | None = None) -> Decimal | None:
    """By how much the lots' estimated values add up to more than the tender's, or None if they do not."""
    if lots is None:
        lots = Lot.objects.filter(council=tender.council_id, tender=tender)
    total = sum((lot.estimated_value for lot in lots if lot.estimated_value is not None), Decimal(0))
    return total - tender.estimated_value if total > tender.estimated_value else None


def tender_band(*, tender: Tender, on: date) -> BandAnswer:
    """The band of the tender's estimated value under the council's spend policy on ``on``, with its notice."""
    return organisation_eligibility(
        council=tender.council, organisation=None, estimated_value=tender.estimated_value, on=on
    )


def tender_standstill_end(*, tender: Tender) -> date | None:
    """The last day of the standstill if the award notice is published on the planned award date."""
    if tender.planned_award_date is None:
        return None
    start = tender.planned_award_date
    holidays = holiday_dates(between=(start, start + timedelta(days=7 * (tender.standstill_days + 10))))
    return standstill_end(start, tender.standstill_days, holidays=holidays)
