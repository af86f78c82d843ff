"""A tender ready for moderation, built from direct rows: closed, evaluation started, evaluators
assigned, every evaluator's score sheet submitted with a score and a justification per scored
criterion, and each bid's sealed submission carrying its price.

``moderation_tender(world, prices=[...], scores=...)`` returns a :class:`ModerationWorld`. Needs the
world's stage ``commissions`` (and ``people``). No services are called, so no audit events exist.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from commissioning.models import Membership, Role, User
from tenders import sealing
from tenders.database import check_bid_deadlines_now
from tenders.demo.recorded import PublishedTender, Question, record_published_tender
from tenders.models import (
    Bid,
    BidStatus,
    BidSubmission,
    Criterion,
    Evaluation,
    EvaluatorAssignment,
    Lot,
    Score,
    ScoreSheet,
    Tender,
)
from tests.factories.organisations import OrganisationFactory
from tests.factories.people import UserFactory
from tests.factories.publication import set_evaluation_settings
from tests.factories.worlds import CouncilWorld

__all__ = ["ModerationWorld", "moderation_tender", "default_score"]


@dataclass
class ModerationWorld:
    tender: Tender
    lot: Lot
    criteria: list[Criterion]  # quality, price, social value
    bids: list[Bid]
    evaluators: list[User]
    commissioner: User
    officer: User
    evaluation: Evaluation
    sheets: list[ScoreSheet] = field(default_factory=list)

    @property
    def scored(self) -> list[Criterion]:
        return [c for c in self.criteria if c.kind in ("quality", "social_value")]


def default_score(evaluator_index: int, bid_index: int, criterion_index: int) -> Decimal:
    """Evaluator 0 gives 4, evaluator 1 gives 2 on the first bid's first criterion (a wide spread), else 3."""
    if bid_index == 0 and criterion_index == 0:
        return Decimal(4) if evaluator_index == 0 else Decimal(2)
    return Decimal(3)


def moderation_tender(
    world: CouncilWorld,
    *,
    prices: Sequence[str] = ("100000.00", "95000.00", "40000.00"),
    evaluators: int = 2,
    blind: bool = False,
    submitted: bool = True,
    score: Callable[[int, int, int], Decimal] = default_score,
    title: str = "",
) -> ModerationWorld:
    """A closed tender with ``len(prices)`` evaluated bids (bid i priced ``prices[i]`` on the lot),
    ``evaluators`` evaluators on every scored criterion, their sheets submitted (unless ``submitted``
    is false) with ``score(evaluator, bid, criterion)``."""
    assert world.commission is not None, "needs the world's stage 'commissions'"
    council, slug = world.council, world.council.slug
    commissioner, officer = world.people[Role.COMMISSIONER], world.people[Role.OFFICER]
    now = timezone.now()
    recorded = record_published_tender(
        council=council,
        commission=world.commission,
        commissioner=commissioner,
        officer=officer,
        tender=PublishedTender(
            title=title or f"{slug.title()} day opportunities",
            description="Day opportunities for adults.",
            estimated_value=Decimal("100000"),
            clarification_deadline=now + timedelta(hours=1),
            submission_deadline=now + timedelta(hours=2),
            weighting_rationale="Quality first.",
            published_at=now - timedelta(days=30),
            lot="Whole borough",
            criteria=(
                Question("How will you run the service?", "quality", 60, word_limit=500),
                Question("Price", "price", 30),
                Question("Local jobs", "social_value", 10, word_limit=300),
            ),
            sections=(("The service", "<p>Day opportunities.</p>"),),
        ),
        approved_sha256="0" * 64,
    )
    tender, lot = recorded.tender, recorded.lot
    if blind:
        set_evaluation_settings(tender.pk, blind_evaluation=True)
    bids = []
    for index, amount in enumerate(prices):
        organisation = OrganisationFactory(name=f"{slug.title()} Provider {index + 1}")
        content = {
            "answers": {str(c.pk): f"Answer of provider {index + 1}." for c in recorded.criteria},
            "prices": {str(lot.pk): amount},
            "commitments": [],
            "declarations": {"exclusion_grounds": False, "conflicts": False, "conflicts_details": ""},
        }
        bid = Bid.objects.create(
            council=council,
            tender=tender,
            organisation=organisation,
            status=BidStatus.SUBMITTED,
            draft=sealing.seal_json(tender, content),
            created_by=commissioner,
        )
        BidSubmission.objects.create(
            council=council,
            bid=bid,
            number=1,
            reference=f"MOD-{tender.pk}-{bid.pk}-1",
            content=sealing.seal_json(tender, content),
            sha256=sealing.sha256_hex(sealing.canonical_json(content)),
            submitted_by=commissioner,
            submitted_at=now - timedelta(days=3),
        )
        bids.append(bid)
    check_bid_deadlines_now()
    closed = now - timedelta(days=2)
    Tender.objects.filter(pk=tender.pk).update(
        clarification_deadline=closed - timedelta(days=5), submission_deadline=closed
    )
    tender = Tender.objects.select_related("council").get(pk=tender.pk)
    evaluation = Evaluation.objects.create(council=council, tender=tender, started_by=commissioner, started_at=closed)
    people = [world.people[Role.EVALUATOR]]
    while len(people) < evaluators:
        person = UserFactory()
        Membership.objects.create(council=council, user=person, role=Role.EVALUATOR)
        people.append(person)
    people = people[:evaluators]
    for person in people:
        EvaluatorAssignment.objects.create(council=council, tender=tender, user=person, assigned_by=commissioner)
    moderated = ModerationWorld(
        tender=tender,
        lot=lot,
        criteria=recorded.criteria,
        bids=bids,
        evaluators=people,
        commissioner=commissioner,
        officer=officer,
        evaluation=evaluation,
    )
    for e_index, person in enumerate(people):
        for b_index, bid in enumerate(bids):
            sheet = ScoreSheet.objects.create(
                council=council,
                tender=tender,
                bid=bid,
                evaluator=person,
                submitted_at=closed + timedelta(hours=5) if submitted else None,
            )
            moderated.sheets.append(sheet)
            Score.objects.bulk_create(
                Score(
                    council=council,
                    sheet=sheet,
                    tender=tender,
                    bid=bid,
                    criterion=criterion,
                    evaluator=person,
                    score=score(e_index, b_index, c_index),
                    justification=f"Justification by evaluator {e_index + 1} on bid {b_index + 1}.",
                )
                for c_index, criterion in enumerate(moderated.scored)
            )
    return moderated
