"""Council-side API of tenders.

- ``councils/<slug>/tenders/``: the council's tenders (``tender.view``), filtered by status,
  commission and estimated value;
- ``…/tenders/<id>/``: one tender with its lots, timetable, evaluation model and band.

``urlpatterns`` are included under /api/v1/ by tenders.api.urls.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.urls import URLPattern, path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from commissioning.api.pagination import StandardPagination
from commissioning.api.views import CouncilAPIView
from tenders import kept, selectors
from tenders.api.summaries import tender_timeline, tender_timeline_json
from tenders.models import Tender
from tenders.public_cache import next_change
from tenders.serializers.tenders import TenderDetailSerializer, TenderQuerySerializer, TenderSummarySerializer
from tenders.timetable import Status, next_status_change

__all__ = [
    "urlpatterns",
]

T = TypeVar("T")


# The query values of the status filter (the statuses themselves have spaces: "open for bids").
_STATUS_BY_FILTER = {value.replace(" ", "_"): Status(value) for value in Status}


def _summary(tender: Tender) -> dict[str, Any]:
    return {
        "id": tender.pk,
        "title": tender.title,
        "commission": {"id": tender.commission_id, "title": tender.commission.title},
        **tender_timeline(tender),
    }


def _evaluation_model(tender: Tender) -> list[dict[str, Any]]:
    nodes: dict[int, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    named = selectors.criteria_framework_outcomes(tender=tender)
    for row in selectors.criteria_rows(tender=tender):  # tree order: a parent comes before its parts
        criterion = row.criterion
        node = {
            "id": criterion.pk,
            "title": criterion.title,
            "kind": criterion.kind,
            "weight": criterion.weight,
            "scale": criterion.scale,
            "minimum_score": criterion.minimum_score,
            "word_limit": criterion.word_limit,
            "guidance": criterion.guidance,
            "framework_outcomes": [selectors.framework_outcome_ref(o) for o in named.get(criterion.pk, [])],
            "children": [],
        }
        nodes[criterion.pk] = node
        parent = nodes.get(criterion.parent_id) if criterion.parent_id else None
        (parent["children"] if parent else roots).append(node)
    return roots


def _detail(tender: Tender) -> dict[str, Any]:
    on = timezone.localdate(tender.published_at) if tender.published_at else timezone.localdate()
    band = selectors.tender_band(tender=tender, on=on)
    return {
        **_summary(tender),
        "description": tender.description,
        "weighting_rationale": tender.weighting_rationale,
        "lots": [
            {
                "id": lot.pk,
                "title": lot.title,
                "description": lot.description,
                "estimated_value": lot.estimated_value,
                "position": lot.position,
            }
            for lot in tender.lots.all()
        ],
        "timetable": {
            "clarification_deadline": tender.clarification_deadline,
            "submission_deadline": tender.submission_deadline,
            "planned_award_date": tender.planned_award_date,
            "standstill_days": tender.standstill_days,
            "standstill_end": selectors.tender_standstill_end(tender=tender),
        },
        "evaluation_model": _evaluation_model(tender),
        "band": {"name": band.band.name if band.band else None, "notice": band.notice},
    }


class TenderAPIView(CouncilAPIView):
    """An endpoint of one council's tenders (the base of the council-side tender, specification and bid APIs)."""

    def get_queryset(self) -> QuerySet[Tender]:
        # Only the schema generator asks (for the type of the path's ids); the views use the selectors.
        return Tender.objects.none()

    def tender(self) -> Tender:
        return selectors.tender_get(council=self.council, tender_id=self.kwargs["tender_id"])


@extend_schema(tags=["tenders"], parameters=[TenderQuerySerializer])
class TenderListView(TenderAPIView, generics.ListAPIView):
    """The council's tenders, newest first, filtered by derived status, commission and estimated value."""

    serializer_class = TenderSummarySerializer
    council_permission = "tender.view"

    def get_queryset(self) -> QuerySet[Tender]:
        if getattr(self, "swagger_fake_view", False):
            return Tender.objects.none()
        return self._tenders(self._filters(), timezone.now())

    def _filters(self) -> dict[str, Any]:
        query = TenderQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return dict(query.validated_data)

    def _tenders(self, filters: dict[str, Any], now: datetime) -> QuerySet[Tender]:
        tenders = selectors.tender_rows(council=self.council)
        if "status" in filters:
            tenders = tenders.in_status(_STATUS_BY_FILTER[filters["status"]], at=now)
        if "commission" in filters:
            tenders = tenders.filter(commission_id=filters["commission"])
        if "min_value" in filters:
            tenders = tenders.filter(estimated_value__gte=filters["min_value"])
        if "max_value" in filters:
            tenders = tenders.filter(estimated_value__lte=filters["max_value"])
        return tenders

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A page of the council's tenders, kept per council and filters on the council's list shelf
        (``tenders.kept.COUNCIL``: renewed by any write to its tenders or commissions) until the
        first moment a row on the page changes status; filtered by status, until the first
        moment any of the council's tenders does (a tender may join or leave the status)."""
        filters = self._filters()
        now = timezone.now()
        council, council_slug = self.council, self.kwargs["council_slug"]
        asked = tuple(sorted((name, str(value)) for name, value in filters.items()))
        # Asked once, by the count or the page, whichever misses first.
        ends = functools.cache(lambda: next_change(now, council=council.pk)) if "status" in filters else None

        def rows(tenders: Sequence[Tender]) -> tuple[list[dict[str, Any]], datetime | None]:
            # The rows as TenderSummarySerializer writes _summary() (the schema), written directly:
            # a serializer pass over 50 nested rows was a fifth of the list's time.
            # test_tender_api_shape holds the two equal.
            written = [
                {
                    "id": t.pk,
                    "title": t.title,
                    "commission": {"id": t.commission_id, "title": t.commission.title},
                    **tender_timeline_json(t, now),
                }
                for t in tenders
            ]
            return written, next_status_change(tenders, now)

        def keep(parts: tuple[object, ...], work_out: Callable[[], T]) -> T:
            return kept.COUNCIL.kept(
                ("tenders api", *parts, asked, council_slug),
                now,
                work_out,
                scope=council.pk,
                ends=ends,
                until=lambda answer: answer[1] if isinstance(answer, tuple) else None,
            )

        paginator: StandardPagination = self.paginator  # type: ignore[assignment]
        written, _ = paginator.kept_page(request, keep=keep, objects=lambda: self._tenders(filters, now), make=rows)
        return paginator.get_paginated_response(written)


@extend_schema(tags=["tenders"], responses={200: TenderDetailSerializer})
class TenderDetailView(TenderAPIView, generics.GenericAPIView):
    """One tender: lots, timetable (UTC), the evaluation model as a tree, and its band of the spend policy."""

    serializer_class = TenderDetailSerializer
    council_permission = "tender.view"

    def get(self, request: Request, council_slug: str, tender_id: int) -> Response:
        return Response(TenderDetailSerializer(_detail(self.tender())).data)


# The council-side tender endpoints of every module start here.
PREFIX = "councils/<slug:council_slug>/tenders/"
urlpatterns: list[URLPattern] = [
    path(PREFIX, TenderListView.as_view(), name="api_council_tenders"),
    path(f"{PREFIX}<int:tender_id>/", TenderDetailView.as_view(), name="api_council_tender"),
]
