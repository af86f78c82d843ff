"""Council-side API of a tender's results.

- ``councils/<slug>/tenders/<id>/results/``: the ranking of every lot with its blockers and its
  sensitivity to the social value weight (exact tipping points included);
- ``…/why/``: "Why this bidder won": the results plus every individual and moderated score with
  its words, the weights' approval, the price formula and the award's approvals.

Commissioners and officers (``results.view``); 403 (code ``permission_denied``) before the
submission deadline, when who bid is sealed. ``urlpatterns`` are included under /api/v1/ by
tenders.api.urls.
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from typing import Any

from django.urls import URLPattern, path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from social_value.sensitivity import Sensitivity
from tenders import selectors
from tenders.api.tenders import PREFIX, TenderAPIView
from tenders.selectors.results import LotResult, TenderResults
from tenders.serializers.results import TenderResultsSerializer, WhySerializer

__all__ = ["urlpatterns"]

SEALED = OpenApiResponse(description="The submission deadline has not passed: who bid is sealed")
_FOUR = Decimal("0.0001")


def _sensitivity(analysis: Sensitivity | None) -> dict[str, Any] | None:
    if analysis is None:
        return None
    return {
        "available": analysis.available,
        "note": analysis.note,
        "set_weight": analysis.set_weight,
        "maximum_weight": analysis.maximum_weight,
        "minimum_weight": analysis.minimum_weight,
        "winner_at_set": analysis.winner_at_set,
        "winner_at_minimum": analysis.winner_at_minimum,
        "tipping_points": [
            {
                "weight": (Decimal(tip.weight.numerator) / Decimal(tip.weight.denominator)).quantize(_FOUR),
                "exact": tip.exact_text,
                "before": tip.before,
                "after": tip.after,
                "at": tip.at,
            }
            for tip in analysis.tipping_points
        ],
        "points": [
            {
                "weight": point.weight,
                "winner": point.winner,
                "totals": [
                    {"bid_id": bid_id, "total": total, "rank": point.ranks.get(bid_id)}
                    for bid_id, total in point.totals.items()
                ],
            }
            for point in analysis.points
        ],
        "lines": [
            {
                "bid_id": line.bid_id,
                "eligible": line.eligible,
                "at_zero": line.at_zero,
                "at_set": line.at_set,
                "at_maximum": line.at_maximum,
                "intercept": str(line.intercept),
                "slope": str(line.slope),
            }
            for line in analysis.lines
        ],
    }


def _lot(lot: LotResult) -> dict[str, Any]:
    return {
        "lot_id": lot.lot_id,
        "title": lot.title,
        "winner_bid_id": lot.winner_bid_id,
        "blockers": lot.blockers,
        "ranked": [
            {
                "bid_id": bid.bid_id,
                "label": bid.label,
                "rank": bid.rank,
                "total": bid.total,
                "by_kind": bid.by_kind,
                "by_criterion": [{"criterion_id": key, "points": value} for key, value in bid.by_criterion.items()],
                "price": bid.price,
                "reasons": list(bid.reasons),
                "tie_broken": bid.tie_broken,
            }
            for bid in lot.ranked
        ],
        "sensitivity": _sensitivity(lot.sensitivity),
    }


def results_data(results: TenderResults) -> dict[str, Any]:
    """The results as the API (and the award report) give them."""
    return {
        "tender_id": results.tender_id,
        "blind": results.blind,
        "tie_break": results.tie_break,
        "social_value_weight": results.social_value_weight,
        "minimum_social_value_weight": results.minimum_social_value_weight,
        "panel_advice_only": results.panel_advice_only,
        "criteria": [asdict(criterion) for criterion in results.criteria],
        "lots": [_lot(lot) for lot in results.lots],
    }


class _ResultsAPIView(TenderAPIView, generics.GenericAPIView):
    council_permission = "results.view"

    def tender_row(self) -> Any:
        return selectors.opening_tender(council=self.council, tender_id=self.kwargs["tender_id"])


@extend_schema(tags=["results"], responses={200: TenderResultsSerializer, 403: SEALED})
class TenderResultsView(_ResultsAPIView):
    """The ranking of every lot (totals out of 100, points per kind and criterion, who is not ranked
    and why), what blocks an award, and the sensitivity to the social value weight: the ranking at
    21 weights, the exact tipping points and who would have won at the council's minimum weight."""

    serializer_class = TenderResultsSerializer

    def get(self, request: Request, council_slug: str, tender_id: int) -> Response:
        results = selectors.tender_results(tender=self.tender_row())
        return Response(TenderResultsSerializer(results_data(results)).data)


@extend_schema(tags=["results"], responses={200: WhySerializer, 403: SEALED})
class WhyThisBidderWonView(_ResultsAPIView):
    """Why this bidder won: the results, the weights' rationale and approver, every individual score
    with its justification, the moderated scores with their rationales, the price formula in words,
    the citizen panel's state and the award's recommendations, approvals and audit hash."""

    serializer_class = WhySerializer

    def get(self, request: Request, council_slug: str, tender_id: int) -> Response:
        why = selectors.why_this_bidder_won(tender=self.tender_row())
        data = {
            "results": results_data(why.results),
            "weighting_rationale": why.weighting_rationale,
            "approved_by": why.approved_by,
            "approved_at": why.approved_at,
            "price_formula": why.price_formula,
            "individual_scores": [asdict(score) for scores in why.individual.values() for score in scores],
            "moderated_scores": [asdict(row) for row in why.moderated.values()],
            "awards": [asdict(award) for award in why.awards],
            "panel": why.panel,
        }
        return Response(WhySerializer(data).data)


urlpatterns: list[URLPattern] = [
    path(f"{PREFIX}<int:tender_id>/results/", TenderResultsView.as_view(), name="api_tender_results"),
    path(f"{PREFIX}<int:tender_id>/why/", WhyThisBidderWonView.as_view(), name="api_tender_why"),
]
