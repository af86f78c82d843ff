"""Writes of prices: opening them out of the sealed bids (with the abnormally low flags), and the
commissioner's decision on a flagged price.

A price far below the others or the estimate may be abnormally low: the provider is asked to
explain, and the commissioner accepts the price or excludes the bid, with a reason, before the
award (Procurement Act 2023, section 19). Every write is audited.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.audit import audit_record
from commissioning.models import User
from tenders import kept
from tenders.abnormal import abnormally_low
from tenders.audit_labels import TenderAction
from tenders.models import (
    AbnormallyLowDecision,
    AbnormallyLowReview,
    BidPrice,
    Evaluation,
    Lot,
    PriceFormula,
    Tender,
    TenderPolicy,
    TieBreak,
)
from tenders.sealing import SealedError
from tenders.selectors.evaluation import evaluated_bids
from tenders.selectors.opening import opened_bids, submitted_bids
from tenders.selectors.policy import tender_policy
from tenders.selectors.prices import prices_problems

__all__: list[str] = ["REVIEW_TEXT_MAX_LENGTH", "evaluation_settings_update", "prices_open", "abnormally_low_decide"]

REVIEW_TEXT_MAX_LENGTH = 5000


def _amount(raw: Any) -> Decimal | None:
    """A price as the provider entered it ("145000.00", "£1,200"), or None when it is not one."""
    text = str(raw if raw is not None else "").replace("£", "").replace(",", "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0:
        return None
    return value.quantize(Decimal("0.01"))


def _prices_of(content: dict[str, Any], lots: list[Lot]) -> dict[int | None, Decimal]:
    """The bid's prices per lot (``None``: the whole tender). A tender without lots reads key "";
    a tender with one lot also accepts "" for that lot."""
    raw = content.get("prices")
    if not isinstance(raw, dict):
        return {}
    found: dict[int | None, Decimal] = {}
    if not lots:
        value = _amount(raw.get(""))
        if value is not None:
            found[None] = value
        return found
    for lot in lots:
        value = _amount(raw.get(str(lot.pk)))
        if value is None and len(lots) == 1:
            value = _amount(raw.get(""))
        if value is not None:
            found[lot.pk] = value
    return found


@transaction.atomic
def prices_open(*, tender: Tender, actor: User, now: datetime | None = None) -> Evaluation:
    """Read each evaluated bid's price out of its newest sealed submission into ``BidPrice`` rows,
    then flag the abnormally low ones per lot (below the council's ``abnormally_low_percent`` of the
    median of the other prices, or of the lot's estimated value, else the tender's).

    In a blind evaluation prices open only after moderation is locked; otherwise any time after
    the deadline once the evaluation has started. Prices open once.
    """
    evaluation = Evaluation.objects.select_for_update().filter(council=tender.council_id, tender=tender).first()
    problems = prices_problems(tender=tender, evaluation=evaluation)
    if problems and problems[0].startswith("Bids are sealed"):
        raise SealedError(problems[0])
    if problems or evaluation is None:
        raise ValidationError(problems)
    policy: TenderPolicy = tender_policy(council=tender.council)
    lots = list(Lot.objects.filter(council=tender.council_id, tender=tender).order_by("position", "pk"))
    ids = list(evaluated_bids(tender=tender).values_list("pk", flat=True))
    page = submitted_bids(tender=tender, content=True).filter(pk__in=ids)
    rows: list[BidPrice] = []
    for opened in opened_bids(tender=tender, bids=page):
        for lot_id, amount in _prices_of(opened.content, lots).items():
            rows.append(BidPrice(council=tender.council, tender=tender, bid=opened.bid, lot_id=lot_id, amount=amount))
    BidPrice.objects.bulk_create(rows)
    per_lot: dict[int | None, dict[int, Decimal]] = defaultdict(dict)
    for row in rows:
        per_lot[row.lot_id][row.bid_id] = row.amount
    estimates = {lot.pk: lot.estimated_value or tender.estimated_value for lot in lots}
    reviews = [
        AbnormallyLowReview(council=tender.council, tender=tender, bid_id=bid_id, lot_id=lot_id, flag=flag)
        for lot_id, prices in per_lot.items()
        for bid_id, flag in abnormally_low(
            prices,
            threshold_percent=policy.abnormally_low_percent,
            estimate=estimates.get(lot_id, tender.estimated_value) if lot_id is not None else tender.estimated_value,
        ).items()
    ]
    AbnormallyLowReview.objects.bulk_create(reviews)
    kept.renew_results_on_commit(tender.pk)  # bulk_create sends no post_save
    evaluation.prices_opened_at = now or timezone.now()
    evaluation.prices_opened_by = actor
    evaluation.save(update_fields=["prices_opened_at", "prices_opened_by"])
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.PRICES_OPENED,
        target=evaluation,
        after={"prices": len(rows), "abnormally_low_flags": len(reviews)},
    )
    return evaluation


def _review_snapshot(review: AbnormallyLowReview) -> dict[str, Any]:
    return {
        "bid": review.bid_id,
        "lot": review.lot_id,
        "explanation": review.explanation,
        "decision": review.decision,
        "reason": review.reason,
    }


@transaction.atomic
def abnormally_low_decide(
    *,
    review: AbnormallyLowReview,
    actor: User,
    explanation: str,
    decision: str,
    reason: str,
    now: datetime | None = None,
) -> AbnormallyLowReview:
    """Record the provider's explanation of a flagged price and the decision (accept the price or
    exclude the bid), with the reason. A decision may be revisited before the award; each is audited."""
    review = AbnormallyLowReview.objects.select_for_update().get(council=review.council_id, pk=review.pk)
    explanation, reason = (explanation or "").strip(), (reason or "").strip()
    errors: dict[str, str] = {}
    if not explanation:
        errors["explanation"] = "Enter the provider's explanation of the price"
    elif len(explanation) > REVIEW_TEXT_MAX_LENGTH:
        errors["explanation"] = f"Keep it to {REVIEW_TEXT_MAX_LENGTH} characters or fewer"
    if decision not in AbnormallyLowDecision.values:
        errors["decision"] = "Select whether to accept the price or exclude the bid"
    if not reason:
        errors["reason"] = "Enter the reason for the decision"
    elif len(reason) > REVIEW_TEXT_MAX_LENGTH:
        errors["reason"] = f"Keep it to {REVIEW_TEXT_MAX_LENGTH} characters or fewer"
    if errors:
        raise ValidationError(errors)
    if (review.explanation, review.decision, review.reason) == (explanation, decision, reason):
        return review
    before = _review_snapshot(review)
    review.explanation, review.decision, review.reason = explanation, decision, reason
    review.decided_by, review.decided_at = actor, now or timezone.now()
    review.save(update_fields=["explanation", "decision", "reason", "decided_by", "decided_at"])
    audit_record(
        council=review.council,
        actor=actor,
        action=TenderAction.ABNORMALLY_LOW_DECIDED,
        target=review,
        before=before,
        after=_review_snapshot(review),
    )
    return review


def _settings_snapshot(tender: Tender) -> dict[str, Any]:
    return {
        "blind_evaluation": tender.blind_evaluation,
        "price_formula": tender.price_formula,
        "tie_break": tender.tie_break,
    }


@transaction.atomic
def evaluation_settings_update(
    *, tender: Tender, actor: User, blind_evaluation: bool, price_formula: str, tie_break: str
) -> Tender:
    """Set the evaluation model's settings: blind evaluation of quality and social value, the price
    formula and the tie-break rule. Like the weights, they are fixed once the tender is published
    (bidders read them on the notice); an unchanged save writes nothing."""
    tender = Tender.objects.select_for_update(of=("self",)).get(council=tender.council_id, pk=tender.pk)
    if tender.published_at is not None:
        raise ValidationError("The evaluation model is locked because the tender is published", code="locked")
    errors: dict[str, str] = {}
    if price_formula not in PriceFormula.values:
        errors["price_formula"] = "Select how price is scored"
    if tie_break not in TieBreak.values:
        errors["tie_break"] = "Select how equal total scores are settled"
    if errors:
        raise ValidationError(errors)
    before = _settings_snapshot(tender)
    tender.blind_evaluation, tender.price_formula, tender.tie_break = bool(blind_evaluation), price_formula, tie_break
    if _settings_snapshot(tender) == before:
        return tender
    tender.save(update_fields=["blind_evaluation", "price_formula", "tie_break", "updated_at"])
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.TENDER_EVALUATION_SETTINGS_CHANGED,
        target=tender,
        before=before,
        after=_settings_snapshot(tender),
    )
    return tender
