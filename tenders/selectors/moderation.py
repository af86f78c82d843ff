"""Reads of moderation: whether it may open (and what is missing), and the side-by-side board of
every evaluator's submitted scores per bid and scored criterion, with the spread and the agreed score.

Only submitted score sheets count, and only of evaluators not recused from the bid. In a blind
evaluation the board names bids by their blind labels (``bid_labels``) until moderation is locked.
Every function takes the tender (read in its council's scope) and filters on its council; the
board costs the same queries whatever the number of bids.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from commissioning.models import User
from tenders.models import (
    SCALE_MAXIMUM,
    Criterion,
    Evaluation,
    ModeratedScore,
    ModeratedScoreChange,
    Recusal,
    Scale,
    Score,
    ScoreSheet,
    Tender,
    TenderPolicy,
)
from tenders.sealing import Reader, SealedError, may_unseal
from tenders.selectors.evaluation import bid_labels, evaluated_bids, evaluator_duties, scored_criteria
from tenders.selectors.policy import tender_policy

__all__: list[str] = [
    "IndividualScore",
    "ModerationCell",
    "ModerationBid",
    "ModerationBoard",
    "criterion_maximum",
    "moderation_evaluation",
    "moderation_problems",
    "moderation_board",
    "moderation_missing",
]

_HUNDRED = Decimal(100)


def criterion_maximum(criterion: Criterion) -> Decimal:
    """The top of the criterion's scale (5 on 0 to 5, 100 on 0 to 100)."""
    return SCALE_MAXIMUM.get(Scale(criterion.scale), Decimal(5)) if criterion.scale in Scale.values else Decimal(5)


def moderation_evaluation(*, tender: Tender) -> Evaluation | None:
    """The tender's evaluation, if it has started."""
    return Evaluation.objects.filter(council=tender.council_id, tender=tender).first()


def _require_unsealed(tender: Tender) -> None:
    if not may_unseal(tender, Reader.COUNCIL, None):
        raise SealedError("Bids for this tender are sealed until the submission deadline")


def _scored_by(tender: Tender) -> dict[tuple[int, int], set[int]]:
    """(bid, criterion) -> evaluators who scored it on a submitted sheet. One query."""
    rows = Score.objects.filter(
        council=tender.council_id, tender=tender, sheet__submitted_at__isnull=False, score__isnull=False
    ).values_list("bid_id", "criterion_id", "evaluator_id")
    scored: dict[tuple[int, int], set[int]] = defaultdict(set)
    for bid_id, criterion_id, evaluator_id in rows:
        scored[(bid_id, criterion_id)].add(evaluator_id)
    return scored


def moderation_problems(*, tender: Tender, policy: TenderPolicy | None = None) -> list[str]:
    """Why moderation cannot open yet, in words; empty when it can.

    The rule (issue 10): every evaluator's duty is submitted or recused, and every bid has at least
    the council's minimum number of evaluators (``TenderPolicy.minimum_evaluators``), not recused,
    who submitted a score on each scored criterion.
    """
    _require_unsealed(tender)
    evaluation = moderation_evaluation(tender=tender)
    if evaluation is None:
        return ["The evaluation has not started: start it and assign evaluators first."]
    policy = policy or tender_policy(council=tender.council)
    duties = evaluator_duties(tender=tender)
    criteria = scored_criteria(tender=tender)
    labels = bid_labels(tender=tender)
    problems: list[str] = []
    if not labels:
        return ["There are no evaluated bids to moderate."]
    if not criteria:
        return ["The evaluation model has no quality or social value criteria to score."]
    if not duties:
        return ["No evaluators are assigned to score the bids."]
    submitted = set(
        ScoreSheet.objects.filter(council=tender.council_id, tender=tender, submitted_at__isnull=False).values_list(
            "evaluator_id", "bid_id"
        )
    )
    owing: dict[int, int] = defaultdict(int)
    recused: set[tuple[int, int]] = set()
    for duty in duties:
        if duty.recused:
            recused.add((duty.evaluator_id, duty.bid_id))
        elif (duty.evaluator_id, duty.bid_id) not in submitted:
            owing[duty.evaluator_id] += 1
    if owing:
        people = {user.pk: user for user in User.objects.filter(pk__in=owing).only("pk", "name", "email")}
        for evaluator_id, count in owing.items():
            person = people.get(evaluator_id)
            who = (person.name or person.email) if person else f"Evaluator {evaluator_id}"
            problems.append(f"{who} has not submitted their scores for {count} bid{'s' if count != 1 else ''}.")
    scored = _scored_by(tender)
    minimum = policy.minimum_evaluators
    for bid_id, label in labels.items():
        for criterion in criteria:
            count = len({e for e in scored.get((bid_id, criterion.pk), set()) if (e, bid_id) not in recused})
            if count < minimum:
                problems.append(
                    f"{label}: {count} of the {minimum} evaluators needed submitted a score on “{criterion.title}”."
                )
    return problems


@dataclass(frozen=True)
class IndividualScore:
    evaluator_id: int
    evaluator: str
    score: Decimal | None
    justification: str


