"""Writes of the award: the recommendation per lot, its four-eyes decision, the award notice with its
standstill and assessment summaries, challenges, suspension and the contract with its social value KPIs.

The rules, from the Procurement Act 2023 and the Procurement Regulations 2024 as the issue reads them:

- the commissioner recommends per lot, normally the top-ranked bid of the results; another bid or no
  award needs a reason; nothing is recommended while the lot's results are blocked (moderation not
  locked, prices not opened, an abnormally low price undecided, a citizen panel pending);
- an officer decides: never the recommender, never an evaluator of the tender (four eyes);
- approval publishes the award notice; the standstill is the tender's working days beginning with
  the day of publication (section 51, ``tenders.calendar``); every assessed bidder gets an assessment
  summary (regulation 31), frozen at the award;
- during standstill a bidder may challenge; the officer may suspend the award (with the reason);
- the contract is entered only after the standstill ends without suspension, and the winning bid's
  social value commitments become its KPIs (``social_value``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.audit import audit_head, audit_record
from commissioning.errors import Conflict
from commissioning.models import Organisation, User
from commissioning.queue import enqueue
from social_value.models import AgreementKind, ReportingPeriod
from social_value.services import agreement_record
from tenders import sealing
from tenders.audit_labels import TenderAction
from tenders.calendar import standstill_end
from tenders.models import (
    AssessmentSummary,
    AwardDecision,
    AwardNotice,
    AwardRecommendation,
    Bid,
    BidPrice,
    BidStatus,
    BidSubmission,
    Challenge,
    Compliance,
    Contract,
    Criterion,
    CriterionKind,
    EvaluatorAssignment,
    Lot,
    ModeratedScore,
    Tender,
)
from tenders.price import formula_text
from tenders.sealing import Reader, SealedError
from tenders.selectors.award import frozen_ranking, lot_result
from tenders.selectors.evaluation import evaluated_bids
from tenders.selectors.market import agreement_market_facts
from tenders.selectors.policy import holiday_dates
from tenders.selectors.results import LotResult, RankedBid

__all__: list[str] = [
    "award_decide",
    "award_recommend",
    "award_suspend",
    "challenge_raise",
    "contract_enter",
    "contract_refusal",
    "decide_refusal",
    "in_standstill",
]

REASON_MAX_LENGTH = 5000


# --- Helpers ------------------------------------------------------------------------------------


def _clean_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({field: f"The reason must be {REASON_MAX_LENGTH} characters or fewer"})
    return reason


def _lot_of(tender: Tender, lot: Lot | None) -> Lot | None:
    """The lot, checked to be one of the tender's (a tender with lots is awarded lot by lot)."""
    lots = list(Lot.objects.filter(council=tender.council_id, tender=tender).values_list("pk", flat=True))
    if lot is None and lots:
        raise ValidationError({"lot": "Choose the lot to recommend the award of"})
    if lot is not None and lot.pk not in lots:
        raise ValidationError({"lot": "That lot is not one of this tender's lots"})
    return lot


def _locked_tender(tender: Tender) -> Tender:
    # One award write of a tender at a time: two commissioners (or an approval racing a new
    # recommendation) wait for each other instead of both reading "nothing pending".
    locked = Tender.objects.select_for_update().get(council=tender.council_id, pk=tender.pk)
    locked.council = tender.council
    return locked


# --- Recommendation -------------------------------------------------------------------------------


