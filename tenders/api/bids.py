"""API of bids on the provider side: a signed-in provider's own bids, in every council.

``urlpatterns`` are included under /api/v1/ by tenders.api.urls. These endpoints are not under a
council: a bid is looked up among the bids of the person's own organisations (404 otherwise),
then everything runs inside that bid's council scope. Refusals have the one error shape, with
409 for the deadline (or a stale draft) and 422 for an ineligible organisation or an unfinished
bid; ``error.fields.bid`` lists the reasons or every problem.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import URLPattern, path
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commissioning.api.parsers import JSONParser
from commissioning.models import Council, Organisation
from commissioning.tenancy import council_scope
from social_value import selectors as social_value_selectors
from tenders.models import Bid, Tender
from tenders.selectors import bids as selectors
from tenders.serializers.bids import (
    MyBidDetailSerializer,
    MyBidDraftPatchSerializer,
    MyBidDraftWriteSerializer,
    MyBidReceiptSerializer,
    MyBidRefusalSerializer,
    MyBidStartSerializer,
    MyBidSubmitSerializer,
    MyBidSummarySerializer,
)
from tenders.services import bids as services

__all__ = ["urlpatterns"]

REFUSAL_STATUS = {
    "deadline": 409,
    "not_open": 409,
    "stale": 409,
    "withdrawn": 409,
    "ineligible": 422,
    "incomplete": 422,
    "forbidden": 403,
    "invalid": 400,
}
DEADLINE = OpenApiResponse(
    MyBidRefusalSerializer, description="The deadline has passed (code deadline), or the tender is not open (not_open)"
)
STALE = OpenApiResponse(
    MyBidRefusalSerializer,
    description="The draft changed since the revision you sent (stale), or the deadline has passed",
)
REFUSED = OpenApiResponse(
    MyBidRefusalSerializer,
    description="The organisation may not bid under the local spend policy (ineligible: the reasons and what would "
    "make it eligible), or the bid is not finished (incomplete: every problem). The draft is kept.",
)


def refusal_response(error: services.BidRefused) -> Response:
    code = REFUSAL_STATUS.get(error.reason, 400)
    return Response(
        {
            "error": {
                "status": code,
                "code": error.reason,
                "message": error.summary,
                "fields": {"bid": error.details} if error.details else {},
            }
        },
        status=code,
    )


def _bid_summary(bid: Bid, *, tender: Tender, last_receipt: object) -> dict[str, Any]:
    return {
        "id": bid.pk,
        "tender": tender,
        "tender_id": bid.tender_id,
        "organisation": bid.organisation,
        "organisation_id": bid.organisation_id,
        "status": bid.status,
        "draft_revision": bid.draft_revision,
        "withdrawn_at": bid.withdrawn_at,
        "last_receipt": last_receipt,
        "created_at": bid.created_at,
        "updated_at": bid.updated_at,
    }


def _bid_data(bid: Bid, *, detail: bool) -> dict[str, Any]:
    submissions = selectors.bid_submissions(bid=bid)
    data = _bid_summary(bid, tender=bid.tender, last_receipt=submissions[0] if submissions else None)
    if detail:
        draft = selectors.bid_draft(bid)
        data["draft"] = draft
        data["attachments"] = selectors.bid_attachments(bid=bid)
        data["problems"] = [p.message for p in selectors.bid_problems(tender=bid.tender, draft=draft)]
    return data


class DraftPatchSchema(OpenApiSerializerExtension):
    """PATCH bodies are partial in the schema (drf-spectacular drops every ``required``), but a
    save without the ``revision`` it was read at is refused: say so, as validation does."""

    target_class = MyBidDraftPatchSerializer

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema = auto_schema._map_basic_serializer(self.target, direction)
        schema["required"] = ["revision"]
        return schema


class ProviderAPIView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    def get_bid(self) -> Bid:
        return selectors.bid_of_organisations(user=self.request.user, bid_id=self.kwargs["bid_id"])  # type: ignore[arg-type]


@extend_schema(tags=["bids"])
class MyBidListView(ProviderAPIView):
    @extend_schema(responses={200: MyBidSummarySerializer(many=True)}, operation_id="me_bids_list")
    def get(self, request: Request) -> Response:
        """The bids of my organisations, in every council, newest first, with their last receipt."""
        rows = [
            _bid_summary(mine.bid, tender=mine.tender, last_receipt=mine.last_submission)
            for mine in selectors.bids_for_user(user=request.user)  # type: ignore[arg-type]
        ]
        return Response(MyBidSummarySerializer(rows, many=True).data)

    @extend_schema(
        request=MyBidStartSerializer,
        responses={
            201: MyBidDetailSerializer,
            200: OpenApiResponse(MyBidDetailSerializer, description="The organisation already has a bid: that one"),
            409: DEADLINE,
        },
        operation_id="me_bids_create",
    )
    def post(self, request: Request) -> Response:
        """Start a bid for a published tender, for one of my organisations (one bid per organisation)."""
        serializer = MyBidStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = Organisation.objects.of_user(request.user).filter(pk=data["organisation"]).first()
        council = Council.objects.filter(slug=data["council"]).first()
        if organisation is None or council is None:
            raise Http404("No such organisation or council")
        with council_scope(council):
            tender = selectors.open_tender_for_bids(council=council, tender_id=data["tender"])
            existed = Bid.objects.filter(council=council, tender=tender, organisation=organisation).exists()
            try:
                bid = services.bid_start(tender=tender, organisation=organisation, actor=request.user)  # type: ignore[arg-type]
            except services.BidRefused as error:
                return refusal_response(error)
            bid = selectors.bid_for_member(council=council, tender=tender, bid_id=bid.pk, user=request.user)  # type: ignore[arg-type]
            body = MyBidDetailSerializer(_bid_data(bid, detail=True)).data
        return Response(body, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


@extend_schema(tags=["bids"])
class MyBidDetailView(ProviderAPIView):
    http_method_names = ["get", "put", "patch", "head", "options"]

    @extend_schema(responses={200: MyBidDetailSerializer})
    def get(self, request: Request, bid_id: int) -> Response:
        """One of my organisations' bids, with its draft (decrypted for you), documents and what is left to do."""
        bid = self.get_bid()
        with council_scope(bid.council_id):
            return Response(MyBidDetailSerializer(_bid_data(bid, detail=True)).data)

    def _save(self, request: Request, *, partial: bool) -> Response:
        bid = self.get_bid()
        with council_scope(bid.council_id):
            questions = {str(q.pk) for q in selectors.bid_questions(tender=bid.tender)}
            lots = {str(pk) for pk in bid.tender.lots.values_list("pk", flat=True)} or {services.NO_LOTS_KEY}
            published = social_value_selectors.published_measures(council=bid.council_id)
            serializer = MyBidDraftWriteSerializer(
                data=request.data,
                partial=partial,
                question_ids=questions,
                lot_keys=lots,
                context={"measures": published.by_id() if published else None},
            )
            serializer.is_valid(raise_exception=True)
            changes = dict(serializer.validated_data)
            revision = changes.pop("revision", None)
            if revision is None:
                raise ValidationError({"revision": "Give the draft_revision you read"})
            if not partial:
                changes["answers"] = {q: changes["answers"].get(q, "") for q in questions}
                changes["prices"] = {k: changes["prices"].get(k, "") for k in lots}
            try:
                services.bid_draft_save(bid=bid, actor=request.user, changes=changes, expected_revision=revision)  # type: ignore[arg-type]
            except services.BidRefused as error:
                return refusal_response(error)
            bid = selectors.bid_of_organisations(user=request.user, bid_id=bid.pk)  # type: ignore[arg-type]
            return Response(MyBidDetailSerializer(_bid_data(bid, detail=True)).data)

    @extend_schema(request=MyBidDraftWriteSerializer, responses={200: MyBidDetailSerializer, 409: STALE})
    def put(self, request: Request, bid_id: int) -> Response:
        """Replace the whole draft (questions and lots left out are emptied). Refused after the deadline."""
        return self._save(request, partial=False)

    @extend_schema(request=MyBidDraftPatchSerializer, responses={200: MyBidDetailSerializer, 409: STALE})
    def patch(self, request: Request, bid_id: int) -> Response:
        """Save parts of the draft: answers and prices are merged by key; commitments and declarations replaced.
        ``revision`` is required."""
        return self._save(request, partial=True)


