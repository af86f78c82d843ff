"""API of the public notice: the council's published tenders (public).

``urlpatterns`` are included under /api/v1/ by tenders.api.urls.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from commissioning.api.pagination import StandardPagination
from commissioning.links import site_url
from commissioning.models import Council
from tenders import public_cache, selectors
from tenders.api.summaries import tender_timeline
from tenders.links import RowUrl
from tenders.models import Tender
from tenders.serializers.publication import (
    OpportunityQuerySerializer,
    OpportunitySerializer,
    OpportunitySummarySerializer,
)
from tenders.specification import sanitise

__all__ = [
    "urlpatterns",
]

T = TypeVar("T")


def request_council(request: Request) -> Council:
    """The council of the URL (the tenancy middleware resolved it on the Django request)."""
    return request._request.council  # type: ignore[attr-defined]


def _summary(request: Request, tender: Tender, notice: RowUrl | None = None) -> dict[str, Any]:
    url = (notice or RowUrl("opportunity")).url(tender.council.slug, tender.pk)
    return {
        "id": tender.pk,
        "title": tender.title,
        "description": tender.description,
        **tender_timeline(tender),
        "url": site_url(url),
    }


# What a row of the list shows: the notice's body, lots and the rest are on each opportunity.
_SUMMARY_FIELDS = (
    "id",
    "council_id",
    "council__id",
    "council__slug",
    "title",
    "description",
    "estimated_value",
    "procedure",
    "published_at",
    "clarification_deadline",
    "submission_deadline",
)


@extend_schema(tags=["opportunities"], parameters=[OpportunityQuerySerializer])
class OpportunityListView(generics.ListAPIView):
    """The council's published tenders, closing soonest first. Public."""

    permission_classes = [AllowAny]
    serializer_class = OpportunitySummarySerializer
    council_public = True

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Tender.objects.none()
        return self._tenders(self._filters(), timezone.now())

    def _filters(self) -> dict[str, Any]:
        query = OpportunityQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return dict(query.validated_data)

    def _tenders(self, filters: dict[str, Any], now: datetime) -> QuerySet[Tender]:
        return selectors.published_tenders(council=request_council(self.request), now=now, **filters).only(
            *_SUMMARY_FIELDS
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A page of the council's published tenders: the same for everyone, so each page (and the
        count) is kept on the public shelf (``tenders.public_cache``) until a write to what it
        shows or the next moment one of the council's tenders changes status."""
        filters = self._filters()
        now = timezone.now()
        council = request_council(request)
        asked = tuple(sorted((name, str(value)) for name, value in filters.items()))

        def rows(tenders: Sequence[Tender]) -> list[dict[str, Any]]:
            notice = RowUrl("opportunity")  # one reverse() for the page's links
            summaries = [_summary(request, tender, notice) for tender in tenders]
            return json.loads(JSONRenderer().render(OpportunitySummarySerializer(summaries, many=True).data))

        @functools.cache
        def ends() -> datetime:  # asked once, by the count or the page, whichever misses first
            return public_cache.next_change(now, council=council.pk)

        def keep(parts: tuple[object, ...], work_out: Callable[[], T]) -> T:
            return public_cache.SHELF.kept(("opportunities api", *parts, asked, council.pk), now, work_out, ends=ends)

        paginator: StandardPagination = self.paginator  # type: ignore[assignment]
        written = paginator.kept_page(request, keep=keep, objects=lambda: self._tenders(filters, now), make=rows)
        return paginator.get_paginated_response(written)


@extend_schema(tags=["opportunities"], responses={200: OpportunitySerializer})
class OpportunityDetailView(generics.GenericAPIView):
    """The notice of a published tender: eligibility, lots, timetable, evaluation model, specification,
    documents, published questions and answers, and its published versions. Drafts are 404. Public."""

    permission_classes = [AllowAny]
    serializer_class = OpportunitySerializer
    council_public = True

    def get(self, request: Request, council_slug: str, tender_id: int) -> Response:
        council = request_council(request)
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


urlpatterns: list[URLPattern] = [
    path("councils/<slug:council_slug>/opportunities/", OpportunityListView.as_view(), name="api_opportunities"),
    path(
        "councils/<slug:council_slug>/opportunities/<int:tender_id>/",
        OpportunityDetailView.as_view(),
        name="api_opportunity",
    ),
]
