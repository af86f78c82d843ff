"""Evaluation API, with the pages' rules.

- ``…/tenders/<id>/evaluation/progress/``: the commissioner's and officers' counts per evaluator
  (``evaluation.view``), never scores;
- ``…/evaluation/evaluators/``: POST assigns an evaluator (``evaluation.change_evaluators``: the
  commissioner, or an officer with a ``reason``); ``…/evaluators/<id>/remove/`` POST removes one
  with a reason;
- ``…/evaluation/mine/``: the evaluator's own assignments and bids (``evaluation.score``);
- ``…/evaluation/bids/<bid_id>/declaration/``: POST their declaration against the bidder;
- ``…/evaluation/bids/<bid_id>/scores/``: GET and PUT their own score sheet (drafts, each score at
  the revision read: a stale one is refused);
- ``…/evaluation/bids/<bid_id>/scores/submit/``: POST to submit it, which locks it.

Before the submission deadline every endpoint answers 403 ``sealed``. ``urlpatterns`` are
included under /api/v1/ by tenders.api.urls.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from commissioning.api.commissions import JSONOnly
from commissioning.models import User
from tenders import selectors, services
from tenders.api.tenders import PREFIX, TenderAPIView
from tenders.models import DESCRIPTOR_SCORES, Bid, Criterion, EvaluatorAssignment, Scale, Tender
from tenders.selectors.evaluation import EvaluatorBid
from tenders.serializers.evaluation import (
    AssignInSerializer,
    AssignmentSerializer,
    DeclarationSerializer,
    EvaluatorBidSerializer,
    MyEvaluationSerializer,
    ProgressSerializer,
    RemoveInSerializer,
    ScoreSheetInSerializer,
    ScoreSheetSerializer,
)
from tenders.serializers.opening import SealedSerializer

__all__ = ["urlpatterns"]

# Before the deadline every endpoint answers 403 with the code "sealed" and, beside the error, the
# one fact the council may know (``bids_received``, ``bids_open_at``): the project's Error schema
# with those two more properties, documented by the common 403.
NOT_STARTED = "The evaluation of this tender has not started"


class _EvaluationAPIView(TenderAPIView):
    def tender(self) -> Tender:
        return selectors.opening_tender(council=self.council, tender_id=self.kwargs["tender_id"])

    def sealed(self, tender: Tender) -> Response | None:
        if tender.published_at is not None and not selectors.bids_are_sealed(tender=tender):
            return None
        body = {
            "error": {"status": 403, "code": "sealed", "message": "Bids are sealed until the deadline.", "fields": {}},
            "bids_received": selectors.bids_received_count(tender=tender),
            "bids_open_at": tender.submission_deadline,
        }
        return Response(SealedSerializer(body).data, status=status.HTTP_403_FORBIDDEN)


def _progress(tender: Tender) -> dict[str, Any]:
    evaluation = selectors.evaluation_of(tender=tender)
    policy = selectors.tender_policy(council=tender.council)
    started = evaluation is not None
    cover = selectors.panel_cover(tender=tender, minimum=policy.minimum_evaluators) if started else []
    return {
        "started": started,
        "started_at": evaluation.started_at if evaluation else None,
        "moderation_opened_at": evaluation.moderation_opened_at if evaluation else None,
        "bids": selectors.evaluated_bids(tender=tender).count(),
        "minimum_evaluators": policy.minimum_evaluators,
        "criteria": [
            {"criterion_id": c.criterion.pk, "title": c.criterion.title, "evaluators": c.evaluators, "short": c.short}
            for c in cover
        ],
        "evaluators": [
            {
                "id": row.user.pk,
                "name": row.user.name or row.user.email,
                "assignments": [{"id": a.pk, "criterion_id": a.criterion_id} for a in row.assignments],
                "bids": row.bids,
                "declared": row.declared,
                "submitted": row.submitted,
                "owed": row.owed,
                "recused": row.recused,
            }
            for row in (selectors.evaluation_progress(tender=tender) if started else [])
        ],
        "recusals": len(selectors.recusal_rows(tender=tender)) if started else 0,
    }


@extend_schema(tags=["evaluation"], responses={200: ProgressSerializer})
class ProgressView(_EvaluationAPIView, generics.GenericAPIView):
    """Each evaluator's progress as counts (commissioners, officers): declared, submitted, still
    to submit, recused; and how many evaluators score each criterion against the council's minimum."""

    serializer_class = ProgressSerializer
    council_permission = "evaluation.view"

    def get(self, request: Request, council_slug: str, tender_id: int) -> Response:
        tender = self.tender()
        refused = self.sealed(tender)
        if refused is not None:
            return refused
        return Response(ProgressSerializer(_progress(tender)).data)


