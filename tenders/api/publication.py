"""API of publication, clarifications and the public notice.

``urlpatterns`` are included under /api/v1/ by tenders.api.urls. The opportunities are public (a
council's published tenders); asking a clarification question needs a signed-in provider.
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from commissioning.api.parsers import JSONParser
from commissioning.links import site_url
from commissioning.models import Council, Organisation
from tenders import selectors, services
from tenders.models import ClarificationQuestion, Tender
from tenders.serializers.publication import (
    AskedClarificationSerializer,
    ClarificationAskSerializer,
    ClarificationSerializer,
    OpportunityQuerySerializer,
    OpportunitySerializer,
    OpportunitySummarySerializer,
)
from tenders.specification import sanitise

__all__ = ["urlpatterns"]


def _council(request: Request) -> Council:
    return request._request.council  # type: ignore[attr-defined]


def _summary(request: Request, tender: Tender) -> dict[str, Any]:
    url = reverse("opportunity", kwargs={"council_slug": tender.council.slug, "tender_id": tender.pk})
    return {
        "id": tender.pk,
        "title": tender.title,
        "description": tender.description,
        "estimated_value": tender.estimated_value,
        "procedure": tender.procedure,
        "status": str(tender.status),
        "status_label": tender.status_label,
        "published_at": tender.published_at,
        "clarification_deadline": tender.clarification_deadline,
        "submission_deadline": tender.submission_deadline,
        "url": site_url(url),
    }


@extend_schema(tags=["opportunities"], parameters=[OpportunityQuerySerializer])
class OpportunityListView(generics.ListAPIView):
    """The council's published tenders, closing soonest first. Public."""

    permission_classes = [AllowAny]
    serializer_class = OpportunitySummarySerializer
    council_public = True

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Tender.objects.none()
        query = OpportunityQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.published_tenders(council=_council(self.request), **query.validated_data)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        rows = [_summary(request, tender) for tender in page]  # type: ignore[union-attr]
        return self.get_paginated_response(OpportunitySummarySerializer(rows, many=True).data)


@extend_schema(tags=["opportunities"], responses={200: OpportunitySerializer})
class OpportunityDetailView(generics.GenericAPIView):
    """The notice of a published tender: eligibility, lots, timetable, evaluation model, specification,
    documents, published questions and answers, and its published versions. Drafts are 404. Public."""

    permission_classes = [AllowAny]
    serializer_class = OpportunitySerializer
    council_public = True

    def get(self, request: Request, council_slug: str, tender_id: int) -> Response:
        council = _council(request)
        tender = selectors.published_tender_get(council=council, tender_id=tender_id)
        revisions = selectors.tender_revisions(tender=tender)
        latest = revisions[0] if revisions else None
        answer = selectors.tender_eligibility(tender=tender, organisation=None)
        band = answer.band
        data = {
            **_summary(request, tender),
            "version": latest.number if latest else 1,
            "planned_award_date": tender.planned_award_date,
            "standstill_days": tender.standstill_days,
            "eligibility": {
                "band": band.name if band else None,
                "notice": answer.notice,
                "reserved_for_local": bool(band and band.reserved_for_local),
                "reserved_for": sorted(band.reserved_for) if band else [],
            },
            "lots": [
                {
                    "title": lot.get("title", ""),
                    "description": lot.get("description", ""),
                    "estimated_value": lot.get("estimated_value"),
                }
                for lot in (latest.lots if latest else [])
            ],
            "evaluation_model": latest.evaluation_model if latest else [],
            "weighting_rationale": tender.weighting_rationale,
            "specification": [
                {"title": s.get("title", ""), "body": sanitise(s.get("body", ""))}
                for s in (latest.specification_version.sections if latest else [])
            ],
            "documents": [
                {
                    "id": d.pk,
                    "title": d.title,
                    "content_type": d.content_type,
                    "size": d.size,
                    "sha256": d.sha256,
                    "url": site_url(
                        reverse(
                            "opportunity_document",
                            kwargs={"council_slug": council.slug, "tender_id": tender.pk, "document_id": d.pk},
                        )
                    ),
                }
                for d in selectors.tender_documents(tender=tender)
            ],
            "clarifications": selectors.published_clarifications(tender=tender),
            "revisions": revisions,
        }
        return Response(OpportunitySerializer(data).data)


class OpportunityClarificationsView(generics.GenericAPIView):
    """Clarification questions on a published tender.

    GET: the published questions and answers (public; who asked is never given). POST: a signed-in
    member of a provider organisation asks a question for it, until the clarification deadline
    (by the server clock); after it the answer is 400 with the reason.
    """

    serializer_class = ClarificationSerializer
    queryset = ClarificationQuestion.objects.none()
    parser_classes = [JSONParser]
    council_public = True
    pagination_class = None

    def get_permissions(self) -> list[Any]:
        return [IsAuthenticated()] if self.request.method == "POST" else [AllowAny()]

    @extend_schema(tags=["opportunities"], responses={200: ClarificationSerializer(many=True)})
    def get(self, request: Request, council_slug: str, tender_id: int) -> Response:
        tender = selectors.published_tender_get(council=_council(request), tender_id=tender_id)
        return Response(ClarificationSerializer(selectors.published_clarifications(tender=tender), many=True).data)

    @extend_schema(
        tags=["opportunities"], request=ClarificationAskSerializer, responses={201: AskedClarificationSerializer}
    )
    def post(self, request: Request, council_slug: str, tender_id: int) -> Response:
        tender = selectors.published_tender_get(council=_council(request), tender_id=tender_id)
        serializer = ClarificationAskSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = (
            Organisation.objects.of_user(request.user).filter(pk=serializer.validated_data["organisation"]).first()
        )
        if organisation is None:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"organisation": ["Give the id of an organisation you belong to"]})
        question = services.clarification_ask(
            tender=tender, actor=request.user, organisation=organisation, question=serializer.validated_data["question"]
        )
        return Response(AskedClarificationSerializer(question).data, status=status.HTTP_201_CREATED)


urlpatterns: list[URLPattern] = [
    path("councils/<slug:council_slug>/opportunities/", OpportunityListView.as_view(), name="api_opportunities"),
    path(
        "councils/<slug:council_slug>/opportunities/<int:tender_id>/",
        OpportunityDetailView.as_view(),
        name="api_opportunity",
    ),
    path(
        "councils/<slug:council_slug>/opportunities/<int:tender_id>/clarifications/",
        OpportunityClarificationsView.as_view(),
        name="api_opportunity_clarifications",
    ),
]