@transaction.atomic
def award_recommend(
    *,
    tender: Tender,
    lot: Lot | None,
    actor: User,
    bid_id: int | None,
    reason: str = "",
    now: datetime | None = None,
) -> AwardRecommendation:
    """Recommend the award of one lot: a ranked bid (``bid_id``), or no award (``bid_id`` None).

    Refused while the lot's results are blocked (the blockers are the errors), while a recommendation
    of the lot waits for its decision or once the lot is awarded. The top-ranked bid needs no reason;
    another ranked bid, or no award, does. A bid that is not ranked (below a pass mark, excluded)
    cannot be recommended. The ranking is frozen on the recommendation.
    """
    now = now or timezone.now()
    tender = _locked_tender(tender)
    if not sealing.may_unseal(tender, Reader.COUNCIL, now):
        raise SealedError("Bids for this tender are sealed until the submission deadline")
    lot = _lot_of(tender, lot)
    recommendations = AwardRecommendation.objects.filter(council=tender.council_id, tender=tender, lot=lot)
    if recommendations.filter(decision="").exists():
        raise Conflict("A recommendation for this lot is waiting for an officer's decision")
    if recommendations.filter(decision=AwardDecision.APPROVED).exists():
        raise Conflict("This lot has already been awarded")
    result = lot_result(tender=tender, lot=lot)
    if result.blockers:
        raise ValidationError({"bid": list(result.blockers)})
    reason = _clean_reason(reason)
    ranked = {r.bid_id: r for r in result.ranked}
    if bid_id is not None:
        chosen = ranked.get(bid_id)
        if chosen is None:
            raise ValidationError({"bid": "Choose one of the bids evaluated for this lot, or no award"})
        if chosen.rank is None:
            why = "; ".join(chosen.reasons) or "it is not ranked"
            raise ValidationError({"bid": f"That bid cannot be recommended: {why}"})
    top = result.winner_bid_id
    if (bid_id is None or bid_id != top) and not reason:
        what = "no award" if bid_id is None else "a bid other than the top-ranked one"
        raise ValidationError({"reason": f"Enter the reason for recommending {what}"})
    recommendation = AwardRecommendation.objects.create(
        council=tender.council,
        tender=tender,
        lot=lot,
        bid_id=bid_id,
        top_ranked_bid_id=top,
        reason=reason,
        ranking=frozen_ranking(tender=tender, result=result),
        recommended_by=actor,
        recommended_at=now,
    )
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.AWARD_RECOMMENDED,
        target=recommendation,
        after={
            "lot": lot.pk if lot else None,
            "bid": bid_id,
            "top_ranked_bid": top,
            "reason": reason,
        },
    )
    return recommendation


# --- Decision (four eyes) -------------------------------------------------------------------------


def decide_refusal(*, recommendation: AwardRecommendation, user: User) -> str:
    """Why ``user`` may not decide this recommendation ("" if they may): four eyes."""
    if recommendation.decision:
        return "This recommendation has already been decided."
    if recommendation.recommended_by_id == user.pk:
        return "You made this recommendation: another officer must decide it."
    evaluated = EvaluatorAssignment.objects.filter(
        council=recommendation.council_id, tender=recommendation.tender_id, user=user
    ).exists()
    if evaluated:
        return "You were an evaluator of this tender: another officer must decide its award."
    return ""


@transaction.atomic
def award_decide(
    *,
    recommendation: AwardRecommendation,
    actor: User,
    approve: bool,
    comment: str = "",
    now: datetime | None = None,
) -> AwardRecommendation:
    """Approve the recommendation (publishing the award notice) or send it back with a comment.

    Four eyes: the officer neither made the recommendation nor was ever assigned to evaluate the
    tender (current or removed assignments count). Approval re-reads the results: if the lot became
    blocked since (a score change pending approval, say) it is refused.
    """
    now = now or timezone.now()
    tender = _locked_tender(recommendation.tender)
    recommendation = (
        AwardRecommendation.objects.select_for_update(of=("self",))
        .select_related("lot", "bid")
        .get(council=tender.council_id, pk=recommendation.pk)
    )
    recommendation.tender = tender
    if recommendation.decision:
        raise Conflict("This recommendation has already been decided")
    refusal = decide_refusal(recommendation=recommendation, user=actor)
    if refusal:
        raise PermissionDenied(refusal)
    comment = _clean_reason(comment, "comment")
    if not approve:
        if not comment:
            raise ValidationError({"comment": "Enter what the commissioner should change"})
        recommendation.decision = AwardDecision.REJECTED
    else:
        result = lot_result(tender=tender, lot=recommendation.lot)
        if result.blockers:
            raise ValidationError({"decision": list(result.blockers)})
        recommendation.decision = AwardDecision.APPROVED
    recommendation.decision_comment = comment
    recommendation.decided_by = actor
    recommendation.decided_at = now
    recommendation.save(update_fields=["decision", "decision_comment", "decided_by", "decided_at"])
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.AWARD_APPROVED if approve else TenderAction.AWARD_SENT_BACK,
        target=recommendation,
        before={"decision": ""},
        after={"decision": recommendation.decision, "comment": comment},
    )
    if approve:
        _publish_notice(recommendation=recommendation, actor=actor, now=now, result=result)
    return recommendation


