"""Writes of evaluation, up to the individual scores: starting it, assigning and removing
evaluators, their declarations of interest against each bidder, recusals and the officer's
decision on them, draft scores (autosaved) and the submission that locks a score sheet.

The rules (issue 10, "Evaluators and conflicts" and "Individual scoring"):

- nothing of a bid is read before the submission deadline, so nothing is evaluated before it
  (:class:`SealedError`);
- evaluators are council members holding the evaluator role, on every scored criterion or one;
- an evaluator declares their interests against each bidding organisation before any of its bid
  is shown to them; a conflict recuses them from that bid (or from the tender, if they choose),
  and an officer decides whether the panel still stands;
- a score is on the criterion's scale with a written justification of at least the council's
  minimum length; the evaluator's submission locks the sheet;
- once moderation is open, nothing here changes any more.

Every write appends an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from commissioning.audit import audit_record
from commissioning.models import Membership, Role, User
from tenders.audit_labels import TenderAction
from tenders.models import (
    DESCRIPTOR_SCORES,
    SCALE_MAXIMUM,
    Bid,
    BidderConflictDeclaration,
    ConflictDeclaration,
    Criterion,
    Evaluation,
    EvaluatorAssignment,
    PanelDecision,
    Recusal,
    Scale,
    Score,
    ScoreSheet,
    Tender,
    TenderPolicy,
)
from tenders.sealing import Reader, SealedError, may_unseal
from tenders.selectors.evaluation import bid_labels, evaluated_bids, scored_criteria
from tenders.selectors.publication import (
    published_evaluation_settings,
    published_settings_subquery,
    team_declaration,
    with_published_settings,
)
from tenders.services.publication import declaration_renew

__all__: list[str] = [
    "REASON_MAX_LENGTH",
    "JUSTIFICATION_MAX_LENGTH",
    "ScoringRefused",
    "bidder_conflict_declare",
    "evaluation_start",
    "evaluator_assign",
    "evaluator_remove",
    "recusal_decide",
    "score_field",
    "score_on_scale",
    "score_save",
    "score_sheet_submit",
]

REASON_MAX_LENGTH = 5000
JUSTIFICATION_MAX_LENGTH = 10_000
STALE_SCORE = (
    "These scores were saved from another page at {time}. Your text is still here: copy it, "
    "reload the page, and save again"
)


class ScoringRefused(PermissionDenied):
    """The evaluator may not score this bid now (not assigned, not declared, recused, locked)."""


def score_field(criterion_id: int, part: str) -> str:
    """The name of a score sheet's field (``part``: "score" or "justification") for one criterion:
    the key of the service's errors, the form's fields and the API's error fields."""
    return f"criterion-{criterion_id}-{part}"


def _policy(tender: Tender) -> TenderPolicy:
    return TenderPolicy.objects.filter(council=tender.council_id).first() or TenderPolicy(council_id=tender.council_id)


def _require_deadline_passed(tender: Tender, now: datetime | None) -> None:
    if tender.published_at is None or not may_unseal(tender, Reader.COUNCIL, now):
        raise SealedError("Bids for this tender are sealed until the submission deadline")


def _evaluation(tender: Tender, *, lock: bool = False) -> Evaluation:
    evaluations = Evaluation.objects.filter(council=tender.council_id, tender=tender)
    evaluation = (evaluations.select_for_update() if lock else evaluations).first()
    if evaluation is None:
        raise ValidationError("The evaluation of this tender has not started")
    return evaluation


def _before_moderation(evaluation: Evaluation) -> None:
    if evaluation.moderation_opened_at is not None:
        raise ValidationError("Moderation is open: the evaluators and individual scores can no longer change")


def _clean_text(value: str, *, field: str, required: str, limit: int = REASON_MAX_LENGTH) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: required})
    if len(text) > limit:
        raise ValidationError({field: f"It must be {limit:,} characters or fewer"})
    return text


