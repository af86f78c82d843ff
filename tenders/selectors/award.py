"""Reads of the award: each lot's results, recommendations, notice, challenges and contract; the public
award notices; and a provider's own assessment summaries.

Council reads take the tender (already read in its council's scope) and filter on its council; a
provider's reads are limited to the person's own organisations. Every function reads a constant
number of queries, whatever the number of bids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from commissioning.models import Council, Organisation, User
from commissioning.tenancy import platform_scope
from social_value.models import AgreementKind, SocialValueKPI
from social_value.selectors import kpis_by_source
from tenders.calendar import working_days_between
from tenders.models import (
    AssessmentSummary,
    AwardDecision,
    AwardNotice,
    AwardRecommendation,
    Bid,
    Challenge,
    Contract,
    Lot,
    Tender,
)
from tenders.selectors.policy import holiday_dates
from tenders.selectors.results import LotResult, RankedBid, tender_results

__all__: list[str] = [
    "AwardLot",
    "assessment_summaries_for_user",
    "assessment_summary_for_user",
    "award_lots",
    "award_notice_get",
    "award_recommendation_get",
    "award_tender",
    "challengeable_bids",
    "contract_kpis",
    "frozen_ranking",
    "lot_result",
    "public_award_notices",
    "recent_award_notices",
    "standstill_text",
    "working_days_left",
]


def award_tender(*, council: Council, tender_id: int) -> Tender:
    """One tender of the council for the award pages and API (404 otherwise)."""
    tender = Tender.objects.filter(council=council, pk=tender_id).select_related("evaluation").first()
    if tender is None:
        raise Http404("No such tender")
    tender.council = council
    return tender


def lot_result(*, tender: Tender, lot: Lot | None, results: list[LotResult] | None = None) -> LotResult:
    """The results of one lot (``lot`` None: the tender without lots), from helper scoring's selector."""
    lot_id = lot.pk if lot is not None else None
    for result in results if results is not None else tender_results(tender=tender).lots:
        if result.lot_id == lot_id:
            return result
    raise ValidationError({"lot": "There are no results for this lot"})


def _ranked_json(ranked: RankedBid, name: str) -> dict[str, Any]:
    return {
        "bid_id": ranked.bid_id,
        "organisation": name,
        "label": ranked.label,
        "total": str(ranked.total),
        "by_kind": {kind: str(points) for kind, points in ranked.by_kind.items()},
        "by_criterion": {str(pk): str(points) for pk, points in ranked.by_criterion.items()},
        "price": None if ranked.price is None else str(ranked.price),
        "rank": ranked.rank,
        "reasons": list(ranked.reasons),
    }


def frozen_ranking(*, tender: Tender, result: LotResult) -> list[dict[str, Any]]:
    """The lot's ranking as JSON with the organisations' names: what a recommendation is made on. One query."""
    names = dict(
        Bid.objects.filter(
            council=tender.council_id, tender=tender, pk__in=[ranked.bid_id for ranked in result.ranked]
        ).values_list("pk", "organisation__name")
    )
    return [_ranked_json(ranked, names.get(ranked.bid_id, ranked.label)) for ranked in result.ranked]


@dataclass
class AwardLot:
    """Where one lot's award stands: its results, its recommendations (newest first), the one
    waiting for a decision, the published notice, its challenges and the contract with its KPIs."""

    lot: Lot | None
    title: str
    result: LotResult | None
    ranking: list[dict[str, Any]] = field(default_factory=list)
    recommendations: list[AwardRecommendation] = field(default_factory=list)
    notice: AwardNotice | None = None
    challenges: list[Challenge] = field(default_factory=list)
    contract: Contract | None = None
    kpis: list[SocialValueKPI] = field(default_factory=list)

    @property
    def key(self) -> str:
        return str(self.lot.pk) if self.lot else "whole"

    @property
    def pending(self) -> AwardRecommendation | None:
        return next((r for r in self.recommendations if not r.decision), None)

    @property
    def approved(self) -> AwardRecommendation | None:
        return next((r for r in self.recommendations if r.decision == AwardDecision.APPROVED), None)

    @property
    def blockers(self) -> list[str]:
        return list(self.result.blockers) if self.result else ["The results are not available yet"]


def award_lots(*, tender: Tender, with_results: bool = True) -> list[AwardLot]:
    """Every lot's award, for the award page and API. Seven queries and the results', whatever the bids."""
    lots: list[Lot | None] = list(
        Lot.objects.filter(council=tender.council_id, tender=tender).order_by("position", "pk")
    )
    if not lots:
        lots = [None]
    results = tender_results(tender=tender).lots if with_results else []
    by_lot = {result.lot_id: result for result in results}
    recommendations = list(
        AwardRecommendation.objects.filter(council=tender.council_id, tender=tender)
        .select_related("recommended_by", "decided_by", "bid__organisation")
        .order_by("-recommended_at", "-pk")
    )
    notices = {
        notice.lot_id: notice
        for notice in AwardNotice.objects.filter(council=tender.council_id, tender=tender).select_related(
            "bid__organisation", "published_by", "suspended_by"
        )
    }
    challenges = list(
        Challenge.objects.filter(council=tender.council_id, notice__tender=tender)
        .select_related("bid__organisation", "raised_by")
        .order_by("raised_at", "pk")
    )
    contracts = {
        contract.notice_id: contract
        for contract in Contract.objects.filter(council=tender.council_id, tender=tender).select_related(
            "organisation", "entered_by"
        )
    }
    kpis = kpis_by_source(
        council=tender.council_id,
        kind=AgreementKind.CONTRACT,
        source_ids=[contract.pk for contract in contracts.values()],
    )
    names = dict(
        Bid.objects.filter(
            council=tender.council_id,
            tender=tender,
            pk__in=[ranked.bid_id for result in results for ranked in result.ranked],
        ).values_list("pk", "organisation__name")
    )
    rows = []
    for lot in lots:
        lot_id = lot.pk if lot else None
        result = by_lot.get(lot_id)
        notice = notices.get(lot_id)
        contract = contracts.get(notice.pk) if notice else None
        rows.append(
            AwardLot(
                lot=lot,
                title=lot.title if lot else tender.title,
                result=result,
                ranking=[_ranked_json(r, names.get(r.bid_id, r.label)) for r in result.ranked] if result else [],
                recommendations=[r for r in recommendations if r.lot_id == lot_id],
                notice=notice,
                challenges=[c for c in challenges if notice and c.notice_id == notice.pk],
                contract=contract,
                kpis=kpis[contract.pk] if contract else [],
            )
        )
    return rows