@extend_schema(tags=["bids"])
class MyBidSubmitView(ProviderAPIView):
    def handle_exception(self, exc: Exception) -> Response:
        # This view runs outside the request's transaction (see urlpatterns): DRF's "roll back on
        # an error" must roll back a block of our own, never an enclosing one.
        with transaction.atomic():
            return super().handle_exception(exc)

    @extend_schema(
        request=MyBidSubmitSerializer,
        responses={
            201: MyBidReceiptSerializer,
            200: OpenApiResponse(MyBidReceiptSerializer, description="A repeat with the same key: the same receipt"),
            409: DEADLINE,
            422: REFUSED,
        },
    )
    def post(self, request: Request, bid_id: int) -> Response:
        """Submit the draft: the receipt (reference, time, SHA-256). The deadline is checked by the server
        clock and again when the transaction commits; a late, ineligible or unfinished bid is refused and
        its draft kept. Send a fresh ``idempotency_key``; a repeat returns the same receipt (200)."""
        serializer = MyBidSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        bid = self.get_bid()
        try:
            submission, created = services.bid_submit(
                bid=bid,
                actor=request.user,  # type: ignore[arg-type]
                idempotency_key=serializer.validated_data["idempotency_key"],
            )
        except services.BidRefused as error:
            return refusal_response(error)
        # The receipt reads nothing more (the service gives it with who submitted it): no scope needed.
        body = MyBidReceiptSerializer(submission).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