@transaction.atomic
def evaluation_start(*, tender: Tender, actor: User, now: datetime | None = None) -> Evaluation:
    """Start the evaluation of a published tender, once its submission deadline has passed
    (before it the bids are sealed: :class:`SealedError`). Starting again changes nothing."""
    _require_deadline_passed(tender, now)
    Tender.objects.select_for_update().filter(pk=tender.pk).first()  # one start at a time
    existing = Evaluation.objects.filter(council=tender.council_id, tender=tender).first()
    if existing is not None:
        return existing
    evaluation = Evaluation.objects.create(
        council_id=tender.council_id, tender=tender, started_by=actor, started_at=now or timezone.now()
    )
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.EVALUATION_STARTED,
        target=evaluation,
        after={"tender": tender.pk, "started_at": evaluation.started_at.isoformat()},
    )
    return evaluation


def _locked_with_settings(tender: Tender) -> tuple[Tender, dict[str, object] | None]:
    """The tender's row locked (one declaration of a person's at a time), with its evaluation
    settings as published (blind evaluation decides how a bid is named)."""
    locked = (
        Tender.objects.select_for_update(of=("self",))
        .select_related("council")
        .annotate(published_settings=published_settings_subquery())
        .get(council=tender.council_id, pk=tender.pk)
    )
    return locked, getattr(locked, "published_settings", None)


def _is_evaluator(tender: Tender, user: User) -> bool:
    return Membership.objects.filter(council=tender.council_id, user=user, role=Role.EVALUATOR).exists()


def _roles(tender: Tender, user: User) -> set[str]:
    return set(Membership.objects.filter(council=tender.council_id, user=user).values_list("role", flat=True))


@transaction.atomic
def evaluator_assign(
    *, tender: Tender, actor: User, user: User, criterion: Criterion | None = None, reason: str = ""
) -> EvaluatorAssignment:
    """Assign a council member holding the evaluator role to score every scored criterion
    (``criterion`` empty) or one (a social value specialist scores only social value questions).

    The commissioner assigns as they plan the evaluation; an officer changing the panel (after a
    recusal, say) gives the ``reason``, recorded on the assignment and audited."""
    evaluation = _evaluation(tender, lock=True)
    _before_moderation(evaluation)
    roles = _roles(tender, actor)
    if not roles & {Role.COMMISSIONER, Role.OFFICER}:
        raise PermissionDenied("Only a commissioner or an officer of the council assigns evaluators")
    if Role.COMMISSIONER in roles:
        reason = (reason or "").strip()
        if len(reason) > REASON_MAX_LENGTH:
            raise ValidationError({"reason": f"It must be {REASON_MAX_LENGTH:,} characters or fewer"})
    else:
        reason = _clean_text(reason, field="reason", required="Enter the reason for assigning the evaluator")
    if not _is_evaluator(tender, user):
        raise ValidationError({"user": "Choose a member of the council who holds the evaluator role"})
    if criterion is not None and criterion.pk not in {c.pk for c in scored_criteria(tender=tender)}:
        raise ValidationError({"criterion": "Choose a quality or social value criterion of this tender"})
    current = EvaluatorAssignment.objects.filter(
        council=tender.council_id, tender=tender, user=user, removed_at__isnull=True
    )
    if current.filter(criterion__isnull=True).exists():
        raise ValidationError({"user": f"{user.name or user.email} already scores every criterion of this tender"})
    if criterion is not None and current.filter(criterion=criterion).exists():
        raise ValidationError({"criterion": f"{user.name or user.email} already scores this criterion"})
    assignment = EvaluatorAssignment.objects.create(
        council_id=tender.council_id,
        tender=tender,
        user=user,
        criterion=criterion,
        assigned_by=actor,
        assigned_reason=reason,
    )
    if criterion is None:
        # Scoring everything covers what they were assigned one criterion at a time.
        current.filter(criterion__isnull=False).update(
            removed_at=timezone.now(), removed_by=actor, removed_reason="Assigned to every criterion instead"
        )
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.EVALUATOR_ASSIGNED,
        target=assignment,
        after={"evaluator": user.pk, "criterion": criterion.pk if criterion else None, "reason": reason},
    )
    return assignment


