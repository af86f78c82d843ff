"""A tender ready for its results: many bids, moderated scores and prices, made as direct rows.

``results_tender(world, scores=[...])`` writes a published tender whose deadline passed yesterday,
with a quality question (60%, 0 to 5, minimum 2), the price (25%) and a social value question (15%),
one lot, and one submitted bid per entry of ``scores``: ``(quality, social value, price)``. The
evaluation is started, moderated, locked and priced unless told otherwise. No services and no
audit events: the results read recorded facts only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from commissioning.models import Role
from tenders.database import check_bid_deadlines_now
from tenders.demo.recorded import PublishedTender, Question, record_published_tender
from tenders.models import (
    AbnormallyLowDecision,
    AbnormallyLowReview,
    Bid,
    BidPrice,
    Compliance,
    Criterion,
    Evaluation,
    Lot,
    ModeratedScore,
    Score,
    ScoreSheet,
    Tender,
)
from tests.factories.bids import BidFactory
from tests.factories.organisations import OrganisationFactory, OrganisationMemberFactory
from tests.factories.publication import set_evaluation_settings

if TYPE_CHECKING:
    from tests.factories.worlds import CouncilWorld

__all__ = ["ResultsTender", "results_tender"]


@dataclass
class ResultsTender:
    tender: Tender
    lot: Lot
    quality: Criterion
    price: Criterion
    social_value: Criterion
    bids: list[Bid] = field(default_factory=list)
    panel: Criterion | None = None


def results_tender(
    world: CouncilWorld,
    *,
    scores: Sequence[tuple[str | int, str | int, str | int]],
    title: str = "Community navigation",
    blind: bool = False,
    locked: bool = True,
    prices_opened: bool = True,
    panel_weight: int | None = None,
    individual_scores: bool = False,
) -> ResultsTender:
    """The tender with one bid per ``(quality, social value, price)`` in ``scores``."""
    assert world.commission is not None, "needs the 'commissions' stage"
    council = world.council
    commissioner, officer = world.people[Role.COMMISSIONER], world.people[Role.OFFICER]
    evaluator = world.people[Role.EVALUATOR]
    now = timezone.now()
    questions = [
        Question("How will residents find the service?", "quality", 60 - (panel_weight or 0), word_limit=500),
        Question("Price", "price", 25),
        Question("Local jobs and volunteering", "social_value", 15, word_limit=300),
    ]
    if panel_weight is not None:
        questions.append(Question("Citizen panel", "citizen_panel", panel_weight))
    recorded = record_published_tender(
        council=council,
        commission=world.commission,
        commissioner=commissioner,
        officer=officer,
        tender=PublishedTender(
            title=title,
            description="Navigators who help residents reach local services.",
            estimated_value=Decimal("100000"),
            clarification_deadline=now + timedelta(hours=1),
            submission_deadline=now + timedelta(hours=2),
            weighting_rationale="Quality matters most; social value above the council's minimum.",
            published_at=now - timedelta(days=30),
            lot="Whole borough",
            criteria=tuple(questions),
            sections=(("The service", "<p>Navigation in every ward.</p>"),),
        ),
        approved_sha256="0" * 64,
    )
    tender, lot = recorded.tender, recorded.lot
    quality, price, social_value = recorded.criteria[:3]
    Criterion.objects.filter(pk=quality.pk).update(minimum_score=Decimal(2))
    quality.refresh_from_db()
    panel = recorded.criteria[3] if panel_weight is not None else None
    provider = OrganisationMemberFactory(organisation=OrganisationFactory(name=f"{title} provider")).user
    bids = [
        BidFactory(
            tender=tender,
            organisation=OrganisationFactory(name=f"Bidder {position} {title}"),
            created_by=provider,
            compliance=Compliance.COMPLIANT,
        )
        for position in range(1, len(scores) + 1)
    ]
    check_bid_deadlines_now()
    closed = now - timedelta(days=1)
    Tender.objects.filter(pk=tender.pk).update(
        clarification_deadline=closed - timedelta(days=5), submission_deadline=closed
    )
    set_evaluation_settings(tender.pk, blind_evaluation=blind)
    tender.refresh_from_db()
    Evaluation.objects.create(
        council=council,
        tender=tender,
        started_by=commissioner,
        started_at=closed,
        moderation_opened_by=commissioner,
        moderation_opened_at=closed + timedelta(hours=2),
        moderation_locked_by=commissioner if locked else None,
        moderation_locked_at=closed + timedelta(hours=3) if locked else None,
        prices_opened_by=commissioner if prices_opened else None,
        prices_opened_at=closed + timedelta(hours=4) if prices_opened else None,
    )
    moderated, amounts, individual = [], [], []
    for bid, (quality_score, social_score, amount) in zip(bids, scores, strict=True):
        for criterion, score in ((quality, quality_score), (social_value, social_score)):
            moderated.append(
                ModeratedScore(
                    council=council,
                    tender=tender,
                    bid=bid,
                    criterion=criterion,
                    score=Decimal(score),
                    rationale=f"The panel agreed {score} on {criterion.title}.",
                    agreed_by=commissioner,
                    agreed_at=closed + timedelta(hours=3),
                )
            )
        amounts.append(BidPrice(council=council, tender=tender, bid=bid, lot=lot, amount=Decimal(amount)))
    ModeratedScore.objects.bulk_create(moderated)
    BidPrice.objects.bulk_create(amounts)
    if individual_scores:
        sheets = ScoreSheet.objects.bulk_create(
            [
                ScoreSheet(council=council, tender=tender, bid=bid, evaluator=evaluator, submitted_at=closed)
                for bid in bids
            ]
        )
        for sheet, (quality_score, social_score, _) in zip(sheets, scores, strict=True):
            for criterion, score in ((quality, quality_score), (social_value, social_score)):
                individual.append(
                    Score(
                        council=council,
                        sheet=sheet,
                        tender=tender,
                        bid=sheet.bid,
                        criterion=criterion,
                        evaluator=evaluator,
                        score=Decimal(score),
                        justification=f"Scored {score}: the answer names local partners and a plan.",
                    )
                )
        Score.objects.bulk_create(individual)
    return ResultsTender(
        tender=tender, lot=lot, quality=quality, price=price, social_value=social_value, bids=bids, panel=panel
    )


def review_abnormally_low(result: ResultsTender, bid: Bid, *, decision: str = "") -> AbnormallyLowReview:
    """A flag on ``bid``'s price, undecided unless ``decision`` (accept or exclude) is given."""
    world_user = result.tender.created_by
    decided = decision in AbnormallyLowDecision.values
    return AbnormallyLowReview.objects.create(
        council=result.tender.council,
        tender=result.tender,
        bid=bid,
        lot=result.lot,
        flag="Below 70% of the median of the other prices",
        explanation="Volunteers give their time." if decided else "",
        decision=decision,
        reason="The provider could not show how the service is paid for." if decided else "",
        decided_by=world_user if decided else None,
        decided_at=timezone.now() if decided else None,
    )
