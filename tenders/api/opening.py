"""Council-side API of the bids after the deadline.

- ``councils/<slug>/tenders/<id>/bids/`` and ``…/bids/<bid_id>/``: the bids (``bids.view``): before the
  submission deadline a 403 saying they are sealed, with how many were received; after it, the
  bids with their content, decrypted through ``tenders.sealing``, 25 a page (``page_size`` up to
  100): only the page returned is read and decrypted;
- ``…/bids/<bid_id>/compliance/``: POST the compliance decision (``bids.mark_compliance``).

``urlpatterns`` are included under /api/v1/ by tenders.api.urls.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from commissioning.api.commissions import JSONOnly
from commissioning.api.pagination import StandardPagination
from tenders import exclusion, kept, sealing, selectors, services
from tenders.api.summaries import api_time
from tenders.api.tenders import PREFIX, TenderAPIView
from tenders.models import Bid, Tender
from tenders.sealing import Reader
from tenders.selectors.opening import OpenedBid
from tenders.serializers.opening import ComplianceSerializer, OpenedBidSerializer, SealedSerializer
from tenders.weights import plain_number

__all__ = ["urlpatterns"]


SEALED_RESPONSE = OpenApiResponse(
    SealedSerializer, description="The submission deadline has not passed: the bids are sealed"
)


def _decimal_text(value: Decimal | None) -> str | None:
    return None if value is None else plain_number(value)


# The bids' JSON is :func:`_opened`'s dicts as they are: already the shape and the types that
# :class:`OpenedBidSerializer` documents (the schema), with times and yes/no answers written as its
# fields write them. Walking 25 nested bids through the serializer again cost a fifth of the list's
# time; tests/tenders/test_opening_api_shape.py checks that both give the same JSON.
_FLAG = serializers.BooleanField(allow_null=True)


def _flag(value: Any) -> bool | None:
    """A yes/no the bidder declared (JSON from the sealed content), as a BooleanField writes it."""
    return None if value is None else _FLAG.to_representation(value)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _opened(opened: OpenedBid, *, council_slug: str, tender: Tender) -> dict[str, Any]:
    bid, submission = opened.bid, opened.submission
    table = opened.commitment_table

    def download(attachment_id: int) -> str:
        return reverse(
            "opening_attachment",
            kwargs={
                "council_slug": council_slug,
                "tender_id": tender.pk,
                "bid_id": bid.pk,
                "attachment_id": attachment_id,
            },
        )

    declarations = opened.declarations
    return {
        "id": bid.pk,
        "organisation": {
            "id": opened.organisation.pk,
            "name": opened.organisation.name,
            "legal_form": _text(opened.organisation.legal_form),
            "postcode": _text(opened.organisation.postcode),
        },
        "receipt": None
        if submission is None
        else {
            "reference": submission.reference,
            "number": submission.number,
            "submitted_at": api_time(submission.submitted_at),
            "sha256": submission.sha256,
            "revision_number": submission.revision_number,
        },
        "eligibility": {
            "eligible": opened.eligibility.eligible,
            "reasons": [str(r) for r in opened.eligibility.reasons],
        },
        "checks": [{"label": c.label, "passed": c.passed, "detail": c.detail} for c in opened.checks],
        "compliance": _text(bid.compliance),
        "compliance_reason": bid.compliance_reason,
        "compliance_by": bid.compliance_by.email if bid.compliance_by else None,
        "compliance_at": api_time(bid.compliance_at),
        "answers": [
            {
                "question_id": a.key,
                "title": a.title,
                "text": a.text,
                "attachment_ids": [x.pk for x in a.attachments],
            }
            for a in opened.answers
        ],
        "prices": [{"lot_id": p.key, "title": p.title, "price": p.price} for p in opened.prices],
        "commitments": [
            {
                "measure": row.measure,
                "quantity": row.quantity_text,
                "unit": row.unit,
                "by": row.by,
                "measure_version": row.measure_version,
                "theme": row.theme,
                "outcome": row.outcome,
                "local": row.local,
                "other": row.other,
                "proxy_value": _decimal_text(row.proxy),
            }
            for row in table.rows
        ],
        "commitment_totals": {
            "totals": [
                {
                    "measure": t.measure,
                    "unit": t.unit,
                    "quantity": _decimal_text(t.quantity),
                    "commitments": t.commitments,
                    "other": t.other,
                    "measure_version": t.measure_version,
                    "proxy_per_unit": _decimal_text(t.proxy_value),
                    "proxy_source": t.proxy_source,
                    "proxy_year": t.proxy_year,
                    "proxy_value": _decimal_text(t.proxy_total),
                }
                for t in table.totals
            ],
            "proxy_value": _decimal_text(table.proxy_total),
            "proxy_sources": list(table.proxy_sources),
        },
        "declarations": {
            "exclusion_grounds": _flag(declarations.get("exclusion_grounds")),
            "exclusion_ground_keys": [
                g.key for g in exclusion.GROUNDS if g.key in set(declarations.get("exclusion_ground_keys") or [])
            ],
            "exclusion_ground_names": exclusion.names(list(declarations.get("exclusion_ground_keys") or [])),
            "exclusion_details": str(declarations.get("exclusion_details") or ""),
            "self_cleaning": str(declarations.get("self_cleaning") or ""),
            "conflicts": _flag(declarations.get("conflicts")),
            "conflicts_details": str(declarations.get("conflicts_details") or ""),
        },
        "attachments": [
            {
                "id": a.pk,
                "question": _text(a.question),
                "filename": _text(a.filename),
                "content_type": _text(a.content_type),
                "size": a.size,
                "sha256": _text(a.sha256),
                "download": download(a.pk),
            }
            for a in opened.attachments
        ],
    }


class BidPagination(StandardPagination):
    """The project's page numbers, fewer a page: each bid on a page is decrypted."""

    page_size = 25
    max_page_size = 100