def _assignment(assignment: EvaluatorAssignment) -> dict[str, Any]:
    return {
        "id": assignment.pk,
        "user_id": assignment.user_id,
        "name": assignment.user.name or assignment.user.email,
        "criterion_id": assignment.criterion_id,
        "assigned_by_id": assignment.assigned_by_id,
        "assigned_at": assignment.assigned_at,
        "assigned_reason": assignment.assigned_reason,
        "removed_at": assignment.removed_at,
        "removed_reason": assignment.removed_reason,
    }


@extend_schema(tags=["evaluation"], request=AssignInSerializer, responses={201: AssignmentSerializer})
class AssignView(JSONOnly, _EvaluationAPIView, generics.GenericAPIView):
    """Assign an evaluator (a council member holding the evaluator role) to every scored criterion
    (``criterion`` empty) or one. The commissioner assigns; an officer does too, with the ``reason``
    (400 without it). Audited. 400 once moderation is open."""

    serializer_class = AssignInSerializer
    council_permission = "evaluation.change_evaluators"

    def post(self, request: Request, council_slug: str, tender_id: int) -> Response:
        tender = self.tender()
        refused = self.sealed(tender)
        if refused is not None:
            return refused
        body = AssignInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        user = next((u for u in selectors.evaluator_candidates(tender=tender) if u.pk == data["user"]), None)
        if user is None:
            raise ValidationError({"user": "Choose a member of the council who holds the evaluator role"})
        criterion = None
        if data["criterion"] is not None:
            criterion = next((c for c in selectors.scored_criteria(tender=tender) if c.pk == data["criterion"]), None)
            if criterion is None:
                raise ValidationError({"criterion": "Choose a quality or social value criterion of this tender"})
        assignment = services.evaluator_assign(
            tender=tender, actor=request.user, user=user, criterion=criterion, reason=data["reason"]
        )
        return Response(AssignmentSerializer(_assignment(assignment)).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["evaluation"], request=RemoveInSerializer, responses={200: AssignmentSerializer})
class RemoveView(JSONOnly, _EvaluationAPIView, generics.GenericAPIView):
    """Remove an evaluator from the tender (or from one criterion) with the reason; the assignment
    is kept. Commissioners and officers. 404 for an assignment not current on this tender."""

    serializer_class = RemoveInSerializer
    council_permission = "evaluation.change_evaluators"

    def post(self, request: Request, council_slug: str, tender_id: int, assignment_id: int) -> Response:
        tender = self.tender()
        refused = self.sealed(tender)
        if refused is not None:
            return refused
        assignment = selectors.assignment_get(tender=tender, assignment_id=assignment_id)  # 404 for any other
        body = RemoveInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reason = body.validated_data["reason"]
        removed = services.evaluator_remove(assignment=assignment, actor=request.user, reason=reason)
        return Response(AssignmentSerializer(_assignment(removed)).data)


def _bid_row(row: EvaluatorBid) -> dict[str, Any]:
    return {
        "bid_id": row.bid_id,
        "label": row.label,
        "name": row.name,
        "organisation_name": row.organisation_name,
        "status": row.status,
        "declared": row.declaration is not None,
        "has_conflict": row.declaration.has_conflict if row.declaration else None,
        "recused": row.recused,
        "may_score": row.may_score,
        "submitted_at": row.submitted_at,
        "criterion_ids": list(row.criterion_ids),
    }


def _criterion(criterion: Criterion) -> dict[str, Any]:
    scores = DESCRIPTOR_SCORES.get(Scale(criterion.scale), ()) if criterion.scale in Scale.values else ()
    texts = list(criterion.scoring_descriptors or [])
    return {
        "id": criterion.pk,
        "title": criterion.title,
        "kind": criterion.kind,
        "scale": criterion.scale,
        "descriptors": [
            {"score": score, "text": str(texts[i]) if i < len(texts) and texts[i] else ""}
            for i, score in enumerate(scores)
        ],
    }


