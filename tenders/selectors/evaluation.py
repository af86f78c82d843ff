"""Reads of evaluation that every stage shares: which bids are evaluated, what they are called in a
blind evaluation, which criteria are scored, who is assigned, and who owes which score sheet.

Every function takes the tender (already read in its council's scope) and filters on its council.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from commissioning.models import Membership, Role, User
from tenders.models import (
    Bid,
    BidderConflictDeclaration,
    BidStatus,
    Compliance,
    Criterion,
    CriterionKind,
    Evaluation,
    EvaluatorAssignment,
    Recusal,
    Score,
    ScoreSheet,
    Tender,
)

__all__: list[str] = [
    "CriterionCover",
    "EvaluatorDuty",
    "EvaluatorProgress",
    "EvaluatorBid",
    "assignment_get",
    "evaluation_of",
    "evaluation_progress",
    "evaluator_candidates",
    "evaluator_bid",
    "evaluator_bids",
    "my_score_sheet",
    "others_scores",
    "panel_cover",
    "recusal_get",
    "recusal_rows",
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


# --- Evaluators, their conflicts and their individual scores (helper "evaluators") -----------------
# Callers have checked the submission deadline has passed (tenders.sealing.may_unseal): who bid is
# sealed until then. Nothing here shows an evaluator's scores to anyone but themselves, except
# :func:`others_scores`, once the viewer's own sheet is submitted.


def evaluation_of(*, tender: Tender) -> Evaluation | None:
    """The tender's evaluation, if it has started."""
    return Evaluation.objects.filter(council=tender.council_id, tender=tender).first()


def evaluator_candidates(*, tender: Tender) -> list[User]:
    """The council's members holding the evaluator role, by name: the people who may be assigned."""
    memberships = (
        Membership.objects.filter(council=tender.council_id, role=Role.EVALUATOR)
        .select_related("user")
        .order_by("user__name", "user__email")
    )
    return [membership.user for membership in memberships]


def assignment_get(*, tender: Tender, assignment_id: int) -> EvaluatorAssignment:
    """One current assignment of the tender (404 otherwise)."""
    assignment = current_assignments(tender=tender).filter(pk=assignment_id).first()
    if assignment is None:
        raise Http404("No such evaluator")
    return assignment


@dataclass
class EvaluatorProgress:
    """One evaluator's progress as counts, never scores: what the commissioner sees before moderation."""

    user: User
    assignments: list[EvaluatorAssignment] = field(default_factory=list)
    bids: int = 0  # bids they score (not recused from)
    declared: int = 0  # bids whose bidder they declared their interests in
    submitted: int = 0  # score sheets submitted, of those they score
    recused: int = 0  # bids they are recused from

    @property
    def owed(self) -> int:
        return self.bids - self.submitted

    @property
    def whole_tender(self) -> bool:
        return any(assignment.criterion_id is None for assignment in self.assignments)


def evaluation_progress(*, tender: Tender) -> list[EvaluatorProgress]:
    """Each current evaluator's counts (sheets submitted and owed, declarations, recusals), in the
    order they were assigned. A constant number of queries whatever the number of bids."""
    progress: dict[int, EvaluatorProgress] = {}
    for assignment in current_assignments(tender=tender):
        row = progress.setdefault(assignment.user_id, EvaluatorProgress(user=assignment.user))
        row.assignments.append(assignment)
    submitted = set(
        ScoreSheet.objects.filter(council=tender.council_id, tender=tender, submitted_at__isnull=False).values_list(
            "evaluator_id", "bid_id"
        )
    )
    declared = set(
        BidderConflictDeclaration.objects.filter(
            council=tender.council_id, tender=tender, superseded_at__isnull=True
        ).values_list("user_id", "bid_id")
    )
    for duty in evaluator_duties(tender=tender):
        counted = progress.get(duty.evaluator_id)
        if counted is None:
            continue
        key = (duty.evaluator_id, duty.bid_id)
        counted.declared += key in declared
        if duty.recused:
            counted.recused += 1
        else:
            counted.bids += 1
            counted.submitted += key in submitted
    return list(progress.values())


@dataclass(frozen=True)
class CriterionCover:
    """How many evaluators score one scored criterion (not recused from the whole tender), against the policy."""

    criterion: Criterion
    evaluators: int
    minimum: int

    @property
    def short(self) -> bool:
        return self.evaluators < self.minimum