def _standstill_end(day: date, days: int) -> date:
    # Working days only: a generous window of the bank holidays (two weeks of calendar per working
    # day would be plenty; 7 × (days + 10) as the tender page reads them).
    holidays = holiday_dates(between=(day - timedelta(days=1), day + timedelta(days=7 * (days + 10))))
    return standstill_end(day, days, holidays=holidays)


def _publish_notice(
    *, recommendation: AwardRecommendation, actor: User, now: datetime, result: LotResult
) -> AwardNotice:
    tender, lot = recommendation.tender, recommendation.lot
    value = None
    if recommendation.bid_id is not None:
        value = (
            BidPrice.objects.filter(council=tender.council_id, tender=tender, bid=recommendation.bid_id, lot=lot)
            .values_list("amount", flat=True)
            .first()
        )
    day = timezone.localdate(now)
    notice = AwardNotice.objects.create(
        council=tender.council,
        tender=tender,
        lot=lot,
        recommendation=recommendation,
        bid_id=recommendation.bid_id,
        value=value,
        published_by=actor,
        published_at=now,
        standstill_days=tender.standstill_days,
        standstill_end=_standstill_end(day, tender.standstill_days),
        # The chain's head once the approval is recorded: anyone holding it can later check that
        # nothing before the award was rewritten.
        audit_hash=audit_head(council=tender.council).hash,
    )
    summaries = AssessmentSummary.objects.bulk_create(
        assessment_summaries_build(notice=notice, recommendation=recommendation, result=result)
    )
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.AWARD_NOTICE_PUBLISHED,
        target=notice,
        after={
            "lot": lot.pk if lot else None,
            "bid": notice.bid_id,
            "value": None if value is None else str(value),
            "standstill_days": notice.standstill_days,
            "standstill_end": notice.standstill_end.isoformat(),
            "audit_hash": notice.audit_hash,
            "assessment_summaries": len(summaries),
        },
    )
    from tenders.tasks.award import send_assessment_summaries

    enqueue(send_assessment_summaries, council=tender.council, notice_id=notice.pk)
    return notice


# --- Assessment summaries (regulation 31) ----------------------------------------------------------


@dataclass(frozen=True)
class _Facts:
    criteria: list[Criterion]
    moderated: dict[tuple[int, int], tuple[Decimal, str]]
    names: dict[int, str]
    organisations: dict[int, int]


def _facts(tender: Tender, bid_ids: list[int]) -> _Facts:
    all_criteria = list(Criterion.objects.filter(council=tender.council_id, tender=tender).order_by("position", "pk"))
    parents = {criterion.parent_id for criterion in all_criteria if criterion.parent_id}
    moderated = {
        (bid_id, criterion_id): (score, rationale)
        for bid_id, criterion_id, score, rationale in ModeratedScore.objects.filter(
            council=tender.council_id, tender=tender, bid__in=bid_ids
        ).values_list("bid_id", "criterion_id", "score", "rationale")
    }
    rows = Bid.objects.filter(council=tender.council_id, tender=tender, pk__in=bid_ids).values_list(
        "pk", "organisation_id", "organisation__name"
    )
    return _Facts(
        criteria=[criterion for criterion in all_criteria if criterion.pk not in parents],
        moderated=moderated,
        names={pk: name for pk, _, name in rows},
        organisations={pk: organisation for pk, organisation, _ in rows},
    )