@extend_schema(tags=["bids"])
class MyBidWithdrawView(ProviderAPIView):
    @extend_schema(request=None, responses={200: MyBidSummarySerializer, 409: DEADLINE})
    def post(self, request: Request, bid_id: int) -> Response:
        """Withdraw a submitted bid until the deadline (its receipts are kept; submit again to put it back)."""
        bid = self.get_bid()
        with council_scope(bid.council_id):
            try:
                services.bid_withdraw(bid=bid, actor=request.user)  # type: ignore[arg-type]
            except services.BidRefused as error:
                return refusal_response(error)
            bid = selectors.bid_of_organisations(user=request.user, bid_id=bid.pk)  # type: ignore[arg-type]
            return Response(MyBidSummarySerializer(_bid_data(bid, detail=False)).data)


@extend_schema(tags=["bids"])
class MyBidReceiptListView(ProviderAPIView):
    @extend_schema(responses={200: MyBidReceiptSerializer(many=True)})
    def get(self, request: Request, bid_id: int) -> Response:
        """Every receipt of the bid, the last submitted (the one that counts) first."""
        bid = self.get_bid()
        with council_scope(bid.council_id):
            return Response(MyBidReceiptSerializer(selectors.bid_submissions(bid=bid), many=True).data)


urlpatterns: list[URLPattern] = [
    path("me/bids/", MyBidListView.as_view(), name="api_my_bids"),
    path("me/bids/<int:bid_id>/", MyBidDetailView.as_view(), name="api_my_bid"),
    # Not in the request's transaction: the submission commits inside the service, where the
    # database's deadline check at COMMIT can be turned into a clear refusal.
    path(
        "me/bids/<int:bid_id>/submit/",
        transaction.non_atomic_requests(MyBidSubmitView.as_view()),
        name="api_my_bid_submit",
    ),
    path("me/bids/<int:bid_id>/withdraw/", MyBidWithdrawView.as_view(), name="api_my_bid_withdraw"),
    path("me/bids/<int:bid_id>/receipts/", MyBidReceiptListView.as_view(), name="api_my_bid_receipts"),
]
