"""Evaluation and award rows; and the test world's stage ``evaluated``.

The stage writes a second tender whose deadline has passed, with the world's organisation's bid,
and one row in every model of evaluation and award: the evaluator's assignment, declaration and
recusal, a submitted score sheet, the moderated score and a change to it, the price and its
abnormally low review, the recommendation, the award notice, the assessment summary, a challenge,
the contract and its social value KPI. Rows are made directly (no services, no audit events), so
the cross-council probe and the seal walks cover every page and endpoint that shows them. Private
text contains "<slug>-private".
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from commissioning.models import LegalForm, Role
from social_value.models import AgreementKind
from social_value.services import agreement_record
from tenders import sealing
from tenders.calendar import standstill_end
from tenders.database import check_bid_deadlines_now
from tenders.demo.recorded import PublishedTender, Question, record_published_tender
from tenders.models import (
    AbnormallyLowDecision,
    AbnormallyLowReview,
    AssessmentSummary,
    AwardDecision,
    AwardNotice,
    AwardRecommendation,
    BidderConflictDeclaration,
    BidPrice,
    Challenge,
    Contract,
    Evaluation,
    EvaluatorAssignment,
    ModeratedScore,
    ModeratedScoreChange,
    PanelDecision,
    Recusal,
    Score,
    ScoreChangeDecision,
    ScoreSheet,
    Tender,
)
from tests.factories.bids import BidFactory, BidSubmissionFactory, bid_content
from tests.factories.organisations import OrganisationFactory, OrganisationMemberFactory

if TYPE_CHECKING:
    from tests.factories.worlds import CouncilWorld


def evaluated_tender(world: CouncilWorld) -> None:
    """A tender closed two days ago, evaluated, awarded and contracted, with the world's bid on it."""
    assert world.commission is not None and world.organisation is not None, "needs 'commissions' and 'people'"
    council, slug = world.council, world.council.slug
    commissioner, officer = world.people[Role.COMMISSIONER], world.people[Role.OFFICER]
    evaluator = world.people[Role.EVALUATOR]
    now = timezone.now()
    recorded = record_published_tender(
        council=council,
        commission=world.commission,
        commissioner=commissioner,
        officer=officer,
        tender=PublishedTender(
            title=f"{slug.title()} befriending service",
            description="Volunteers who visit isolated residents.",
            estimated_value=Decimal("90000"),
            clarification_deadline=now + timedelta(hours=1),
            submission_deadline=now + timedelta(hours=2),
            weighting_rationale="Quality first; social value above the council's minimum.",
            published_at=now - timedelta(days=30),
            lot="Whole borough",
            criteria=(
                Question("How will you find isolated residents?", "quality", 60, word_limit=500),
                Question("Price", "price", 25),
                Question("Local volunteering", "social_value", 15, word_limit=300),
            ),
            sections=(("The service", "<p>Befriending in every ward.</p>"),),
        ),
        approved_sha256="0" * 64,
    )
    tender, lot = recorded.tender, recorded.lot
    quality = recorded.criteria[0]
    # Another organisation, with its own words: the seal walks look for the world's organisation
    # and its sealed bid's words on every page of the council, this closed tender's included.
    content = bid_content(slug=slug, tender=tender)
    content["answers"] = {key: f"{slug}-private-opened-answer: volunteers in every ward." for key in content["answers"]}
    content["commitments"] = [{"measure": f"{slug}-private-opened volunteering", "quantity": "500", "unit": "hours"}]
    winner = OrganisationFactory(
        name=f"{slug.title()} Befriending CIC", legal_form=LegalForm.CIC, companies_house_number="12345678"
    )
    provider = OrganisationMemberFactory(organisation=winner).user
    bid = BidFactory(
        tender=tender,
        organisation=winner,
        draft=sealing.seal_json(tender, content),
        created_by=provider,
    )
    BidSubmissionFactory(
        bid=bid,
        reference=f"{slug[:3].upper()}-{tender.pk}-{bid.pk}-1",
        content=sealing.seal_json(tender, content),
        sha256=sealing.sha256_hex(sealing.canonical_json(content)),
        submitted_by=provider,
        submitted_at=now - timedelta(days=3),
    )
    check_bid_deadlines_now()
    closed = now - timedelta(days=2)
    Tender.objects.filter(pk=tender.pk).update(
        clarification_deadline=closed - timedelta(days=5), submission_deadline=closed
    )
    tender.refresh_from_db()

    Evaluation.objects.create(
        council=council,
        tender=tender,
        started_by=commissioner,
        started_at=closed,
        moderation_opened_by=commissioner,
        moderation_opened_at=closed + timedelta(hours=20),
        moderation_locked_by=commissioner,
        moderation_locked_at=closed + timedelta(hours=22),
        prices_opened_by=commissioner,
        prices_opened_at=closed + timedelta(hours=23),
    )
    EvaluatorAssignment.objects.create(council=council, tender=tender, user=evaluator, assigned_by=commissioner)
    BidderConflictDeclaration.objects.create(
        council=council, tender=tender, bid=bid, user=evaluator, has_conflict=False
    )
    Recusal.objects.create(
        council=council,
        tender=tender,
        user=commissioner,
        bid=bid,
        reason=f"{slug}-private-recusal: a relative volunteers there",
        decision=PanelDecision.STANDS,
        decision_reason="Two evaluators remain.",
        decided_by=officer,
        decided_at=closed + timedelta(hours=2),
    )
    sheet = ScoreSheet.objects.create(
        council=council, tender=tender, bid=bid, evaluator=evaluator, submitted_at=closed + timedelta(hours=10)
    )
    for criterion in recorded.criteria:
        if criterion.kind in ("quality", "social_value"):
            Score.objects.create(
                council=council,
                sheet=sheet,
                tender=tender,
                bid=bid,
                criterion=criterion,
                evaluator=evaluator,
                score=Decimal(4),
                justification=f"{slug}-private-justification: a clear plan with named local partners.",
            )
            moderated = ModeratedScore.objects.create(
                council=council,
                tender=tender,
                bid=bid,
                criterion=criterion,
                score=Decimal(4),
                rationale=f"{slug}-private-rationale: the panel agreed the plan is good.",
                agreed_by=commissioner,
                agreed_at=closed + timedelta(hours=21),
            )
    ModeratedScoreChange.objects.create(
        council=council,
        moderated_score=moderated,
        tender=tender,
        old_score=Decimal(3),
        new_score=Decimal(4),
        old_rationale="Adequate.",
        new_rationale=moderated.rationale,
        reason=f"{slug}-private-change: a transcription error",
        requested_by=commissioner,
        decision=ScoreChangeDecision.APPROVED,
        decided_by=officer,
        decided_at=closed + timedelta(hours=22),
    )
    BidPrice.objects.create(council=council, tender=tender, bid=bid, lot=lot, amount=Decimal("85000"))
    AbnormallyLowReview.objects.create(
        council=council,
        tender=tender,
        bid=bid,
        lot=lot,
        flag="Below 70% of the estimate",
        explanation=f"{slug}-private-explanation: volunteers give their time",
        decision=AbnormallyLowDecision.ACCEPT,
        reason="The explanation is credible.",
        decided_by=commissioner,
        decided_at=closed + timedelta(hours=23),
    )
    recommendation = AwardRecommendation.objects.create(
        council=council,
        tender=tender,
        lot=lot,
        bid=bid,
        top_ranked_bid=bid,
        recommended_by=commissioner,
        recommended_at=closed + timedelta(days=1),
        decision=AwardDecision.APPROVED,
        decided_by=officer,
        decided_at=closed + timedelta(days=1, hours=1),
    )
    published_at = closed + timedelta(days=1, hours=1)
    notice = AwardNotice.objects.create(
        council=council,
        tender=tender,
        lot=lot,
        recommendation=recommendation,
        bid=bid,
        value=Decimal("85000"),
        published_by=officer,
        published_at=published_at,
        standstill_days=8,
        standstill_end=standstill_end(published_at.date(), 8, holidays=()),
        audit_hash="0" * 64,
    )
    AssessmentSummary.objects.create(
        council=council,
        notice=notice,
        tender=tender,
        bid=bid,
        organisation=winner,
        successful=True,
        content={"why": f"{slug}-private-summary: the highest total score"},
    )
    Challenge.objects.create(
        council=council,
        notice=notice,
        bid=bid,
        raised_by=provider,
        reasons=f"{slug}-private-challenge: we ask for the scores to be checked",
        raised_at=published_at + timedelta(hours=3),
    )
    contract = Contract.objects.create(
        council=council,
        notice=notice,
        tender=tender,
        lot=lot,
        bid=bid,
        organisation=winner,
        title=f"{slug}-private-contract for befriending",
        value=Decimal("85000"),
        start_date=(now + timedelta(days=20)).date(),
        end_date=(now + timedelta(days=385)).date(),
        entered_by=officer,
        entered_at=now,
    )
    agreement_record(
        council=council,
        kind=AgreementKind.CONTRACT,
        source_id=contract.pk,
        provider=winner,
        title=contract.title,
        value=contract.value,
        awarded_on=now.date(),
        starts_on=contract.start_date,
        ends_on=contract.end_date,
        commitments=[
            {"measure": f"{slug}-private-opened volunteering", "unit": "hours", "quantity": "500", "local": True}
        ],
    )
    world.evaluated = tender
    world.evaluated_bid = bid
    world.evaluated_question = quality
    world.evaluated_provider = provider
