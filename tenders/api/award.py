"""API of the award, with the same rules as the pages.

Council side (``councils/<slug>/tenders/<id>/award/…``; 403 before the submission deadline):

- ``award/``: each lot's ranking (or its blockers), recommendations, notice, challenges and contract
  with its social value KPIs (``award.view``);
- ``award/recommendations/``: POST a recommendation (``award.recommend``);
- ``award/recommendations/<id>/decision/``: POST approve or send back (``award.approve``; four eyes: 403);
- ``award/notices/<id>/suspension/``: POST suspend with a reason (``award.suspend``);
- ``award/notices/<id>/contract/``: POST enter the contract after standstill (``contract.enter``);
- ``councils/<slug>/contracts/``: the council's contracts with their KPIs (``award.view``).

Public: ``councils/<slug>/opportunities/<id>/award/``, the award notices. A bidder's own
(``me/assessment-summaries/…``): their organisations' summaries only, and a challenge during standstill.

``urlpatterns`` are included under /api/v1/ by tenders.api.urls.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.urls import URLPattern, path
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commissioning.api.commissions import JSONOnly
from commissioning.api.parsers import JSONParser
from commissioning.tenancy import council_scope
from social_value.models import AgreementKind, SocialValueKPI
from social_value.selectors import kpis_by_source
from tenders import sealing
from tenders.api.publication import request_council
from tenders.api.tenders import PREFIX, TenderAPIView
from tenders.models import AssessmentSummary, AwardNotice, AwardRecommendation, Challenge, Contract, Lot, Tender
from tenders.sealing import Reader
from tenders.selectors import award as selectors
from tenders.serializers.award import (
    AssessmentSummaryListSerializer,
    AssessmentSummarySerializer,
    AwardDecisionSerializer,
    AwardSerializer,
    ChallengeCreateSerializer,
    ChallengeSerializer,
    ContractCreateSerializer,
    ContractSerializer,
    PublicAwardNoticeSerializer,
    RecommendationCreateSerializer,
    RecommendationSerializer,
    SuspensionSerializer,
)
from tenders.services import award as services

__all__ = ["urlpatterns"]

FOUR_EYES = OpenApiResponse(description="Four eyes: the recommender or an evaluator of the tender cannot decide")
CLASH = OpenApiResponse(description="Already decided, already pending, already awarded or already entered")


def _person(user: Any) -> str:
    return (user.name or user.email) if user else ""


def _recommendation(r: AwardRecommendation) -> dict[str, Any]:
    return {
        "id": r.pk,
        "lot": r.lot_id,
        "bid": r.bid_id,
        "organisation": r.bid.organisation.name if r.bid else None,
        "top_ranked_bid": r.top_ranked_bid_id,
        "reason": r.reason,
        "ranking": r.ranking,
        "recommended_by": _person(r.recommended_by),
        "recommended_at": r.recommended_at,
        "decision": r.decision,
        "decision_comment": r.decision_comment,
        "decided_by": _person(r.decided_by) or None,
        "decided_at": r.decided_at,
    }


def _public_notice(notice: AwardNotice, *, contract: bool) -> dict[str, Any]:
    return {
        "id": notice.pk,
        "lot": notice.lot_id,
        "lot_title": notice.lot.title if notice.lot else None,
        "winner": notice.bid.organisation.name if notice.bid else None,
        "value": notice.value,
        "published_at": notice.published_at,
        "standstill": {
            "working_days": notice.standstill_days,
            "ends_on": notice.standstill_end,
            "text": selectors.standstill_text(notice),
            "running": services.in_standstill(notice),
        },
        "suspended": notice.suspended_at is not None,
        "contract_entered": contract,
    }


def _kpi(kpi: SocialValueKPI) -> dict[str, Any]:
    return {
        **{key: getattr(kpi, key) for key in ("measure", "unit", "target", "due_by", "local", "notes")},
        "measure_version": kpi.measure_version_id,
        "other": kpi.measure_version_id is None,
    }


def _contract(contract: Contract, kpis: list[SocialValueKPI]) -> dict[str, Any]:
    return {
        "id": contract.pk,
        "notice": contract.notice_id,
        "tender": contract.tender_id,
        "lot": contract.lot_id,
        "title": contract.title,
        "provider": contract.organisation.name,
        "provider_id": contract.organisation_id,
        "value": contract.value,
        "start_date": contract.start_date,
        "end_date": contract.end_date,
        "entered_at": contract.entered_at,
        "social_value_kpis": [_kpi(k) for k in kpis],
    }


def _challenge(c: Challenge) -> dict[str, Any]:
    return {
        "id": c.pk,
        "notice": c.notice_id,
        "bid": c.bid_id,
        "organisation": c.bid.organisation.name,
        "reasons": c.reasons,
        "raised_at": c.raised_at,
    }


def _award(tender: Tender) -> dict[str, Any]:
    lots = []
    for lot in selectors.award_lots(tender=tender):
        notice = lot.notice
        lots.append(
            {
                "lot": lot.lot.pk if lot.lot else None,
                "title": lot.title,
                "blockers": lot.blockers,
                "ranking": lot.ranking,
                "recommendations": [_recommendation(r) for r in lot.recommendations],
                "notice": None
                if notice is None
                else {
                    **_public_notice(notice, contract=lot.contract is not None),
                    "audit_hash": notice.audit_hash,
                    "suspension_reason": notice.suspension_reason,
                },
                "challenges": [_challenge(c) for c in lot.challenges],
                "contract": _contract(lot.contract, lot.kpis) if lot.contract else None,
            }
        )
    return {"tender": tender.pk, "lots": lots}


class _AwardAPIView(TenderAPIView):
    def tender(self) -> Tender:
        tender = selectors.award_tender(council=self.council, tender_id=self.kwargs["tender_id"])
        if not sealing.may_unseal(tender, Reader.COUNCIL):
            raise PermissionDenied("Bids for this tender are sealed until the submission deadline.")
        return tender


@extend_schema(tags=["award"], responses={200: AwardSerializer})
class AwardView(_AwardAPIView, generics.GenericAPIView):
    """The tender's award, lot by lot (commissioners, officers, admins). After the deadline only."""

    serializer_class = AwardSerializer
    council_permission = "award.view"

    def get(self, request: Request, council_slug: str, tender_id: int) -> Response:
        return Response(AwardSerializer(_award(self.tender())).data)


