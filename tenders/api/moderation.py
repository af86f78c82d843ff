"""Council-side API of moderation and prices, with the pages' rules (the services enforce them).

Under ``councils/<slug>/tenders/<id>/``:

- ``moderation/`` (GET, ``moderation.view``): the side-by-side board, with why it cannot open yet;
- ``moderation/open/``, ``moderation/lock/`` (POST, ``moderation.run``);
- ``moderation/scores/`` (POST, ``moderation.run``): agree a bid's score on a criterion;
- ``moderation/changes/`` (POST, ``moderation.run``): ask to change a locked score;
- ``moderation/changes/<change_id>/decide/`` (POST, ``moderation.approve_change``, not the asker);
- ``prices/`` (GET, ``prices.view``), ``prices/open/`` (POST, ``prices.open``);
- ``prices/reviews/<review_id>/decide/`` (POST, ``prices.decide_abnormally_low``).

``urlpatterns`` are included under /api/v1/ by tenders.api.urls.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from commissioning.api.commissions import JSONOnly
from tenders import selectors, services
from tenders.api.tenders import PREFIX, TenderAPIView
from tenders.models import AbnormallyLowReview, Criterion, ModeratedScore, ModeratedScoreChange, Tender
from tenders.sealing import SealedError
from tenders.selectors.moderation import ModerationBoard
from tenders.selectors.prices import PriceBoard
from tenders.serializers.moderation import (
    AbnormallyLowDecisionSerializer,
    AbnormallyLowReviewSerializer,
    AgreeSerializer,
    ChangeDecisionSerializer,
    ChangeRequestSerializer,
    ChangeSerializer,
    ModeratedScoreSerializer,
    ModerationBoardSerializer,
    PriceBoardSerializer,
)

__all__ = ["urlpatterns"]

TAGS = ["moderation and prices"]


def _change(change: ModeratedScoreChange) -> dict[str, Any]:
    return {
        "id": change.pk,
        "old_score": change.old_score,
        "new_score": change.new_score,
        "new_rationale": change.new_rationale,
        "reason": change.reason,
        "requested_by": change.requested_by.name or change.requested_by.email,
        "requested_at": change.requested_at,
        "decision": change.decision,
        "decision_comment": change.decision_comment,
        "decided_by": (change.decided_by.name or change.decided_by.email) if change.decided_by else None,
        "decided_at": change.decided_at,
    }


def _moderated(moderated: ModeratedScore) -> dict[str, Any]:
    return {
        "id": moderated.pk,
        "bid_id": moderated.bid_id,
        "criterion_id": moderated.criterion_id,
        "score": moderated.score,
        "rationale": moderated.rationale,
        "revision": moderated.revision,
        "agreed_at": moderated.agreed_at,
    }


def _board(board: ModerationBoard, problems: list[str]) -> dict[str, Any]:
    evaluation = board.evaluation
    return {
        "opened_at": evaluation.moderation_opened_at if evaluation else None,
        "locked_at": evaluation.moderation_locked_at if evaluation else None,
        "blind": board.blind,
        "spread_percent": board.policy.moderation_spread_percent,
        "problems": problems,
        "bids": [
            {
                "bid_id": bid.bid_id,
                "label": bid.label,
                "cells": [
                    {
                        "criterion_id": cell.criterion.pk,
                        "criterion": cell.criterion.title,
                        "maximum": cell.maximum,
                        "scores": [vars(s) for s in cell.scores],
                        "spread": cell.spread,
                        "wide": cell.wide,
                        "moderated": _moderated(cell.moderated) if cell.moderated else None,
                        "changes": [_change(c) for c in cell.changes],
                    }
                    for cell in bid.cells
                ],
            }
            for bid in board.bids
        ],
    }


def _review(review: AbnormallyLowReview) -> dict[str, Any]:
    return {
        "id": review.pk,
        "bid_id": review.bid_id,
        "lot_id": review.lot_id,
        "flag": review.flag,
        "explanation": review.explanation,
        "decision": review.decision,
        "reason": review.reason,
        "decided_at": review.decided_at,
    }


def _prices(board: PriceBoard) -> dict[str, Any]:
    evaluation = board.evaluation
    return {
        "opened_at": evaluation.prices_opened_at if evaluation else None,
        "formula": board.tender.price_formula,
        "weight": board.weight,
        "problems": board.problems,
        "lots": [
            {
                "lot_id": lot.lot_id,
                "title": lot.title,
                "budget": lot.budget,
                "formula_text": lot.formula_text,
                "bids": [
                    {
                        "bid_id": bid.bid_id,
                        "name": bid.name,
                        "amount": bid.amount,
                        "fraction": bid.fraction.quantize(bid.fraction.__class__("0.000001")),
                        "points": bid.points,
                        "review": _review(bid.review) if bid.review else None,
                    }
                    for bid in lot.bids
                ],
            }
            for lot in board.lots
        ],
    }


class _EvaluationAPIView(TenderAPIView):
    def tender(self) -> Tender:
        tender = selectors.opening_tender(council=self.council, tender_id=self.kwargs["tender_id"], with_key=True)
        if selectors.bids_are_sealed(tender=tender):
            raise PermissionDenied("Bids for this tender are sealed until the submission deadline.")
        return tender

    def board(self, tender: Tender) -> Response:
        try:
            board = selectors.moderation_board(tender=tender)
            problems = [] if board.opened else selectors.moderation_problems(tender=tender, policy=board.policy)
        except SealedError as error:
            raise PermissionDenied(str(error)) from None
        return Response(ModerationBoardSerializer(_board(board, problems)).data)


@extend_schema(tags=TAGS, responses={200: ModerationBoardSerializer})
class ModerationView(_EvaluationAPIView, generics.GenericAPIView):
    """The side-by-side board: per evaluated bid and scored criterion each evaluator's submitted score
    and justification, the spread (``wide`` when at least the council's share of the scale), the
    agreed score and its changes; ``problems`` says why moderation cannot open yet. Blind labels
    until the lock in a blind evaluation."""

    council_permission = "moderation.view"
    serializer_class = ModerationBoardSerializer

    def get(self, request: Request, council_slug: str, tender_id: int) -> Response:
        return self.board(self.tender())


@extend_schema(tags=TAGS, request=None, responses={200: ModerationBoardSerializer})
class ModerationOpenView(_EvaluationAPIView, generics.GenericAPIView):
    """Open moderation (commissioners). 400 with what is missing while a duty is unsubmitted or a
    bid has fewer scorers than the council's minimum."""

    council_permission = "moderation.run"
    serializer_class = ModerationBoardSerializer

    def post(self, request: Request, council_slug: str, tender_id: int) -> Response:
        tender = self.tender()
        services.moderation_open(tender=tender, actor=request.user)
        return self.board(tender)


@extend_schema(tags=TAGS, request=None, responses={200: ModerationBoardSerializer})
class ModerationLockView(_EvaluationAPIView, generics.GenericAPIView):
    """Submit and lock the moderated scores (commissioners). 400 listing the bid × criterion pairs
    still without an agreed score."""

    council_permission = "moderation.run"
    serializer_class = ModerationBoardSerializer

    def post(self, request: Request, council_slug: str, tender_id: int) -> Response:
        tender = self.tender()
        services.moderation_lock(tender=tender, actor=request.user)
        return self.board(tender)


def _bid_and_criterion(tender: Tender, data: dict[str, Any]) -> tuple[Any, Criterion]:
    bid = selectors.evaluated_bids(tender=tender).filter(pk=data["bid"]).first()
    criterion = Criterion.objects.filter(council=tender.council_id, tender=tender, pk=data["criterion"]).first()
    if bid is None or criterion is None:
        raise Http404("No such evaluated bid or criterion")
    return bid, criterion


@extend_schema(tags=TAGS, request=AgreeSerializer, responses={200: ModeratedScoreSerializer})
class ModeratedScoreAgreeView(JSONOnly, _EvaluationAPIView, generics.GenericAPIView):
    """Agree (or correct, before the lock) a bid's score on a scored criterion, with the rationale."""

    council_permission = "moderation.run"
    serializer_class = AgreeSerializer

    def post(self, request: Request, council_slug: str, tender_id: int) -> Response:
        tender = self.tender()
        serializer = AgreeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        bid, criterion = _bid_and_criterion(tender, data)
        moderated = services.moderated_score_agree(
            tender=tender,
            bid=bid,
            criterion=criterion,
            actor=request.user,
            score=data["score"],
            rationale=data["rationale"],
        )
        return Response(ModeratedScoreSerializer(_moderated(moderated)).data)


@extend_schema(tags=TAGS, request=ChangeRequestSerializer, responses={201: ChangeSerializer})
class ChangeRequestView(JSONOnly, _EvaluationAPIView, generics.GenericAPIView):
    """Ask to change a locked moderated score, with the reason (commissioners); an officer decides."""

    council_permission = "moderation.run"
    serializer_class = ChangeRequestSerializer

    def post(self, request: Request, council_slug: str, tender_id: int) -> Response:
        tender = self.tender()
        serializer = ChangeRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        bid, criterion = _bid_and_criterion(tender, data)
        moderated = ModeratedScore.objects.filter(
            council=tender.council_id, tender=tender, bid=bid, criterion=criterion
        ).first()
        if moderated is None:
            raise Http404("No agreed score for that bid and criterion")
        change = services.moderated_score_change_request(
            moderated_score=moderated,
            actor=request.user,
            score=data["score"],
            rationale=data["rationale"],
            reason=data["reason"],
        )
        change = ModeratedScoreChange.objects.select_related("requested_by", "decided_by").get(pk=change.pk)
        return Response(ChangeSerializer(_change(change)).data, status=201)


@extend_schema(tags=TAGS, request=ChangeDecisionSerializer, responses={200: ChangeSerializer})
class ChangeDecideView(JSONOnly, _EvaluationAPIView, generics.GenericAPIView):
    """Approve (applies the new score, revision + 1) or reject (a comment needed) a change (officers,
    not the one who asked: 403)."""

    council_permission = "moderation.approve_change"
    serializer_class = ChangeDecisionSerializer

    def post(self, request: Request, council_slug: str, tender_id: int, change_id: int) -> Response:
        tender = self.tender()
        change = ModeratedScoreChange.objects.filter(council=tender.council_id, tender=tender, pk=change_id).first()
        if change is None:
            raise Http404("No such change")
        serializer = ChangeDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.moderated_score_change_decide(
            change=change,
            actor=request.user,
            decision=serializer.validated_data["decision"],
            comment=serializer.validated_data.get("comment", ""),
        )
        change = ModeratedScoreChange.objects.select_related("requested_by", "decided_by").get(pk=change.pk)
        return Response(ChangeSerializer(_change(change)).data)


@extend_schema(tags=TAGS, responses={200: PriceBoardSerializer})
class PricesView(_EvaluationAPIView, generics.GenericAPIView):
    """Per lot each evaluated bid's price, lowest first, its share of the price weight under the
    declared formula and its points, the formula in words, and any abnormally low review."""

    council_permission = "prices.view"
    serializer_class = PriceBoardSerializer

    def get(self, request: Request, council_slug: str, tender_id: int) -> Response:
        return Response(PriceBoardSerializer(_prices(selectors.price_board(tender=self.tender()))).data)


@extend_schema(tags=TAGS, request=None, responses={200: PriceBoardSerializer})
class PricesOpenView(_EvaluationAPIView, generics.GenericAPIView):
    """Open the prices (commissioners): in a blind evaluation only after moderation is locked (400 before)."""

    council_permission = "prices.open"
    serializer_class = PriceBoardSerializer

    def post(self, request: Request, council_slug: str, tender_id: int) -> Response:
        tender = self.tender()
        services.prices_open(tender=tender, actor=request.user)
        return Response(PriceBoardSerializer(_prices(selectors.price_board(tender=tender))).data)


@extend_schema(tags=TAGS, request=AbnormallyLowDecisionSerializer, responses={200: AbnormallyLowReviewSerializer})
class AbnormallyLowDecideView(JSONOnly, _EvaluationAPIView, generics.GenericAPIView):
    """Record the provider's explanation of a flagged price and accept it or exclude the bid, with a reason."""

    council_permission = "prices.decide_abnormally_low"
    serializer_class = AbnormallyLowDecisionSerializer

    def post(self, request: Request, council_slug: str, tender_id: int, review_id: int) -> Response:
        tender = self.tender()
        review = AbnormallyLowReview.objects.filter(council=tender.council_id, tender=tender, pk=review_id).first()
        if review is None:
            raise Http404("No such review")
        serializer = AbnormallyLowDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.abnormally_low_decide(review=review, actor=request.user, **serializer.validated_data)
        return Response(AbnormallyLowReviewSerializer(_review(review)).data)


_T = f"{PREFIX}<int:tender_id>/"
urlpatterns: list[URLPattern] = [
    path(f"{_T}moderation/", ModerationView.as_view(), name="api_moderation"),
    path(f"{_T}moderation/open/", ModerationOpenView.as_view(), name="api_moderation_open"),
    path(f"{_T}moderation/lock/", ModerationLockView.as_view(), name="api_moderation_lock"),
    path(f"{_T}moderation/scores/", ModeratedScoreAgreeView.as_view(), name="api_moderation_agree"),
    path(f"{_T}moderation/changes/", ChangeRequestView.as_view(), name="api_moderation_change_request"),
    path(
        f"{_T}moderation/changes/<int:change_id>/decide/",
        ChangeDecideView.as_view(),
        name="api_moderation_change_decide",
    ),
    path(f"{_T}prices/", PricesView.as_view(), name="api_prices"),
    path(f"{_T}prices/open/", PricesOpenView.as_view(), name="api_prices_open"),
    path(
        f"{_T}prices/reviews/<int:review_id>/decide/",
        AbnormallyLowDecideView.as_view(),
        name="api_abnormally_low_decide",
    ),
]