class _BidsAPIView(TenderAPIView):
    council_permission = "bids.view"

    def tender(self) -> Tender:
        # The tender's row and its wrapped key in one query: the bid endpoints decrypt.
        return selectors.opening_tender(council=self.council, tender_id=self.kwargs["tender_id"], with_key=True)

    def sealed(self, tender: Tender) -> Response | None:
        """The 403 every bid endpoint gives before the deadline: sealed, with only the count."""
        if not selectors.bids_are_sealed(tender=tender):
            return None
        deadline = tender.submission_deadline
        when = f"{timezone.localtime(deadline):%-d %B %Y, %H:%M} UK time" if deadline else "the submission deadline"
        body = {
            "error": {
                "status": 403,
                "code": "sealed",
                "message": f"Bids are sealed until {when}.",
                "fields": {},
            },
            "bids_received": selectors.bids_received_count(tender=tender),
            "bids_open_at": deadline,
        }
        return Response(SealedSerializer(body).data, status=status.HTTP_403_FORBIDDEN)


@extend_schema(tags=["bids (council)"], responses={200: OpenedBidSerializer, 403: SEALED_RESPONSE})
class BidListView(_BidsAPIView, generics.ListAPIView):
    """The submitted bids, oldest first, 25 a page, each with its last submission decrypted
    (commissioners, officers). After the deadline only."""

    serializer_class = OpenedBidSerializer
    pagination_class = BidPagination

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A page of bids, kept per tender with its results (``tenders.kept``: a compliance decision,
        a renamed bidder or question, any write to the tender's bids renews it), *sealed*: what is
        kept is the page's JSON encrypted with the tender's own key, as the bids are in the
        database, never the plaintext. A kept page is one decryption instead of reading and
        decrypting 25 bids. The count is kept too; on a miss it rides on the page's own query, so a
        miss reads no more than before."""
        tender = self.tender()
        refused = self.sealed(tender)
        if refused is not None:
            return refused
        paginator: BidPagination = self.paginator  # type: ignore[assignment]
        council_slug = self.kwargs["council_slug"]

        def sealed_page(rows: Sequence[Bid]) -> str:
            opened = selectors.opened_bids(tender=tender, bids=rows)
            return sealing.seal(
                tender, JSONRenderer().render([_opened(b, council_slug=council_slug, tender=tender) for b in opened])
            )

        token = paginator.kept_page(
            request,
            keep=lambda parts, work_out: kept.kept_results(tender, work_out, parts=("bids api", *parts, council_slug)),
            objects=lambda: selectors.submitted_bids(tender=tender, content=True),
            make=sealed_page,
        )
        page_json = sealing.unseal(tender, token, reader=Reader.COUNCIL)
        if isinstance(request.accepted_renderer, JSONRenderer):
            # The page is JSON as JSONRenderer wrote it: sent as it is, inside the paginated
            # envelope (count, next, previous, results), not parsed and written again (a fifth of
            # a kept page's time). The browsable API renders it as any other response.
            envelope = JSONRenderer().render(paginator.get_paginated_response(None).data)
            body = envelope[: envelope.rindex(b"null")] + page_json + b"}"
            return HttpResponse(body, content_type="application/json")
        return paginator.get_paginated_response(json.loads(page_json))


@extend_schema(tags=["bids (council)"], responses={200: OpenedBidSerializer, 403: SEALED_RESPONSE})
class BidDetailView(_BidsAPIView, generics.GenericAPIView):
    """One submitted bid, decrypted. After the deadline only."""

    serializer_class = OpenedBidSerializer

    def get(self, request: Request, council_slug: str, tender_id: int, bid_id: int) -> Response:
        tender = self.tender()
        refused = self.sealed(tender)
        if refused is not None:
            return refused
        opened = selectors.opened_bid(tender=tender, bid_id=bid_id)
        return Response(OpenedBidSerializer(_opened(opened, council_slug=council_slug, tender=tender)).data)


@extend_schema(
    tags=["bids (council)"],
    request=ComplianceSerializer,
    responses={200: OpenedBidSerializer, 403: SEALED_RESPONSE},
)
class BidComplianceView(JSONOnly, _BidsAPIView, generics.GenericAPIView):
    """Record whether the bid is compliant (commissioners), after the deadline.

    ``non_compliant`` needs a ``reason``; so does changing an earlier decision. Sending the same
    decision again changes nothing. Every change is in the audit trail.
    """

    serializer_class = ComplianceSerializer
    council_permission = "bids.mark_compliance"

    def post(self, request: Request, council_slug: str, tender_id: int, bid_id: int) -> Response:
        tender = self.tender()
        refused = self.sealed(tender)
        if refused is not None:
            return refused
        opened = selectors.opened_bid(tender=tender, bid_id=bid_id)
        serializer = ComplianceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.bid_compliance_mark(
            bid=opened.bid,
            actor=request.user,
            compliance=serializer.validated_data["compliance"],
            reason=serializer.validated_data.get("reason", ""),
        )
        opened = selectors.opened_bid(tender=tender, bid_id=bid_id)
        return Response(OpenedBidSerializer(_opened(opened, council_slug=council_slug, tender=tender)).data)


urlpatterns: list[URLPattern] = [
    path(f"{PREFIX}<int:tender_id>/bids/", BidListView.as_view(), name="api_council_bids"),
    path(f"{PREFIX}<int:tender_id>/bids/<int:bid_id>/", BidDetailView.as_view(), name="api_council_bid"),
    path(
        f"{PREFIX}<int:tender_id>/bids/<int:bid_id>/compliance/",
        BidComplianceView.as_view(),
        name="api_council_bid_compliance",
    ),
]