@extend_schema(
    tags=["award"],
    request=RecommendationCreateSerializer,
    responses={201: RecommendationSerializer, 409: CLASH},
)
class RecommendationCreateView(JSONOnly, _AwardAPIView, generics.GenericAPIView):
    """Recommend the award of a lot (commissioners): normally the top-ranked bid; another bid, or no
    award (``bid`` null), needs a ``reason``. 400 with the blockers while the results are not final."""

    serializer_class = RecommendationCreateSerializer
    council_permission = "award.recommend"

    def post(self, request: Request, council_slug: str, tender_id: int) -> Response:
        tender = self.tender()
        body = RecommendationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        lot = None
        if data["lot"] is not None:
            lot = Lot.objects.filter(council=tender.council_id, tender=tender, pk=data["lot"]).first()
            if lot is None:
                raise Http404("No such lot")
        recommendation = services.award_recommend(
            tender=tender, lot=lot, actor=request.user, bid_id=data["bid"], reason=data.get("reason", "")
        )
        recommendation = selectors.award_recommendation_get(tender=tender, recommendation_id=recommendation.pk)
        return Response(RecommendationSerializer(_recommendation(recommendation)).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["award"],
    request=AwardDecisionSerializer,
    responses={200: RecommendationSerializer, 403: FOUR_EYES, 409: CLASH},
)
class DecisionView(JSONOnly, _AwardAPIView, generics.GenericAPIView):
    """Approve (publishing the award notice and the assessment summaries) or send back (with a ``comment``)."""

    serializer_class = AwardDecisionSerializer
    council_permission = "award.approve"

    def post(self, request: Request, council_slug: str, tender_id: int, recommendation_id: int) -> Response:
        tender = self.tender()
        recommendation = selectors.award_recommendation_get(tender=tender, recommendation_id=recommendation_id)
        body = AwardDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.award_decide(
            recommendation=recommendation,
            actor=request.user,
            approve=body.validated_data["decision"] == "approve",
            comment=body.validated_data.get("comment", ""),
        )
        recommendation = selectors.award_recommendation_get(tender=tender, recommendation_id=recommendation_id)
        return Response(RecommendationSerializer(_recommendation(recommendation)).data)