def _points(ranked: RankedBid | None, criterion: Criterion) -> str | None:
    if ranked is None or criterion.pk not in ranked.by_criterion:
        return None
    return str(ranked.by_criterion[criterion.pk])


def _reason(tender: Tender, facts: _Facts, ranked: RankedBid | None, criterion: Criterion) -> tuple[str | None, str]:
    """The moderated score and its rationale on one criterion; for price, the price and its formula."""
    if ranked is None:
        return None, ""
    if criterion.kind == CriterionKind.PRICE:
        if ranked.price is None:
            return None, "No price was scored."
        formula = formula_text(tender.price_formula, weight=f"{criterion.weight.normalize():f}%")
        return None, f"Price £{ranked.price:,.2f}. {formula}"
    score = facts.moderated.get((ranked.bid_id, criterion.pk))
    if score is None:
        return None, ""
    return str(score[0]), score[1]


def _bidder(facts: _Facts, ranked: RankedBid | None) -> dict[str, Any] | None:
    if ranked is None:
        return None
    return {
        "bid_id": ranked.bid_id,
        "organisation": facts.names.get(ranked.bid_id, ranked.label),
        "total": str(ranked.total),
        "rank": ranked.rank,
        "price": None if ranked.price is None else str(ranked.price),
    }


def _why(
    *, ranked: RankedBid, winner: RankedBid | None, recommendation: AwardRecommendation, count: int, facts: _Facts
) -> str:
    if winner is not None and ranked.bid_id == winner.bid_id:
        why = f"Your bid was successful: it scored {ranked.total} points out of 100"
        if recommendation.top_ranked_bid_id == ranked.bid_id:
            return f"{why}, the highest total of the {count} bids assessed."
        return f"{why}. It was recommended for this reason: {recommendation.reason}"
    if winner is None:
        return f"No contract is awarded for this lot. The reason: {recommendation.reason}"
    winner_name = facts.names.get(winner.bid_id, winner.label)
    if ranked.rank is None:
        reasons = "; ".join(ranked.reasons) or "it was not ranked"
        return (
            f"Your bid was not successful: it could not be ranked ({reasons}). "
            f"The contract is awarded to {winner_name}."
        )
    lines = [
        f"Your bid was not successful: it ranked {ranked.rank} of {count} with {ranked.total} points out of 100; "
        f"the winning bid of {winner_name} scored {winner.total} points."
    ]
    if recommendation.top_ranked_bid_id != winner.bid_id:
        lines.append(f"The winning bid was not the top-ranked bid; the reason: {recommendation.reason}")
    return " ".join(lines)