def award_recommendation_get(*, tender: Tender, recommendation_id: int) -> AwardRecommendation:
    recommendation = (
        AwardRecommendation.objects.filter(council=tender.council_id, tender=tender, pk=recommendation_id)
        .select_related("lot", "bid__organisation", "recommended_by", "decided_by")
        .first()
    )
    if recommendation is None:
        raise Http404("No such recommendation")
    recommendation.tender = tender
    return recommendation


def award_notice_get(*, tender: Tender, notice_id: int) -> AwardNotice:
    notice = (
        AwardNotice.objects.filter(council=tender.council_id, tender=tender, pk=notice_id)
        .select_related("lot", "bid__organisation")
        .first()
    )
    if notice is None:
        raise Http404("No such award notice")
    notice.tender = tender
    return notice


def contract_kpis(*, contract: Contract) -> list[SocialValueKPI]:
    return kpis_by_source(council=contract.council_id, kind=AgreementKind.CONTRACT, source_ids=[contract.pk])[
        contract.pk
    ]


def standstill_text(notice: AwardNotice) -> str:
    """The standstill in words: "8 working days, ending on Tuesday 15 December 2026"."""
    return f"{notice.standstill_days} working days, ending on {notice.standstill_end:%A %-d %B %Y}"


def working_days_left(notice: AwardNotice, today: date) -> int:
    """Working days of the standstill still to come, today included (0 once it has ended)."""
    if today > notice.standstill_end:
        return 0
    holidays = holiday_dates(between=(today, notice.standstill_end))
    return working_days_between(today - timedelta(days=1), notice.standstill_end, holidays)


def public_award_notices(*, tender: Tender) -> QuerySet[AwardNotice]:
    """The tender's published award notices, for anyone: the lot, the winner, the value, the standstill."""
    return (
        AwardNotice.objects.filter(council=tender.council_id, tender=tender)
        .select_related("lot", "bid__organisation", "contract")
        .order_by("lot__position", "lot_id", "pk")
    )


def recent_award_notices(*, council: Council, limit: int = 10) -> list[AwardNotice]:
    """The council's most recent award notices, newest first, at most ``limit``: only notices of an
    approved recommendation for a published tender (what the public award page shows), with the
    tender, the lot and the winner read in the same query (one query whatever the number)."""
    return list(
        AwardNotice.objects.filter(
            council=council,
            recommendation__decision=AwardDecision.APPROVED,
            tender__published_at__isnull=False,
        )
        .select_related("tender", "lot", "bid__organisation")
        .only(
            "id",
            "council_id",
            "tender_id",
            "lot_id",
            "bid_id",
            "value",
            "published_at",
            "suspended_at",
            "tender__id",
            "tender__title",
            "lot__id",
            "lot__title",
            "bid__id",
            "bid__organisation__id",
            "bid__organisation__name",
        )
        .order_by("-published_at", "-pk")[:limit]
    )


def challengeable_bids(*, tender: Tender, user: User) -> list[Bid]:
    """The person's organisations' submitted bids for this tender (who may challenge its award)."""
    return list(
        Bid.objects.filter(
            council=tender.council_id,
            tender=tender,
            status="submitted",
            organisation__in=Organisation.objects.of_user(user),
        ).select_related("organisation")
    )


def assessment_summaries_for_user(*, user: User) -> list[AssessmentSummary]:
    """The assessment summaries of every organisation the person belongs to, in every council, newest first.

    Deliberately across councils (platform_scope), like "Your bids": a provider bids to many
    councils and these are its own organisations' summaries only.
    """
    if not user.is_authenticated:
        return []
    with platform_scope():
        return list(
            AssessmentSummary.objects.filter(organisation__in=Organisation.objects.of_user(user))
            .select_related("organisation", "council", "tender", "notice")
            .defer("content")
            .order_by("-created_at", "-pk")
        )


def assessment_summary_for_user(*, user: User, summary_id: int) -> AssessmentSummary:
    """One assessment summary of the person's own organisations (404 for anyone else's)."""
    if not user.is_authenticated:
        raise Http404("No such assessment summary")
    with platform_scope():
        summary = (
            AssessmentSummary.objects.filter(pk=summary_id, organisation__in=Organisation.objects.of_user(user))
            .select_related("organisation", "council", "tender", "notice", "bid")
            .first()
        )
    if summary is None:
        raise Http404("No such assessment summary")
    return summary
