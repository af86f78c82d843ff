"""Reads of evaluation that every stage shares: which bids are evaluated, what they are called in a
blind evaluation, which criteria are scored, who is assigned, and who owes which score sheet.

Every function takes the tender (already read in its council's scope) and filters on its council.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from tenders.models import Bid, BidStatus, Compliance, Criterion, CriterionKind, EvaluatorAssignment, Recusal, Tender

__all__: list[str] = [
    "EvaluatorDuty",
    "bid_label",
    "bid_labels",
    "current_assignments",
    "evaluated_bids",
    "evaluator_duties",
    "scored_criteria",
]

SCORED_KINDS = (CriterionKind.QUALITY, CriterionKind.SOCIAL_VALUE)


def evaluated_bids(*, tender: Tender) -> QuerySet[Bid]:
    """The bids that are evaluated: submitted, and not found non-compliant at opening; oldest first.

    Callers must already know the deadline has passed (who bid is sealed until then).
    """
    return (
        Bid.objects.filter(council=tender.council_id, tender=tender, status=BidStatus.SUBMITTED)
        .exclude(compliance=Compliance.NON_COMPLIANT)
        .order_by("pk")
    )


def bid_label(position: int) -> str:
    """The name of the ``position``-th bid (0-based) in a blind evaluation: "Bid A" … "Bid Z", "Bid AA" …"""
    letters = ""
    number = position + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return f"Bid {letters}"


def bid_labels(*, tender: Tender, bid_ids: Iterable[int] | None = None) -> dict[int, str]:
    """Each evaluated bid's blind name, fixed by the order bids were started (so it never changes
    while evaluators and moderators work): ``{bid_id: "Bid A", ...}``. One query."""
    ids = list(evaluated_bids(tender=tender).values_list("pk", flat=True))
    labels = {bid_id: bid_label(position) for position, bid_id in enumerate(ids)}
    if bid_ids is None:
        return labels
    wanted = set(bid_ids)
    return {bid_id: label for bid_id, label in labels.items() if bid_id in wanted}


def scored_criteria(*, tender: Tender) -> list[Criterion]:
    """The criteria evaluators score: quality and social value criteria without parts, in the model's order."""
    criteria = list(
        Criterion.objects.filter(council=tender.council_id, tender=tender, kind__in=SCORED_KINDS).order_by(
            "position", "pk"
        )
    )
    parents = {criterion.parent_id for criterion in criteria if criterion.parent_id}
    return [criterion for criterion in criteria if criterion.pk not in parents]


def current_assignments(*, tender: Tender) -> QuerySet[EvaluatorAssignment]:
    """The evaluators assigned now (not removed), with their people, oldest first."""
    return (
        EvaluatorAssignment.objects.filter(council=tender.council_id, tender=tender, removed_at__isnull=True)
        .select_related("user", "criterion")
        .order_by("pk")
    )


@dataclass(frozen=True)
class EvaluatorDuty:
    """What one evaluator owes on one bid: the criteria to score, unless they are recused."""

    evaluator_id: int
    bid_id: int
    criterion_ids: tuple[int, ...]
    recused: bool


def evaluator_duties(*, tender: Tender) -> list[EvaluatorDuty]:
    """Every (evaluator, bid) pair that needs a score sheet, with the criteria on it and whether the
    evaluator is recused from that bid (or from the whole tender). Four queries whatever the size."""
    criteria = scored_criteria(tender=tender)
    all_ids = tuple(criterion.pk for criterion in criteria)
    per_evaluator: dict[int, set[int]] = {}
    for assignment in current_assignments(tender=tender):
        wanted = per_evaluator.setdefault(assignment.user_id, set())
        if assignment.criterion_id is None:
            wanted.update(all_ids)
        elif assignment.criterion_id in all_ids:
            wanted.add(assignment.criterion_id)
    recusals = Recusal.objects.filter(council=tender.council_id, tender=tender).values_list("user_id", "bid_id")
    whole = {user_id for user_id, bid_id in recusals if bid_id is None}
    from_bid = {(user_id, bid_id) for user_id, bid_id in recusals if bid_id is not None}
    bid_ids = list(evaluated_bids(tender=tender).values_list("pk", flat=True))
    order = {criterion_id: index for index, criterion_id in enumerate(all_ids)}
    return [
        EvaluatorDuty(
            evaluator_id=evaluator_id,
            bid_id=bid_id,
            criterion_ids=tuple(sorted(wanted, key=order.__getitem__)),
            recused=evaluator_id in whole or (evaluator_id, bid_id) in from_bid,
        )
        for evaluator_id, wanted in per_evaluator.items()
        if wanted
        for bid_id in bid_ids
    ]