def assessment_summaries_build(
    *, notice: AwardNotice, recommendation: AwardRecommendation, result: LotResult
) -> list[AssessmentSummary]:
    """What every bidder of the lot is told (Procurement Regulations 2024, regulation 31), as unsaved
    rows: the criteria and weights, its points and reasons and the winner's per criterion, and why
    it was or was not successful. The award's approval saves them; the demo builds its recorded
    award's summaries with the same words.

    A bid submitted but found non-compliant at opening was not assessed: its summary says so and
    why (the reason recorded at opening), with the criteria, the weights and the winner's points and
    reasons, in the same shape (its own points, score and total empty), so its bidder reads it and
    may challenge the award like the others. Which lots such a bid priced is sealed in it, so it
    gets a summary with every notice of the tender."""
    tender = recommendation.tender
    # The assessed bidders: the evaluated bids (a bid found non-compliant at opening was not assessed).
    assessed = set(evaluated_bids(tender=tender).values_list("pk", flat=True))
    ranked_bids = [ranked for ranked in result.ranked if ranked.bid_id in assessed]
    not_assessed = list(
        Bid.objects.filter(
            council=tender.council_id, tender=tender, status=BidStatus.SUBMITTED, compliance=Compliance.NON_COMPLIANT
        )
        .order_by("pk")
        .values_list("pk", "compliance_reason")
    )
    facts = _facts(tender, [ranked.bid_id for ranked in ranked_bids] + [pk for pk, _ in not_assessed])
    winner = next((r for r in ranked_bids if r.bid_id == recommendation.bid_id), None)
    lot = recommendation.lot
    criteria = [
        {
            "id": criterion.pk,
            "title": criterion.title,
            "kind": criterion.kind,
            "weight": str(criterion.weight),
            "scale": criterion.scale,
        }
        for criterion in facts.criteria
    ]
    summaries = []
    for ranked in ranked_bids:
        rows = []
        for criterion in facts.criteria:
            score, reason = _reason(tender, facts, ranked, criterion)
            winner_score, winner_reason = _reason(tender, facts, winner, criterion)
            rows.append(
                {
                    "criterion_id": criterion.pk,
                    "title": criterion.title,
                    "kind": criterion.kind,
                    "weight": str(criterion.weight),
                    "points": _points(ranked, criterion),
                    "score": score,
                    "reason": reason,
                    "winner_points": _points(winner, criterion),
                    "winner_score": winner_score,
                    "winner_reason": winner_reason,
                }
            )
        successful = winner is not None and ranked.bid_id == winner.bid_id
        content = {
            "tender": {"id": tender.pk, "title": tender.title},
            "lot": None if lot is None else {"id": lot.pk, "title": lot.title},
            "published_at": notice.published_at.isoformat(),
            "standstill_days": notice.standstill_days,
            "standstill_end": notice.standstill_end.isoformat(),
            "criteria": criteria,
            "bidder": _bidder(facts, ranked),
            "winner": _bidder(facts, winner),
            "rows": rows,
            "successful": successful,
            "why": _why(
                ranked=ranked, winner=winner, recommendation=recommendation, count=len(ranked_bids), facts=facts
            ),
            "assessed": len(ranked_bids),
        }
        summaries.append(
            AssessmentSummary(
                council=tender.council,
                notice=notice,
                tender=tender,
                bid_id=ranked.bid_id,
                organisation_id=facts.organisations[ranked.bid_id],
                successful=successful,
                content=content,
            )
        )
    for bid_id, compliance_reason in not_assessed:
        reason = compliance_reason.strip() or "no reason was recorded"
        rows = []
        for criterion in facts.criteria:
            winner_score, winner_reason = _reason(tender, facts, winner, criterion)
            rows.append(
                {
                    "criterion_id": criterion.pk,
                    "title": criterion.title,
                    "kind": criterion.kind,
                    "weight": str(criterion.weight),
                    "points": None,
                    "score": None,
                    "reason": "Not assessed: the bid was found non-compliant at opening.",
                    "winner_points": _points(winner, criterion),
                    "winner_score": winner_score,
                    "winner_reason": winner_reason,
                }
            )
        if winner is None:
            outcome = f"No contract is awarded for this lot. The reason: {recommendation.reason}"
        else:
            outcome = f"The contract is awarded to {facts.names.get(winner.bid_id, winner.label)}."
        summaries.append(
            AssessmentSummary(
                council=tender.council,
                notice=notice,
                tender=tender,
                bid_id=bid_id,
                organisation_id=facts.organisations[bid_id],
                successful=False,
                content={
                    "tender": {"id": tender.pk, "title": tender.title},
                    "lot": None if lot is None else {"id": lot.pk, "title": lot.title},
                    "published_at": notice.published_at.isoformat(),
                    "standstill_days": notice.standstill_days,
                    "standstill_end": notice.standstill_end.isoformat(),
                    "criteria": criteria,
                    "bidder": {
                        "bid_id": bid_id,
                        "organisation": facts.names.get(bid_id, ""),
                        "total": None,
                        "rank": None,
                        "price": None,
                    },
                    "winner": _bidder(facts, winner),
                    "rows": rows,
                    "successful": False,
                    "why": (
                        "Your bid was not assessed: it was found non-compliant at opening, for this reason: "
                        f"{reason.rstrip('.')}. {outcome}"
                    ),
                    "assessed": len(ranked_bids),
                    "not_assessed_reason": reason,
                },
            )
        )
    return summaries