@extend_schema(tags=["evaluation"], responses={200: MyEvaluationSerializer})
class MyEvaluationView(_EvaluationAPIView, generics.GenericAPIView):
    """The evaluator's own bids (evaluators): each with their declaration, recusal and progress,
    and the criteria they score with the scale's descriptors."""

    serializer_class = MyEvaluationSerializer
    council_permission = "evaluation.score"

    def get(self, request: Request, council_slug: str, tender_id: int) -> Response:
        tender = self.tender()
        refused = self.sealed(tender)
        if refused is not None:
            return refused
        started = selectors.evaluation_of(tender=tender) is not None
        rows = selectors.evaluator_bids(tender=tender, user=request.user) if started else []
        wanted = {pk for row in rows for pk in row.criterion_ids}
        body = {
            "started": started,
            "blind": tender.blind_evaluation,
            "justification_minimum_length": selectors.tender_policy(council=self.council).justification_minimum_length,
            "criteria": [_criterion(c) for c in selectors.scored_criteria(tender=tender) if c.pk in wanted],
            "bids": [_bid_row(row) for row in rows],
        }
        return Response(MyEvaluationSerializer(body).data)


def _bid(tender: Tender, bid_id: int) -> Bid:
    return Bid(pk=bid_id, council_id=tender.council_id, tender_id=tender.pk)


@extend_schema(
    tags=["evaluation"],
    request=DeclarationSerializer,
    responses={200: EvaluatorBidSerializer},
)
class DeclarationView(JSONOnly, _EvaluationAPIView, generics.GenericAPIView):
    """Declare interests in the bidder (evaluators) before seeing its bid. A conflict needs
    ``details`` and recuses the evaluator from the bid (or, with ``whole_tender``, the tender)."""

    serializer_class = DeclarationSerializer
    council_permission = "evaluation.score"

    def post(self, request: Request, council_slug: str, tender_id: int, bid_id: int) -> Response:
        tender = self.tender()
        refused = self.sealed(tender)
        if refused is not None:
            return refused
        if selectors.evaluation_of(tender=tender) is None:
            raise ValidationError(NOT_STARTED)
        selectors.evaluator_bid(tender=tender, user=request.user, bid_id=bid_id)  # 404 for any other
        serializer = DeclarationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.bidder_conflict_declare(
            tender=tender,
            bid=_bid(tender, bid_id),
            actor=request.user,
            has_conflict=data["has_conflict"],
            details=data.get("details", ""),
            whole_tender=data["has_conflict"] and data.get("whole_tender", False),
        )
        row = selectors.evaluator_bid(tender=tender, user=request.user, bid_id=bid_id)
        return Response(EvaluatorBidSerializer(_bid_row(row)).data)


def _sheet(tender: Tender, user: User, row: EvaluatorBid) -> dict[str, Any]:
    sheet, scores = selectors.my_score_sheet(tender=tender, user=user, bid_id=row.bid_id)
    submitted = sheet is not None and sheet.submitted_at is not None
    others = selectors.others_scores(tender=tender, viewer=user, bid_id=row.bid_id) if submitted else []
    return {
        "bid_id": row.bid_id,
        "name": row.name,
        "submitted_at": sheet.submitted_at if sheet else None,
        "scores": [
            {
                "criterion_id": criterion_id,
                "score": scores[criterion_id].score if criterion_id in scores else None,
                "justification": scores[criterion_id].justification if criterion_id in scores else "",
                "revision": scores[criterion_id].revision if criterion_id in scores else 0,
            }
            for criterion_id in row.criterion_ids
        ],
        "others": [
            {
                "criterion_id": s.criterion_id,
                "evaluator": s.evaluator.name or s.evaluator.email,
                "score": s.score,
                "justification": s.justification,
            }
            for s in others
        ],
    }


class _SheetView(_EvaluationAPIView):
    council_permission = "evaluation.score"

    def scorable(self, tender: Tender, bid_id: int) -> EvaluatorBid:
        if selectors.evaluation_of(tender=tender) is None:
            raise ValidationError(NOT_STARTED)
        row = selectors.evaluator_bid(tender=tender, user=self.request.user, bid_id=bid_id)
        if row.declaration is None:
            raise services.ScoringRefused("Declare your interests in this bidder before you score its bid")
        if not row.may_score:
            raise services.ScoringRefused("You are recused from this bid")
        return row