def panel_cover(*, tender: Tender, minimum: int) -> list[CriterionCover]:
    """Each scored criterion with the number of evaluators scoring it, against the council policy's
    ``minimum_evaluators``: moderation will not open while one is short."""
    criteria = scored_criteria(tender=tender)
    whole_recused = set(
        Recusal.objects.filter(council=tender.council_id, tender=tender, bid__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    per_criterion: dict[int | None, set[int]] = {}
    for user_id, criterion_id in EvaluatorAssignment.objects.filter(
        council=tender.council_id, tender=tender, removed_at__isnull=True
    ).values_list("user_id", "criterion_id"):
        if user_id not in whole_recused:
            per_criterion.setdefault(criterion_id, set()).add(user_id)
    everything = per_criterion.get(None, set())
    return [
        CriterionCover(
            criterion=criterion,
            evaluators=len(everything | per_criterion.get(criterion.pk, set())),
            minimum=minimum,
        )
        for criterion in criteria
    ]


@dataclass(frozen=True)
class EvaluatorBid:
    """One bid an evaluator owes a score sheet on, as they see it.

    ``name`` is what the pages call the bid: its blind label in a blind evaluation, else the
    organisation's name. ``organisation_name`` is shown only to declare interests (an evaluator must
    know who the bidder is to say whether they have a conflict), never beside the bid's content in a
    blind evaluation.
    """

    bid_id: int
    label: str
    organisation_name: str
    name: str
    criterion_ids: tuple[int, ...]
    declaration: BidderConflictDeclaration | None
    recused: bool
    submitted_at: datetime | None
    scored: int  # criteria with a draft score

    @property
    def may_score(self) -> bool:
        return self.declaration is not None and not self.declaration.has_conflict and not self.recused

    @property
    def status(self) -> str:
        if self.recused or (self.declaration is not None and self.declaration.has_conflict):
            return "Recused"
        if self.declaration is None:
            return "Declare your interests"
        if self.submitted_at is not None:
            return "Submitted"
        if self.scored:
            return "In progress"
        return "Not started"


def evaluator_bids(*, tender: Tender, user: User) -> list[EvaluatorBid]:
    """The bids ``user`` owes a score sheet on, oldest first, with their declaration, recusal and
    how far their scoring has gone. A constant number of queries whatever the number of bids."""
    duties = {duty.bid_id: duty for duty in evaluator_duties(tender=tender) if duty.evaluator_id == user.pk}
    if not duties:
        return []
    bids = list(evaluated_bids(tender=tender).select_related("organisation").only("id", "organisation__name"))
    declarations = {
        declaration.bid_id: declaration
        for declaration in BidderConflictDeclaration.objects.filter(
            council=tender.council_id, tender=tender, user=user, superseded_at__isnull=True
        )
    }
    sheets = {
        sheet.bid_id: sheet
        for sheet in ScoreSheet.objects.filter(council=tender.council_id, tender=tender, evaluator=user).only(
            "id", "bid_id", "submitted_at"
        )
    }
    scored: dict[int, int] = {}
    for bid_id in Score.objects.filter(
        council=tender.council_id, tender=tender, evaluator=user, score__isnull=False
    ).values_list("bid_id", flat=True):
        scored[bid_id] = scored.get(bid_id, 0) + 1
    rows = []
    for position, bid in enumerate(bids):
        duty = duties.get(bid.pk)
        if duty is None:
            continue
        label = bid_label(position)
        sheet = sheets.get(bid.pk)
        rows.append(
            EvaluatorBid(
                bid_id=bid.pk,
                label=label,
                organisation_name=bid.organisation.name,
                name=label if tender.blind_evaluation else bid.organisation.name,
                criterion_ids=duty.criterion_ids,
                declaration=declarations.get(bid.pk),
                recused=duty.recused,
                submitted_at=sheet.submitted_at if sheet else None,
                scored=scored.get(bid.pk, 0),
            )
        )
    return rows


def evaluator_bid(*, tender: Tender, user: User, bid_id: int) -> EvaluatorBid:
    """One bid ``user`` owes a score sheet on (404 for any other)."""
    for row in evaluator_bids(tender=tender, user=user):
        if row.bid_id == bid_id:
            return row
    raise Http404("No such bid to evaluate")


def my_score_sheet(*, tender: Tender, user: User, bid_id: int) -> tuple[ScoreSheet | None, dict[int, Score]]:
    """``user``'s own score sheet of the bid (None before their first save) and its scores by criterion id."""
    sheet = ScoreSheet.objects.filter(council=tender.council_id, tender=tender, bid_id=bid_id, evaluator=user).first()
    if sheet is None:
        return None, {}
    scores = Score.objects.filter(council=tender.council_id, sheet=sheet)
    return sheet, {score.criterion_id: score for score in scores}


def others_scores(*, tender: Tender, viewer: User, bid_id: int) -> list[Score]:
    """The other evaluators' submitted scores of a bid, with who gave them, for an evaluator who
    has submitted their own (nobody sees another evaluator's scores before that: PermissionDenied).
    Drafts are never shown."""
    own = ScoreSheet.objects.filter(
        council=tender.council_id, tender=tender, bid_id=bid_id, evaluator=viewer, submitted_at__isnull=False
    )
    if not own.exists():
        raise PermissionDenied("Submit your own scores of this bid before you see anyone else's")
    return list(
        Score.objects.filter(council=tender.council_id, tender=tender, bid_id=bid_id, sheet__submitted_at__isnull=False)
        .exclude(evaluator=viewer)
        .select_related("evaluator", "criterion")
        .order_by("criterion__position", "criterion_id", "evaluator__name", "pk")
    )


def recusal_rows(*, tender: Tender) -> list[Recusal]:
    """Every recusal of the tender, oldest first, with who stepped back, from which bid, and the decision."""
    return list(
        Recusal.objects.filter(council=tender.council_id, tender=tender)
        .select_related("user", "bid__organisation", "decided_by")
        .order_by("pk")
    )


def recusal_get(*, tender: Tender, recusal_id: int) -> Recusal:
    recusal = (
        Recusal.objects.filter(council=tender.council_id, tender=tender, pk=recusal_id)
        .select_related("user", "bid__organisation", "decided_by")
        .first()
    )
    if recusal is None:
        raise Http404("No such recusal")
    return recusal