@transaction.atomic
def evaluator_remove(*, assignment: EvaluatorAssignment, actor: User, reason: str) -> EvaluatorAssignment:
    """Take an evaluator off a tender (or off one criterion) with the reason; the row is kept, so
    who was assigned when stays known. Their submitted sheets stay recorded."""
    assignment = (
        EvaluatorAssignment.objects.select_for_update()
        .select_related("tender")
        .get(council=assignment.council_id, pk=assignment.pk)
    )
    if assignment.removed_at is not None:
        raise ValidationError("This evaluator was already removed")
    _before_moderation(_evaluation(assignment.tender))
    reason = _clean_text(reason, field="reason", required="Enter the reason for removing the evaluator")
    assignment.removed_at = timezone.now()
    assignment.removed_by = actor
    assignment.removed_reason = reason
    assignment.save(update_fields=["removed_at", "removed_by", "removed_reason"])
    audit_record(
        council=assignment.tender.council,
        actor=actor,
        action=TenderAction.EVALUATOR_REMOVED,
        target=assignment,
        before={"evaluator": assignment.user_id, "criterion": assignment.criterion_id},
        after={"reason": reason},
    )
    return assignment


def _evaluated_bid(tender: Tender, bid: Bid) -> Bid:
    found = evaluated_bids(tender=tender).filter(pk=bid.pk).first()
    if found is None:
        raise ValidationError("This bid is not evaluated")
    return found


def _assigned_criteria(tender: Tender, user: User) -> list[int]:
    """The scored criteria this evaluator is assigned now, in the model's order."""
    assignments = list(
        EvaluatorAssignment.objects.filter(
            council=tender.council_id, tender=tender, user=user, removed_at__isnull=True
        ).values_list("criterion_id", flat=True)
    )
    criteria = [c.pk for c in scored_criteria(tender=tender)]
    if None in assignments:
        return criteria
    return [pk for pk in criteria if pk in set(assignments)]


def _recused(tender: Tender, user: User, bid: Bid) -> bool:
    return (
        Recusal.objects.filter(council=tender.council_id, tender=tender, user=user)
        .filter(Q(bid__isnull=True) | Q(bid=bid))
        .exists()
    )


@transaction.atomic
def bidder_conflict_declare(
    *,
    tender: Tender,
    bid: Bid,
    actor: User,
    has_conflict: bool,
    details: str = "",
    whole_tender: bool = False,
    now: datetime | None = None,
) -> BidderConflictDeclaration:
    """Declare the evaluator's interests against one bidding organisation, before any of its bid
    is shown to them. No conflict: they may score it. A conflict (with its details) recuses them
    from that bid, or from the whole tender if they choose, with the details as the reason; an
    officer then decides whether the panel still stands.

    A declaration of no conflict may later be replaced by a conflict (kept, superseded); a
    conflict declared is not withdrawn here (the recusal stands until the officer acts).

    Each declaration also renews the evaluator's declaration for the tender (one register with the
    tender team's, :func:`_tender_declaration_renew`).
    """
    _require_deadline_passed(tender, now)
    # One declaration of a person's at a time: their declaration for the tender is renewed below.
    tender = with_published_settings(*_locked_with_settings(tender))
    evaluation = _evaluation(tender)
    _before_moderation(evaluation)
    bid = _evaluated_bid(tender, bid)
    if not _assigned_criteria(tender, actor):
        raise ScoringRefused("You are not an evaluator of this tender")
    details = (details or "").strip()
    if has_conflict:
        details = _clean_text(details, field="details", required="Describe the conflict of interest")
    elif len(details) > REASON_MAX_LENGTH:
        raise ValidationError({"details": f"It must be {REASON_MAX_LENGTH:,} characters or fewer"})
    current = (
        BidderConflictDeclaration.objects.select_for_update()
        .filter(council=tender.council_id, bid=bid, user=actor, superseded_at__isnull=True)
        .first()
    )
    if current is not None:
        if not current.has_conflict and not has_conflict:
            return current  # the same declaration again (a double submit)
        if current.has_conflict:
            raise ValidationError("You have declared a conflict with this bidder: an officer decides what happens next")
        if ScoreSheet.objects.filter(
            council=tender.council_id, bid=bid, evaluator=actor, submitted_at__isnull=False
        ).exists():
            raise ValidationError("You have submitted your scores of this bid: ask an officer to record the conflict")
        current.superseded_at = now or timezone.now()
        current.save(update_fields=["superseded_at"])
    declaration = BidderConflictDeclaration.objects.create(
        council_id=tender.council_id, tender=tender, bid=bid, user=actor, has_conflict=has_conflict, details=details
    )
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.BIDDER_CONFLICT_DECLARED,
        target=declaration,
        before={"has_conflict": current.has_conflict} if current else None,
        after={"bid": bid.pk, "has_conflict": has_conflict, "details": details},
    )
    _tender_declaration_renew(tender, actor, bid=bid)
    if has_conflict:
        recusal_bid = None if whole_tender else bid
        recusals = Recusal.objects.filter(council=tender.council_id, tender=tender, user=actor)
        covering = Q(bid__isnull=True) if recusal_bid is None else Q(bid__isnull=True) | Q(bid=recusal_bid)
        if not recusals.filter(covering).exists():
            recusal = Recusal.objects.create(
                council_id=tender.council_id, tender=tender, user=actor, bid=recusal_bid, reason=details
            )
            audit_record(
                council=tender.council,
                actor=actor,
                action=TenderAction.EVALUATOR_RECUSED,
                target=recusal,
                after={"bid": recusal_bid.pk if recusal_bid else None, "whole_tender": whole_tender, "reason": details},
            )
    return declaration