@extend_schema(tags=["evaluation"])
class ScoreSheetView(JSONOnly, _SheetView, generics.GenericAPIView):
    """The evaluator's own score sheet of a bid (evaluators who declared no conflict)."""

    serializer_class = ScoreSheetSerializer

    @extend_schema(responses={200: ScoreSheetSerializer})
    def get(self, request: Request, council_slug: str, tender_id: int, bid_id: int) -> Response:
        tender = self.tender()
        refused = self.sealed(tender)
        if refused is not None:
            return refused
        row = self.scorable(tender, bid_id)
        return Response(ScoreSheetSerializer(_sheet(tender, request.user, row)).data)

    @extend_schema(request=ScoreSheetInSerializer, responses={200: ScoreSheetSerializer})
    def put(self, request: Request, council_slug: str, tender_id: int, bid_id: int) -> Response:
        """Save draft scores: each given criterion at the ``revision`` read. A score must be on the
        criterion's scale; a stale revision is refused (400, the criterion's justification field).
        Scores that saved stay saved when another is refused."""
        tender = self.tender()
        refused = self.sealed(tender)
        if refused is not None:
            return refused
        row = self.scorable(tender, bid_id)
        serializer = ScoreSheetInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        criteria = {c.pk: c for c in selectors.scored_criteria(tender=tender) if c.pk in row.criterion_ids}
        errors: dict[str, list[str]] = {}
        for item in serializer.validated_data["scores"]:
            criterion = criteria.get(item["criterion_id"])
            if criterion is None:
                errors[f"criterion-{item['criterion_id']}"] = ["You are not assigned to score this criterion"]
                continue
            try:
                services.score_save(
                    tender=tender,
                    bid=_bid(tender, bid_id),
                    actor=request.user,
                    criterion=criterion,
                    score=item.get("score"),
                    justification=item.get("justification", ""),
                    expected_revision=item["revision"],
                )
            except ValidationError as error:
                found = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
                for key, messages in found.items():
                    errors.setdefault(key, []).extend(messages)
        if errors:
            raise ValidationError(errors)
        return Response(ScoreSheetSerializer(_sheet(tender, request.user, row)).data)


@extend_schema(tags=["evaluation"], request=None, responses={200: ScoreSheetSerializer})
class ScoreSheetSubmitView(JSONOnly, _SheetView, generics.GenericAPIView):
    """Submit the score sheet, which locks it. Every assigned criterion needs a score on its scale
    and a justification of the council's minimum length: otherwise 400 with every field's problem
    (``criterion-<id>-score``, ``criterion-<id>-justification``)."""

    serializer_class = ScoreSheetSerializer

    def post(self, request: Request, council_slug: str, tender_id: int, bid_id: int) -> Response:
        tender = self.tender()
        refused = self.sealed(tender)
        if refused is not None:
            return refused
        row = self.scorable(tender, bid_id)
        services.score_sheet_submit(tender=tender, bid=_bid(tender, bid_id), actor=request.user)
        return Response(ScoreSheetSerializer(_sheet(tender, request.user, row)).data)


_EVALUATION = f"{PREFIX}<int:tender_id>/evaluation/"
urlpatterns: list[URLPattern] = [
    path(f"{_EVALUATION}progress/", ProgressView.as_view(), name="api_evaluation_progress"),
    path(f"{_EVALUATION}evaluators/", AssignView.as_view(), name="api_evaluation_assign"),
    path(
        f"{_EVALUATION}evaluators/<int:assignment_id>/remove/",
        RemoveView.as_view(),
        name="api_evaluation_remove",
    ),
    path(f"{_EVALUATION}mine/", MyEvaluationView.as_view(), name="api_evaluation_mine"),
    path(f"{_EVALUATION}bids/<int:bid_id>/declaration/", DeclarationView.as_view(), name="api_evaluation_declaration"),
    path(f"{_EVALUATION}bids/<int:bid_id>/scores/", ScoreSheetView.as_view(), name="api_evaluation_scores"),
    path(
        f"{_EVALUATION}bids/<int:bid_id>/scores/submit/",
        ScoreSheetSubmitView.as_view(),
        name="api_evaluation_submit",
    ),
]