# --- Standstill: challenges and suspension ----------------------------------------------------------


def in_standstill(notice: AwardNotice, now: datetime | None = None) -> bool:
    """Whether the notice's standstill is running: from publication to its last day, both included."""
    return timezone.localdate(now or timezone.now()) <= notice.standstill_end


@transaction.atomic
def challenge_raise(
    *, notice: AwardNotice, bid: Bid, actor: User, reasons: str, now: datetime | None = None
) -> Challenge:
    """A bidder's challenge to the award, with its reasons, during standstill only.

    The bid must be a submitted bid for the notice's tender, and the person a member of its organisation.
    """
    now = now or timezone.now()
    if bid.tender_id != notice.tender_id or bid.status != BidStatus.SUBMITTED:
        raise ValidationError({"bid": "Only a bidder for this tender can challenge its award"})
    if not Organisation.objects.of_user(actor).filter(pk=bid.organisation_id).exists():
        raise PermissionDenied("Only a member of the bidding organisation can challenge the award")
    if not in_standstill(notice, now):
        raise ValidationError(
            {
                "reasons": f"The standstill ended on {notice.standstill_end:%-d %B %Y}: "
                "the award can no longer be challenged here"
            }
        )
    reasons = _clean_reason(reasons, "reasons")
    if not reasons:
        raise ValidationError({"reasons": "Enter the reasons for your challenge"})
    challenge = Challenge.objects.create(
        council=notice.council, notice=notice, bid=bid, raised_by=actor, reasons=reasons, raised_at=now
    )
    audit_record(
        council=notice.council,
        actor=actor,
        action=TenderAction.AWARD_CHALLENGED,
        target=challenge,
        after={"notice": notice.pk, "bid": bid.pk, "reasons": reasons},
    )
    return challenge


def _locked_notice(notice: AwardNotice) -> AwardNotice:
    return (
        AwardNotice.objects.select_for_update(of=("self",))
        .select_related("tender", "lot", "bid", "bid__organisation")
        .get(council=notice.council_id, pk=notice.pk)
    )


@transaction.atomic
def award_suspend(*, notice: AwardNotice, actor: User, reason: str, now: datetime | None = None) -> AwardNotice:
    """Suspend the award (after a challenge, say): the contract may then not be entered. Needs the reason."""
    notice = _locked_notice(notice)
    if notice.suspended_at is not None:
        raise Conflict("This award is already suspended")
    if Contract.objects.filter(council=notice.council_id, notice=notice).exists():
        raise Conflict("The contract has been entered: the award can no longer be suspended")
    reason = _clean_reason(reason)
    if not reason:
        raise ValidationError({"reason": "Enter the reason for suspending the award"})
    notice.suspended_by = actor
    notice.suspended_at = now or timezone.now()
    notice.suspension_reason = reason
    notice.save(update_fields=["suspended_by", "suspended_at", "suspension_reason"])
    audit_record(
        council=notice.council,
        actor=actor,
        action=TenderAction.AWARD_SUSPENDED,
        target=notice,
        before={"suspended": False},
        after={"suspended": True, "reason": reason},
    )
    return notice


# --- Contract ----------------------------------------------------------------------------------------