@extend_schema(tags=["award"], request=SuspensionSerializer, responses={200: AwardSerializer, 409: CLASH})
class SuspensionView(JSONOnly, _AwardAPIView, generics.GenericAPIView):
    """Suspend the award with the ``reason`` (officers): the contract cannot then be entered."""

    serializer_class = SuspensionSerializer
    council_permission = "award.suspend"

    def post(self, request: Request, council_slug: str, tender_id: int, notice_id: int) -> Response:
        tender = self.tender()
        notice = selectors.award_notice_get(tender=tender, notice_id=notice_id)
        body = SuspensionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.award_suspend(notice=notice, actor=request.user, reason=body.validated_data["reason"])
        return Response(AwardSerializer(_award(tender)).data)


@extend_schema(tags=["award"], request=ContractCreateSerializer, responses={201: ContractSerializer, 409: CLASH})
class ContractCreateView(JSONOnly, _AwardAPIView, generics.GenericAPIView):
    """Enter the contract (officers) once the standstill has ended without suspension (400 before, with
    the day it may be). The winning bid's social value commitments become its KPIs."""

    serializer_class = ContractCreateSerializer
    council_permission = "contract.enter"

    def post(self, request: Request, council_slug: str, tender_id: int, notice_id: int) -> Response:
        tender = self.tender()
        notice = selectors.award_notice_get(tender=tender, notice_id=notice_id)
        body = ContractCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        contract = services.contract_enter(
            notice=notice,
            actor=request.user,
            value=data["value"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            reporting_period=data["reporting_period"],
        )
        contract = Contract.objects.select_related("organisation").get(council=tender.council_id, pk=contract.pk)
        return Response(
            ContractSerializer(_contract(contract, selectors.contract_kpis(contract=contract))).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["award"], responses={200: ContractSerializer(many=True)})
class ContractListView(TenderAPIView, generics.ListAPIView):
    """The council's contracts, newest first, each with its social value KPIs."""

    serializer_class = ContractSerializer
    council_permission = "award.view"

    def get_queryset(self) -> QuerySet[Contract]:
        if getattr(self, "swagger_fake_view", False):
            return Contract.objects.none()
        return (
            Contract.objects.filter(council=self.council).select_related("organisation").order_by("-entered_at", "-pk")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = list(self.paginate_queryset(self.get_queryset()) or [])
        kpis = kpis_by_source(council=self.council, kind=AgreementKind.CONTRACT, source_ids=[c.pk for c in page])
        rows = [_contract(c, kpis[c.pk]) for c in page]
        return self.get_paginated_response(ContractSerializer(rows, many=True).data)


# --- Public ----------------------------------------------------------------------------------------------


@extend_schema(tags=["opportunities"], responses={200: PublicAwardNoticeSerializer(many=True)})
class PublicAwardNoticeView(generics.GenericAPIView):
    """The tender's award notices, for anyone: per lot the winner, the value, the date, and the
    standstill in working days with its last day. An empty list until it is awarded."""

    permission_classes = [AllowAny]
    serializer_class = PublicAwardNoticeSerializer
    council_public = True
    pagination_class = None

    def get_queryset(self) -> QuerySet[AwardNotice]:
        return AwardNotice.objects.none()  # the schema generator only; the view reads the selector

    def get(self, request: Request, council_slug: str, tender_id: int) -> Response:
        council = request_council(request)
        tender = Tender.objects.filter(council=council, pk=tender_id, published_at__isnull=False).first()
        if tender is None:
            raise Http404("No such opportunity")
        rows = [
            _public_notice(n, contract=hasattr(n, "contract")) for n in selectors.public_award_notices(tender=tender)
        ]
        return Response(PublicAwardNoticeSerializer(rows, many=True).data)


# --- A bidder's own --------------------------------------------------------------------------------------


def _summary_row(summary: AssessmentSummary) -> dict[str, Any]:
    return {
        "id": summary.pk,
        "council": summary.council.slug,
        "tender": summary.tender_id,
        "tender_title": summary.tender.title,
        "organisation": summary.organisation.name,
        "successful": summary.successful,
        "published_at": summary.notice.published_at,
        "standstill_end": summary.notice.standstill_end,
    }


class _MineView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]


@extend_schema(tags=["award"])
class MyAssessmentSummaryListView(_MineView):
    @extend_schema(responses={200: AssessmentSummaryListSerializer(many=True)}, operation_id="me_assessment_summaries")
    def get(self, request: Request) -> Response:
        """The assessment summaries of my organisations, in every council, newest first."""
        rows = [_summary_row(s) for s in selectors.assessment_summaries_for_user(user=request.user)]  # type: ignore[arg-type]
        return Response(AssessmentSummaryListSerializer(rows, many=True).data)


@extend_schema(tags=["award"])
class MyAssessmentSummaryView(_MineView):
    @extend_schema(responses={200: AssessmentSummarySerializer}, operation_id="me_assessment_summary")
    def get(self, request: Request, summary_id: int) -> Response:
        """One of my organisations' assessment summaries (404 for anyone else's)."""
        summary = selectors.assessment_summary_for_user(user=request.user, summary_id=summary_id)  # type: ignore[arg-type]
        content = summary.content
        data = {
            **_summary_row(summary),
            "why": content.get("why", ""),
            "not_assessed_reason": content.get("not_assessed_reason", ""),
            "bidder": content.get("bidder"),
            "winner": content.get("winner"),
            "rows": content.get("rows", []),
            "notice": summary.notice_id,
        }
        return Response(AssessmentSummarySerializer(data).data)


@extend_schema(tags=["award"])
class MyChallengeView(_MineView):
    @extend_schema(
        request=ChallengeCreateSerializer,
        responses={201: ChallengeSerializer},
        operation_id="me_assessment_summary_challenge",
    )
    def post(self, request: Request, summary_id: int) -> Response:
        """Challenge the award this summary is of, with ``reasons``, during its standstill (400 after)."""
        summary = selectors.assessment_summary_for_user(user=request.user, summary_id=summary_id)  # type: ignore[arg-type]
        body = ChallengeCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with council_scope(summary.council_id):
            notice = AwardNotice.objects.get(council=summary.council_id, pk=summary.notice_id)
            challenge = services.challenge_raise(
                notice=notice,
                bid=summary.bid,
                actor=request.user,  # type: ignore[arg-type]
                reasons=body.validated_data["reasons"],
                now=timezone.now(),
            )
            challenge = Challenge.objects.select_related("bid__organisation").get(pk=challenge.pk)
            return Response(ChallengeSerializer(_challenge(challenge)).data, status=status.HTTP_201_CREATED)


AWARD = f"{PREFIX}<int:tender_id>/award/"
urlpatterns: list[URLPattern] = [
    path(AWARD, AwardView.as_view(), name="api_award"),
    path(f"{AWARD}recommendations/", RecommendationCreateView.as_view(), name="api_award_recommendations"),
    path(
        f"{AWARD}recommendations/<int:recommendation_id>/decision/",
        DecisionView.as_view(),
        name="api_award_decision",
    ),
    path(f"{AWARD}notices/<int:notice_id>/suspension/", SuspensionView.as_view(), name="api_award_suspension"),
    path(f"{AWARD}notices/<int:notice_id>/contract/", ContractCreateView.as_view(), name="api_award_contract"),
    path("councils/<slug:council_slug>/contracts/", ContractListView.as_view(), name="api_contracts"),
    path(
        "councils/<slug:council_slug>/opportunities/<int:tender_id>/award/",
        PublicAwardNoticeView.as_view(),
        name="api_opportunity_award",
    ),
    path("me/assessment-summaries/", MyAssessmentSummaryListView.as_view(), name="api_my_assessment_summaries"),
    path(
        "me/assessment-summaries/<int:summary_id>/",
        MyAssessmentSummaryView.as_view(),
        name="api_my_assessment_summary",
    ),
    path(
        "me/assessment-summaries/<int:summary_id>/challenges/",
        MyChallengeView.as_view(),
        name="api_my_assessment_summary_challenge",
    ),
]
