"""Writes of moderation: opening it, agreeing a consensus score per bid and criterion, the
moderator's lock, and a change after the lock (asked with a reason, decided by an officer).

Every write is audited. Scores live on the criterion's scale (0 to 5 or 0 to 100).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.audit import audit_record
from commissioning.models import User
from tenders.audit_labels import TenderAction
from tenders.models import (
    Bid,
    Criterion,
    Evaluation,
    ModeratedScore,
    ModeratedScoreChange,
    ScoreChangeDecision,
    Tender,
)
from tenders.sealing import Reader, SealedError, may_unseal
from tenders.selectors.evaluation import evaluated_bids, scored_criteria
from tenders.selectors.moderation import criterion_maximum, moderation_missing, moderation_problems

__all__: list[str] = [
    "RATIONALE_MAX_LENGTH",
    "moderation_open",
    "moderated_score_agree",
    "moderation_lock",
    "moderated_score_change_request",
    "moderated_score_change_decide",
]

RATIONALE_MAX_LENGTH = 5000


def _evaluation_for_update(tender: Tender) -> Evaluation:
    if not may_unseal(tender, Reader.COUNCIL, None):
        raise SealedError("Bids for this tender are sealed until the submission deadline")
    evaluation = Evaluation.objects.select_for_update().filter(council=tender.council_id, tender=tender).first()
    if evaluation is None:
        raise ValidationError("The evaluation has not started: start it and assign evaluators first.")
    return evaluation


def _score_value(raw: Any, *, maximum: Decimal, field: str = "score") -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: f"Enter a score from 0 to {maximum:f}"}) from None
    if not value.is_finite() or value < 0 or value > maximum:
        raise ValidationError({field: f"Enter a score from 0 to {maximum:f}"})
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError({field: "Enter a score with at most 2 decimal places"})
    return value.quantize(Decimal("0.01"))


def _text(raw: str, *, field: str, missing: str) -> str:
    text = (raw or "").strip()
    if not text:
        raise ValidationError({field: missing})
    if len(text) > RATIONALE_MAX_LENGTH:
        raise ValidationError({field: f"Keep it to {RATIONALE_MAX_LENGTH} characters or fewer"})
    return text


def _scored(tender: Tender, bid: Bid, criterion: Criterion) -> None:
    if not evaluated_bids(tender=tender).filter(pk=bid.pk).exists():
        raise ValidationError({"bid": "This bid is not evaluated (not submitted, or found non-compliant)"})
    if criterion.pk not in {c.pk for c in scored_criteria(tender=tender)}:
        raise ValidationError({"criterion": "This criterion is not scored by evaluators"})


def _moderated_snapshot(moderated: ModeratedScore) -> dict[str, Any]:
    return {
        "bid": moderated.bid_id,
        "criterion": moderated.criterion_id,
        "score": str(moderated.score),
        "rationale": moderated.rationale,
        "revision": moderated.revision,
    }


@transaction.atomic
def moderation_open(*, tender: Tender, actor: User, now: datetime | None = None) -> Evaluation:
    """Open moderation. Allowed only once every evaluator's duty is submitted or recused and each bid
    has the council's minimum number of scorers on every scored criterion (``moderation_problems``
    lists what is missing, and is the refusal's message)."""
    evaluation = _evaluation_for_update(tender)
    if evaluation.moderation_opened_at is not None:
        raise ValidationError("Moderation is already open.")
    problems = moderation_problems(tender=tender)
    if problems:
        raise ValidationError(problems)
    evaluation.moderation_opened_at = now or timezone.now()
    evaluation.moderation_opened_by = actor
    evaluation.save(update_fields=["moderation_opened_at", "moderation_opened_by"])
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.MODERATION_OPENED,
        target=evaluation,
        after={"tender": tender.pk},
    )
    return evaluation


@transaction.atomic
def moderated_score_agree(
    *,
    tender: Tender,
    bid: Bid,
    criterion: Criterion,
    actor: User,
    score: Any,
    rationale: str,
    now: datetime | None = None,
) -> ModeratedScore:
    """Record (or correct, while unlocked) the consensus score of a bid on a scored criterion, with
    its rationale. Only while moderation is open and not locked; the score is on the criterion's scale."""
    evaluation = _evaluation_for_update(tender)
    if evaluation.moderation_opened_at is None:
        raise ValidationError("Moderation has not been opened.")
    if evaluation.moderation_locked_at is not None:
        raise ValidationError("Moderated scores are locked: ask for a change with a reason instead.")
    _scored(tender, bid, criterion)
    errors: dict[str, list[str]] = {}
    value = Decimal(0)
    text = ""
    try:
        value = _score_value(score, maximum=criterion_maximum(criterion))
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        text = _text(rationale, field="rationale", missing="Enter the rationale for the agreed score")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    moderated = (
        ModeratedScore.objects.select_for_update()
        .filter(council=tender.council_id, tender=tender, bid=bid, criterion=criterion)
        .first()
    )
    when = now or timezone.now()
    if moderated is None:
        before = None
        moderated = ModeratedScore.objects.create(
            council=tender.council,
            tender=tender,
            bid=bid,
            criterion=criterion,
            score=value,
            rationale=text,
            agreed_by=actor,
            agreed_at=when,
        )
    else:
        if moderated.score == value and moderated.rationale == text:
            return moderated  # a double submit changes nothing
        before = _moderated_snapshot(moderated)
        moderated.score, moderated.rationale = value, text
        moderated.agreed_by, moderated.agreed_at = actor, when
        moderated.revision += 1
        moderated.save(update_fields=["score", "rationale", "agreed_by", "agreed_at", "revision"])
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.MODERATED_SCORE_AGREED,
        target=moderated,
        before=before,
        after=_moderated_snapshot(moderated),
    )
    return moderated