def contract_refusal(*, notice: AwardNotice, now: datetime | None = None) -> str:
    """Why the contract cannot be entered now ("" if it can)."""
    if notice.bid_id is None:
        return "No contract is awarded for this lot."
    if notice.suspended_at is not None:
        return "The award is suspended: the contract cannot be entered."
    if in_standstill(notice, now):
        opens = notice.standstill_end + timedelta(days=1)
        return (
            f"The standstill ends on {notice.standstill_end:%-d %B %Y}: "
            f"the contract may be entered from {opens:%-d %B %Y}."
        )
    return ""


def _commitments(tender: Tender, bid_id: int, now: datetime) -> list[dict[str, Any]]:
    """The winning bid's social value commitments, from its newest sealed submission."""
    submission = BidSubmission.objects.filter(council=tender.council_id, bid=bid_id).order_by("-number").first()
    if submission is None:
        return []
    content = sealing.unseal_json(tender, submission.content, reader=Reader.COUNCIL, now=now)
    commitments = content.get("commitments") if isinstance(content, dict) else None
    return [c for c in commitments or [] if isinstance(c, dict)]


@transaction.atomic
def contract_enter(
    *,
    notice: AwardNotice,
    actor: User,
    value: Decimal,
    start_date: date,
    end_date: date,
    title: str = "",
    reporting_period: str = ReportingPeriod.QUARTERLY,
    now: datetime | None = None,
) -> Contract:
    """Enter the contract with the winning provider, once the standstill has ended without suspension.

    The winning bid's commitments become the contract's social value KPIs, as committed (a
    framework measure keeps its measure version), reported on every ``reporting_period``; the
    ledger's agreement keeps the market facts at award (the provider's type as eligibility judges
    it, the spend policy band), which the audit event records too.
    """
    now = now or timezone.now()
    notice = _locked_notice(notice)
    refusal = contract_refusal(notice=notice, now=now)
    if refusal:
        raise ValidationError(refusal)
    if Contract.objects.filter(council=notice.council_id, notice=notice).exists():
        raise Conflict("The contract for this award has already been entered")
    errors: dict[str, str] = {}
    if value is None or value <= 0:
        errors["value"] = "Enter the contract's value, more than £0"
    if end_date < start_date:
        errors["end_date"] = "The end date must be the same as or after the start date"
    if errors:
        raise ValidationError(errors)
    tender, lot, bid = notice.tender, notice.lot, notice.bid
    assert bid is not None
    title = (title or "").strip() or (tender.title if lot is None else f"{tender.title}: {lot.title}")
    # Judged now and kept: the market figures count the provider as it was at award.
    market_facts = agreement_market_facts(tender=tender, organisation=bid.organisation)
    contract = Contract.objects.create(
        council=notice.council,
        notice=notice,
        tender=tender,
        lot=lot,
        bid=bid,
        organisation=bid.organisation,
        title=title[:300],
        value=value,
        start_date=start_date,
        end_date=end_date,
        entered_by=actor,
        entered_at=now,
    )
    agreement = agreement_record(
        council=notice.council,
        kind=AgreementKind.CONTRACT,
        source_id=contract.pk,
        provider=bid.organisation,
        title=contract.title,
        value=value,
        awarded_on=timezone.localdate(now),
        starts_on=start_date,
        ends_on=end_date,
        commitments=_commitments(tender, bid.pk, now),
        **market_facts,
        reporting_period=reporting_period,
    )
    kpis = agreement.kpis.all()
    audit_record(
        council=notice.council,
        actor=actor,
        action=TenderAction.CONTRACT_ENTERED,
        target=contract,
        after={
            "notice": notice.pk,
            "organisation": bid.organisation.name,
            "value": str(value),
            "start_date": start_date.isoformat(),
            "end_date": end_date.isoformat(),
            "social_value_kpis": kpis.count(),
            "market_facts": {
                name: str(value) if isinstance(value, Decimal) else value for name, value in market_facts.items()
            },
            "reporting_period": reporting_period,
        },
    )
    return contract