def tender_declaration_from_bidders(*, tender: Tender, actor: User) -> ConflictDeclaration:
    """Renew an evaluator's declaration for the tender from their current per-bidder declarations,
    carrying over the conflict they declared for the tender themselves: what
    :func:`~tenders.services.publication.conflict_declare` does after an evaluator's own declaration
    for the tender, so the register still names their conflicts with bidders. The caller holds the
    tender's lock."""
    tender = with_published_settings(tender, published_evaluation_settings(tender=tender))
    return _tender_declaration_renew(tender, actor, bid=None)


def _tender_declaration_renew(tender: Tender, actor: User, *, bid: Bid | None) -> ConflictDeclaration:
    """Renew the evaluator's declaration for the tender from their current per-bidder ones: a
    conflict if any of them is one, or if they declared one for the tender themselves (carried
    over), with details naming each conflicting bid as the evaluator sees it: in a blind evaluation
    its label ("Bid A"), never the organisation's name."""
    labels = bid_labels(tender=tender)
    conflicts = list(
        BidderConflictDeclaration.objects.filter(
            council=tender.council_id, tender=tender, user=actor, superseded_at__isnull=True, has_conflict=True
        )
        .select_related("bid__organisation")
        .order_by("bid_id")
    )
    lines = []
    carried = team_declaration(tender=tender, user=actor)
    if carried is not None:
        lines.append(f"Declared for the tender: {carried.details}")
    blind = tender.blind_evaluation
    for declaration in conflicts:
        label = labels.get(declaration.bid_id, "A bid")
        name = label if blind else f"{label} ({declaration.bid.organisation.name})"
        lines.append(f"{name}: {declaration.details}")
    return declaration_renew(
        tender=tender,
        actor=actor,
        has_conflict=bool(lines),
        details="\n".join(lines),
        from_evaluation=True,
        audit_after={"bid": bid.pk} if bid is not None else None,
    )


