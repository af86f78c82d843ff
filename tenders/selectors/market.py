"""What tenders tell the social value market dashboard (issue 11, "Market shaping").

- :func:`agreement_market_facts`: at contract award, the winner's provider type as eligibility
  judged it (local against the council's local area, VCSE, SME) with its ownership, and the spend
  policy band the tender fell in (with an approved override's reservations), for the ledger's
  agreement to keep.
- :func:`tender_bid_figures`: bids per closed tender by provider type, per year, and the repeat
  single bidders, registered as the dashboard's bid figures (``social_value.market_sources``) in
  ``TendersConfig.ready()``. Only tenders whose submission deadline has passed are counted: before
  it, not even who is bidding may be learned. Database aggregates, three queries whatever the data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, ExtractYear

from commissioning.models import Council, Organisation
from commissioning.models.organisations import VCSE_FORMS, SizeBand
from social_value.market_sources import REPEAT_SINGLE_LISTED, BidFigures, BidsInYear, RepeatSingleBidder
from tenders import kept
from tenders.models import Bid, BidStatus, Tender
from tenders.selectors.policy import organisation_facts
from tenders.selectors.publication import tender_eligibilities

__all__ = ["agreement_market_facts", "tender_bid_figures"]


def agreement_market_facts(*, tender: Tender, organisation: Organisation) -> dict[str, Any]:
    """The market facts of a contract with ``organisation`` for ``tender``, as ``agreement_record``
    takes them: judged now, at award, and kept, so a later profile edit changes no past figure."""
    rule = tender_eligibilities(tenders=[tender])[tender.pk]
    facts = organisation_facts(organisation)
    ownership = organisation.ownership_facts
    band = rule.band
    return {
        "provider_local": bool(facts.postcode_districts & frozenset(rule.local_area)),
        "provider_vcse": facts.is_vcse,
        "provider_sme": facts.is_sme,
        "provider_asset_locked": ownership.asset_locked,
        "provider_private_equity": ownership.private_equity,
        "provider_ownership": ownership.ownership,
        "band_label": band.name if band is not None else "",
        "band_lower": band.lower if band is not None else None,
        "band_reserved_for_local": bool(band is not None and band.reserved_for_local),
    }


def _local(area: list[str]) -> Q:
    """A bidder registered or mainly operating in the area: a normalised postcode ("L36 9YU") starts
    with its district and a space. With no local area nobody is local (a condition no postcode meets)."""
    condition = Q(organisation__postcode="-")
    for district in area:
        condition |= Q(organisation__postcode__startswith=f"{district} ")
        condition |= Q(organisation__operating_postcode__startswith=f"{district} ")
    return condition


def _closed_tenders(council: Council, first_year: int, last_year: int, now: datetime) -> QuerySet[Tender]:
    return Tender.objects.filter(
        council=council,
        published_at__isnull=False,
        submission_deadline__isnull=False,
        submission_deadline__lte=now,
        submission_deadline__year__gte=first_year,
        submission_deadline__year__lte=last_year,
    )


def tender_bid_figures(council: Council, first_year: int, last_year: int, now: datetime) -> BidFigures:
    """Per calendar year of the submission deadline: closed tenders, their submitted bids by provider
    type (local to the council's area today, VCSE, SME, large), the tenders with one bid and with
    none; and the providers that were the only bidder for two or more tenders. Kept between
    requests until the council's tenders, bids or area change, or a tender closes (tenders.kept)."""
    return kept.kept_market(
        council,
        ("bid figures", first_year, last_year),
        now,
        lambda: _tender_bid_figures(council, first_year, last_year, now),
    )


def _tender_bid_figures(council: Council, first_year: int, last_year: int, now: datetime) -> BidFigures:
    area = list(council.local_area or [])
    bids = (
        Bid.objects.filter(
            council=council,
            status=BidStatus.SUBMITTED,
            tender__in=_closed_tenders(council, first_year, last_year, now).values("pk"),
        )
        .annotate(year=ExtractYear("tender__submission_deadline"))
        .values("year")
        .annotate(
            bids=Count("pk"),
            local=Count("pk", filter=_local(area)),
            vcse=Count("pk", filter=Q(organisation__legal_form__in=list(VCSE_FORMS))),
            large=Count("pk", filter=Q(organisation__size_band=SizeBand.LARGE)),
        )
        .order_by("year")
    )
    counted = (
        Bid.objects.filter(council=council, tender=OuterRef("pk"), status=BidStatus.SUBMITTED)
        .order_by()
        .values("tender")
        .annotate(n=Count("pk"))
        .values("n")
    )
    tenders = (
        _closed_tenders(council, first_year, last_year, now)
        .annotate(
            year=ExtractYear("submission_deadline"), n=Coalesce(Subquery(counted), 0, output_field=IntegerField())
        )
        .values("year")
        .annotate(
            competitions=Count("pk"),
            single=Count("pk", filter=Q(n=1)),
            none=Count("pk", filter=Q(n=0)),
        )
        .order_by("year")
    )
    by_year: dict[int, dict[str, int]] = {}
    for row in tenders:
        by_year[row["year"]] = {"competitions": row["competitions"], "single": row["single"], "none": row["none"]}
    for row in bids:
        by_year.setdefault(row["year"], {"competitions": 0, "single": 0, "none": 0}).update(
            bids=row["bids"], local=row["local"], vcse=row["vcse"], large=row["large"]
        )
    years = [
        BidsInYear(
            year=year,
            competitions=row["competitions"],
            bids=row.get("bids", 0),
            local_bids=row.get("local", 0),
            vcse_bids=row.get("vcse", 0),
            sme_bids=row.get("bids", 0) - row.get("large", 0),
            large_bids=row.get("large", 0),
            single_bid_competitions=row["single"],
            no_bid_competitions=row["none"],
        )
        for year, row in sorted(by_year.items())
    ]
    sole = Bid.objects.filter(council=council, tender=OuterRef("pk"), status=BidStatus.SUBMITTED).order_by("pk")
    repeats = (
        _closed_tenders(council, first_year, last_year, now)
        .annotate(n=Coalesce(Subquery(counted), 0, output_field=IntegerField()))
        .filter(n=1)
        .annotate(
            sole_id=Subquery(sole.values("organisation_id")[:1]),
            sole_name=Subquery(sole.values("organisation__name")[:1]),
        )
        .values("sole_id", "sole_name")
        .annotate(competitions=Count("pk"))
        .filter(competitions__gte=2)
        .order_by("-competitions", "sole_name", "sole_id")[:REPEAT_SINGLE_LISTED]
    )
    return BidFigures(
        key="tenders",
        title="Tenders",
        noun="tenders",
        years=years,
        repeat_single_bidders=[RepeatSingleBidder(r["sole_name"], r["competitions"]) for r in repeats],
    )