@transaction.atomic
def moderation_lock(*, tender: Tender, actor: User, now: datetime | None = None) -> Evaluation:
    """The moderator's submission: every evaluated bid has an agreed score on every scored criterion;
    then the moderated scores are locked (only an officer-approved change alters them)."""
    evaluation = _evaluation_for_update(tender)
    if evaluation.moderation_opened_at is None:
        raise ValidationError("Moderation has not been opened.")
    if evaluation.moderation_locked_at is not None:
        raise ValidationError("Moderated scores are already locked.")
    missing = moderation_missing(tender=tender)
    if missing:
        raise ValidationError(missing)
    evaluation.moderation_locked_at = now or timezone.now()
    evaluation.moderation_locked_by = actor
    evaluation.save(update_fields=["moderation_locked_at", "moderation_locked_by"])
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.MODERATION_LOCKED,
        target=evaluation,
        after={"tender": tender.pk},
    )
    return evaluation


def _change_snapshot(change: ModeratedScoreChange) -> dict[str, Any]:
    return {
        "moderated_score": change.moderated_score_id,
        "old_score": str(change.old_score),
        "new_score": str(change.new_score),
        "reason": change.reason,
        "decision": change.decision,
        "decision_comment": change.decision_comment,
    }


@transaction.atomic
def moderated_score_change_request(
    *,
    moderated_score: ModeratedScore,
    actor: User,
    score: Any,
    rationale: str,
    reason: str,
) -> ModeratedScoreChange:
    """Ask to change a locked moderated score: the reason is required, and an officer other than the
    asker decides. One pending change per moderated score."""
    tender = moderated_score.tender
    evaluation = _evaluation_for_update(tender)
    if evaluation.moderation_locked_at is None:
        raise ValidationError("Moderated scores are not locked yet: change the agreed score directly.")
    moderated = ModeratedScore.objects.select_for_update().get(council=tender.council_id, pk=moderated_score.pk)
    errors: dict[str, list[str]] = {}
    value, text, why = Decimal(0), "", ""
    for field, read in (
        ("score", lambda: _score_value(score, maximum=criterion_maximum(moderated.criterion))),
        ("rationale", lambda: _text(rationale, field="rationale", missing="Enter the rationale for the new score")),
        ("reason", lambda: _text(reason, field="reason", missing="Enter the reason for the change")),
    ):
        try:
            result = read()
        except ValidationError as error:
            errors.update(error.message_dict)
            continue
        if field == "score":
            value = result  # type: ignore[assignment]
        elif field == "rationale":
            text = result  # type: ignore[assignment]
        else:
            why = result  # type: ignore[assignment]
    if errors:
        raise ValidationError(errors)
    if value == moderated.score and text == moderated.rationale:
        raise ValidationError({"score": "The new score and rationale are the same as the agreed ones"})
    if ModeratedScoreChange.objects.filter(council=tender.council_id, moderated_score=moderated, decision="").exists():
        raise ValidationError("A change to this score is already waiting for an officer's decision.")
    change = ModeratedScoreChange.objects.create(
        council=tender.council,
        moderated_score=moderated,
        tender=tender,
        old_score=moderated.score,
        new_score=value,
        old_rationale=moderated.rationale,
        new_rationale=text,
        reason=why,
        requested_by=actor,
    )
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.MODERATED_SCORE_CHANGE_REQUESTED,
        target=change,
        after=_change_snapshot(change),
    )
    return change


@transaction.atomic
def moderated_score_change_decide(
    *,
    change: ModeratedScoreChange,
    actor: User,
    decision: str,
    comment: str = "",
    now: datetime | None = None,
) -> ModeratedScoreChange:
    """An officer's decision on a change to a locked score (four eyes: not the asker). Approval applies
    the new score and rationale and bumps the moderated score's revision; a rejection keeps it."""
    change = ModeratedScoreChange.objects.select_for_update().get(council=change.council_id, pk=change.pk)
    if change.decision:
        raise ValidationError("This change has already been decided.")
    if change.requested_by_id == actor.pk:
        raise PermissionDenied("You asked for this change: another officer must decide it.")
    if decision not in ScoreChangeDecision.values:
        raise ValidationError({"decision": "Select whether to approve or reject the change"})
    comment = (comment or "").strip()
    if decision == ScoreChangeDecision.REJECTED and not comment:
        raise ValidationError({"comment": "Enter the reason for rejecting the change"})
    if len(comment) > RATIONALE_MAX_LENGTH:
        raise ValidationError({"comment": f"Keep it to {RATIONALE_MAX_LENGTH} characters or fewer"})
    before = _change_snapshot(change)
    change.decision, change.decision_comment = decision, comment
    change.decided_by, change.decided_at = actor, now or timezone.now()
    change.save(update_fields=["decision", "decision_comment", "decided_by", "decided_at"])
    if decision == ScoreChangeDecision.APPROVED:
        moderated = ModeratedScore.objects.select_for_update().get(
            council=change.council_id, pk=change.moderated_score_id
        )
        moderated_before = _moderated_snapshot(moderated)
        moderated.score, moderated.rationale = change.new_score, change.new_rationale
        moderated.revision += 1
        moderated.save(update_fields=["score", "rationale", "revision"])
        audit_record(
            council=moderated.council,
            actor=actor,
            action=TenderAction.MODERATED_SCORE_CHANGED,
            target=moderated,
            before=moderated_before,
            after=_moderated_snapshot(moderated),
        )
    audit_record(
        council=change.council,
        actor=actor,
        action=TenderAction.MODERATED_SCORE_CHANGE_DECIDED,
        target=change,
        before=before,
        after=_change_snapshot(change),
    )
    return change