@transaction.atomic
def recusal_decide(*, recusal: Recusal, actor: User, decision: str, reason: str) -> Recusal:
    """The officer's decision after a recusal: the remaining panel still stands, or the evaluators
    must change (the commissioner or an officer then changes them, with a reason). Decided once."""
    recusal = (
        Recusal.objects.select_for_update().select_related("tender").get(council=recusal.council_id, pk=recusal.pk)
    )
    if recusal.user_id == actor.pk:
        raise ValidationError("You cannot decide on your own recusal")
    if recusal.decision:
        raise ValidationError("A decision on this recusal is already recorded")
    if decision not in PanelDecision.values:
        raise ValidationError({"decision": "Select whether the panel still stands"})
    reason = _clean_text(reason, field="reason", required="Enter the reason for the decision")
    recusal.decision = decision
    recusal.decision_reason = reason
    recusal.decided_by = actor
    recusal.decided_at = timezone.now()
    recusal.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
    audit_record(
        council=recusal.tender.council,
        actor=actor,
        action=TenderAction.RECUSAL_DECIDED,
        target=recusal,
        after={"decision": decision, "reason": reason},
    )
    return recusal


def score_on_scale(value: object, scale: str) -> Decimal:
    """``value`` as a score on ``scale`` (0 to 5: one of its descriptors' whole scores; 0 to 100:
    any number from 0 to 100, to 2 decimal places), or ValueError saying what is allowed."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as error:
        raise ValueError("Enter the score as a number") from error
    if not number.is_finite():
        raise ValueError("Enter the score as a number")
    if scale == Scale.ZERO_TO_HUNDRED:
        if not Decimal(0) <= number <= SCALE_MAXIMUM[Scale.ZERO_TO_HUNDRED]:
            raise ValueError("Enter a score from 0 to 100")
        if number != number.quantize(Decimal("0.01")):
            raise ValueError("Enter a score with at most 2 decimal places")
        return number.quantize(Decimal("0.01"))
    allowed = DESCRIPTOR_SCORES[Scale.ZERO_TO_FIVE]
    if number not in allowed:
        raise ValueError("Choose a score from 0 to 5")
    return Decimal(int(number))


@dataclass(frozen=True)
class _Scoring:
    evaluation: Evaluation
    criteria: list[int]


def _may_score(tender: Tender, bid: Bid, actor: User, now: datetime | None) -> _Scoring:
    """What lets ``actor`` score ``bid``: the evaluation started and not in moderation, the bid
    evaluated, an assignment, a declaration of no conflict, no recusal. Refused otherwise."""
    _require_deadline_passed(tender, now)
    evaluation = _evaluation(tender)
    _before_moderation(evaluation)
    _evaluated_bid(tender, bid)
    criteria = _assigned_criteria(tender, actor)
    if not criteria:
        raise ScoringRefused("You are not an evaluator of this tender")
    declared = BidderConflictDeclaration.objects.filter(
        council=tender.council_id, bid=bid, user=actor, superseded_at__isnull=True
    ).first()
    if declared is None:
        raise ScoringRefused("Declare your interests in this bidder before you score its bid")
    if declared.has_conflict or _recused(tender, actor, bid):
        raise ScoringRefused("You are recused from this bid")
    return _Scoring(evaluation=evaluation, criteria=criteria)


def _sheet(tender: Tender, bid: Bid, actor: User) -> ScoreSheet:
    sheet, _ = ScoreSheet.objects.select_for_update().get_or_create(
        council_id=tender.council_id, bid=bid, evaluator=actor, defaults={"tender": tender}
    )
    return sheet


@transaction.atomic
def score_save(
    *,
    tender: Tender,
    bid: Bid,
    actor: User,
    criterion: Criterion,
    score: Decimal | None,
    justification: str,
    expected_revision: int,
    now: datetime | None = None,
) -> Score:
    """Save a draft score of one criterion (the autosave, or "Save draft"): the score may still be
    empty and the justification short; a score given must be on the criterion's scale.

    ``expected_revision`` is the score's revision the page was read at (0: none saved yet): a save
    over a newer revision is refused (the page's text is kept by the page). The same values again
    change nothing. A submitted sheet is locked.
    """
    scoring = _may_score(tender, bid, actor, now)
    if criterion.pk not in scoring.criteria or criterion.tender_id != tender.pk:
        raise ScoringRefused("You are not assigned to score this criterion")
    justification = (justification or "").strip()
    if len(justification) > JUSTIFICATION_MAX_LENGTH:
        raise ValidationError(
            {score_field(criterion.pk, "justification"): f"It must be {JUSTIFICATION_MAX_LENGTH:,} characters or fewer"}
        )
    if score is not None:
        try:
            score = score_on_scale(score, criterion.scale)
        except ValueError as error:
            raise ValidationError({score_field(criterion.pk, "score"): str(error)}) from error
    sheet = _sheet(tender, bid, actor)
    if sheet.submitted_at is not None:
        raise ValidationError("You have submitted your scores of this bid: they are locked")
    scores = Score.objects.select_for_update().filter(council=tender.council_id, sheet=sheet, criterion=criterion)
    current = scores.first()
    if current is not None and current.score == score and current.justification == justification:
        return current
    revision = current.revision if current is not None else 0
    if expected_revision != revision:
        time = timezone.localtime(current.updated_at).strftime("%H:%M") if current is not None else ""
        raise ValidationError(
            {score_field(criterion.pk, "justification"): ValidationError(STALE_SCORE.format(time=time), code="stale")}
        )
    before = {"score": str(current.score) if current and current.score is not None else None}
    if current is None:
        try:
            with transaction.atomic():
                current = Score.objects.create(
                    council_id=tender.council_id,
                    sheet=sheet,
                    tender=tender,
                    bid=bid,
                    criterion=criterion,
                    evaluator=actor,
                    score=score,
                    justification=justification,
                )
        except IntegrityError as error:  # a second tab saved the first draft at the same moment
            stale = ValidationError(STALE_SCORE.format(time="just now"), code="stale")
            raise ValidationError({score_field(criterion.pk, "justification"): stale}) from error
    else:
        current.score = score
        current.justification = justification
        current.revision += 1
        current.save(update_fields=["score", "justification", "revision", "updated_at"])
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.SCORE_SAVED,
        target=current,
        before=before,
        after={
            "bid": bid.pk,
            "criterion": criterion.pk,
            "score": str(score) if score is not None else None,
            "justification": justification,
            "revision": current.revision,
        },
    )
    return current


@transaction.atomic
def score_sheet_submit(*, tender: Tender, bid: Bid, actor: User, now: datetime | None = None) -> ScoreSheet:
    """Submit the evaluator's scores of a bid, which locks them. Every assigned criterion needs a
    score on its scale and a justification of at least the council's minimum length
    (``TenderPolicy.justification_minimum_length``); every problem is reported at once, by field."""
    scoring = _may_score(tender, bid, actor, now)
    sheet = _sheet(tender, bid, actor)
    if sheet.submitted_at is not None:
        return sheet  # submitted already (a double submit)
    minimum = _policy(tender).justification_minimum_length
    criteria = {c.pk: c for c in Criterion.objects.filter(council=tender.council_id, pk__in=scoring.criteria)}
    scores = {s.criterion_id: s for s in Score.objects.filter(council=tender.council_id, sheet=sheet)}
    errors: dict[str, str] = {}
    for criterion_id in scoring.criteria:
        criterion, score = criteria[criterion_id], scores.get(criterion_id)
        if score is None or score.score is None:
            scale = "0 to 100" if criterion.scale == Scale.ZERO_TO_HUNDRED else "0 to 5"
            errors[score_field(criterion_id, "score")] = f"Choose a score from {scale} for “{criterion.title}”"
        if score is None or len(score.justification) < max(minimum, 1):
            errors[score_field(criterion_id, "justification")] = (
                f"Enter a justification of at least {max(minimum, 1)} characters for “{criterion.title}”"
            )
    if errors:
        raise ValidationError(errors)
    sheet.submitted_at = now or timezone.now()
    sheet.save(update_fields=["submitted_at"])
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.SCORE_SHEET_SUBMITTED,
        target=sheet,
        after={
            "bid": bid.pk,
            "scores": {str(pk): str(scores[pk].score) for pk in scoring.criteria},
        },
    )
    return sheet