@dataclass
class ModerationCell:
    """One bid on one scored criterion: each evaluator's score, the spread, and the agreed score."""

    criterion: Criterion
    maximum: Decimal
    scores: list[IndividualScore] = field(default_factory=list)
    spread: Decimal | None = None
    wide: bool = False
    moderated: ModeratedScore | None = None
    changes: list[ModeratedScoreChange] = field(default_factory=list)

    @property
    def pending_change(self) -> ModeratedScoreChange | None:
        return next((change for change in self.changes if not change.decision), None)


@dataclass
class ModerationBid:
    bid_id: int
    label: str
    cells: list[ModerationCell]

    @property
    def agreed(self) -> int:
        return sum(1 for cell in self.cells if cell.moderated is not None)

    @property
    def wide_count(self) -> int:
        return sum(1 for cell in self.cells if cell.wide)


@dataclass
class ModerationBoard:
    tender: Tender
    evaluation: Evaluation | None
    policy: TenderPolicy
    criteria: list[Criterion]
    bids: list[ModerationBid]
    blind: bool  # names are hidden (blind labels shown)

    @property
    def opened(self) -> bool:
        return self.evaluation is not None and self.evaluation.moderation_opened_at is not None

    @property
    def locked(self) -> bool:
        return self.evaluation is not None and self.evaluation.moderation_locked_at is not None

    @property
    def complete(self) -> bool:
        return all(bid.agreed == len(bid.cells) for bid in self.bids)


def moderation_board(*, tender: Tender, bid_ids: list[int] | None = None) -> ModerationBoard:
    """The side-by-side view of the bids given (every evaluated bid if none), a fixed number of queries.

    The spread of a cell is the highest less the lowest individual score; it is highlighted
    (``wide``) when it is at least the council's ``moderation_spread_percent`` of the scale's
    maximum (40% of 5: two points on 0 to 5).
    """
    _require_unsealed(tender)
    council_id = tender.council_id
    evaluation = moderation_evaluation(tender=tender)
    policy = tender_policy(council=tender.council)
    criteria = scored_criteria(tender=tender)
    blind = tender.blind_evaluation and (evaluation is None or evaluation.moderation_locked_at is None)
    bids = evaluated_bids(tender=tender)
    if bid_ids is not None:
        bids = bids.filter(pk__in=bid_ids)
    rows = list(bids.select_related("organisation").only("pk", "organisation__name"))
    labels = bid_labels(tender=tender) if blind else {}
    ids = [bid.pk for bid in rows]
    recusals: set[tuple[int, int]] = set()
    whole: set[int] = set()
    for user_id, bid_id in Recusal.objects.filter(council=council_id, tender=tender).values_list("user_id", "bid_id"):
        if bid_id is None:
            whole.add(user_id)
        else:
            recusals.add((user_id, bid_id))
    scores = (
        Score.objects.filter(council=council_id, tender=tender, bid_id__in=ids, sheet__submitted_at__isnull=False)
        .select_related("evaluator")
        .only("bid_id", "criterion_id", "evaluator_id", "score", "justification", "evaluator__name", "evaluator__email")
        .order_by("evaluator_id", "pk")
    )
    individual: dict[tuple[int, int], list[IndividualScore]] = defaultdict(list)
    for score in scores:
        if score.evaluator_id in whole or (score.evaluator_id, score.bid_id) in recusals:
            continue
        individual[(score.bid_id, score.criterion_id)].append(
            IndividualScore(
                evaluator_id=score.evaluator_id,
                evaluator=score.evaluator.name or score.evaluator.email,
                score=score.score,
                justification=score.justification,
            )
        )
    moderated = {
        (m.bid_id, m.criterion_id): m
        for m in ModeratedScore.objects.filter(council=council_id, tender=tender, bid_id__in=ids).select_related(
            "agreed_by"
        )
    }
    changes: dict[int, list[ModeratedScoreChange]] = defaultdict(list)
    for change in (
        ModeratedScoreChange.objects.filter(Q(moderated_score__bid_id__in=ids), council=council_id, tender=tender)
        .select_related("requested_by", "decided_by")
        .order_by("pk")
    ):
        changes[change.moderated_score_id].append(change)
    share = policy.moderation_spread_percent / _HUNDRED
    board_bids = []
    for bid in rows:
        cells = []
        for criterion in criteria:
            maximum = criterion_maximum(criterion)
            given = individual.get((bid.pk, criterion.pk), [])
            values = [s.score for s in given if s.score is not None]
            spread = (max(values) - min(values)) if values else None
            agreed = moderated.get((bid.pk, criterion.pk))
            cells.append(
                ModerationCell(
                    criterion=criterion,
                    maximum=maximum,
                    scores=given,
                    spread=spread,
                    wide=spread is not None and len(values) > 1 and spread >= share * maximum,
                    moderated=agreed,
                    changes=changes.get(agreed.pk, []) if agreed else [],
                )
            )
        label = labels.get(bid.pk, "") if blind else bid.organisation.name
        board_bids.append(ModerationBid(bid_id=bid.pk, label=label, cells=cells))
    return ModerationBoard(
        tender=tender, evaluation=evaluation, policy=policy, criteria=criteria, bids=board_bids, blind=blind
    )


def moderation_missing(*, tender: Tender) -> list[str]:
    """The bid × criterion pairs without an agreed score, in words (what the lock still needs)."""
    board = moderation_board(tender=tender)
    return [
        f"{bid.label}: no agreed score on “{cell.criterion.title}”."
        for bid in board.bids
        for cell in bid.cells
        if cell.moderated is None
    ]
