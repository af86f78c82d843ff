"""A tender ready for its award: closed, evaluated, moderated and priced, with several bids.

Rows are made directly (no services, no audit events): the tender (one lot), three criteria
(quality 60, price 25, social value 15), ``n`` bidding organisations each with a member and a
sealed submission carrying commitments, an Evaluation with moderation locked and prices opened,
the world's evaluator assigned, a moderated score with rationale per bid and scored criterion and
a price per bid. By default the first bid scores best on quality and the ranking is bid 0, 1, 2…
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from commissioning.models import Organisation, Role, User
from commissioning.tenancy import council_scope
from tenders import sealing
from tenders.database import check_bid_deadlines_now
from tenders.demo.recorded import PublishedTender, Question, record_published_tender
from tenders.models import (
    Bid,
    BidPrice,
    Criterion,
    Evaluation,
    EvaluatorAssignment,
    Lot,
    ModeratedScore,
    Tender,
)
from tests.factories.bids import BidFactory, BidSubmissionFactory
from tests.factories.organisations import OrganisationFactory, OrganisationMemberFactory
from tests.factories.people import UserFactory

if TYPE_CHECKING:
    from tests.factories.worlds import CouncilWorld


@dataclass
class AwardWorld:
    tender: Tender
    lot: Lot
    criteria: list[Criterion]
    bids: list[Bid]
    organisations: list[Organisation]
    providers: list[User]  # one member of each bidding organisation
    commissioner: User
    officer: User
    evaluator: User
    commitments: list[dict[str, Any]] = field(default_factory=list)  # the first bid's

    @property
    def quality(self) -> Criterion:
        return self.criteria[0]

    @property
    def price(self) -> Criterion:
        return self.criteria[1]

    @property
    def social_value(self) -> Criterion:
        return self.criteria[2]


def award_world(
    world: CouncilWorld,
    *,
    n: int = 3,
    quality: list[int] | None = None,
    social_value: list[int] | None = None,
    prices: list[str] | None = None,
    locked: bool = True,
    title: str = "",
) -> AwardWorld:
    """A closed tender with ``n`` evaluated bids; scores on 0 to 5 and prices per bid (bid 0 first)."""
    assert world.commission is not None, "needs the world stage 'commissions'"
    council, slug = world.council, world.council.slug
    quality = quality or [max(0, 5 - i) for i in range(n)]
    social_value = social_value or [4] * n
    prices = prices or ["80000.00"] * n
    commissioner, officer = world.people[Role.COMMISSIONER], world.people[Role.OFFICER]
    evaluator = world.people[Role.EVALUATOR]
    now = timezone.now()
    with council_scope(council):
        recorded = record_published_tender(
            council=council,
            commission=world.commission,
            commissioner=commissioner,
            officer=officer,
            tender=PublishedTender(
                title=title or f"{slug.title()} community navigation",
                description="Navigators who help residents find local support.",
                estimated_value=Decimal("100000"),
                clarification_deadline=now + timedelta(hours=1),
                submission_deadline=now + timedelta(hours=2),
                weighting_rationale="Quality first; social value above the council's minimum.",
                published_at=now - timedelta(days=30),
                lot="Whole borough",
                criteria=(
                    Question("How will you reach residents?", "quality", 60, word_limit=500),
                    Question("Price", "price", 25),
                    Question("Local volunteering", "social_value", 15, word_limit=300),
                ),
                sections=(("The service", "<p>Navigation in every ward.</p>"),),
            ),
        )
        tender, lot, criteria = recorded.tender, recorded.lot, recorded.criteria
        bids, organisations, providers = [], [], []
        suffix = f" ({title})" if title else ""
        first_commitments: list[dict[str, Any]] = []
        for i in range(n):
            organisation = OrganisationFactory(name=f"{slug.title()} Bidder {chr(65 + i)}{suffix}")
            provider = UserFactory(
                email=f"bidder{i}-t{tender.pk}@{slug}-award.example.org", name=f"Bidder {chr(65 + i)} person"
            )
            OrganisationMemberFactory(organisation=organisation, user=provider)
            commitments = [
                {
                    "measure": "Local volunteering hours",
                    "quantity": str(400 + 100 * i),
                    "unit": "hours",
                    "by": "2027-12-31",
                },
                {"measure": "Local apprentices", "quantity": "2", "unit": "people", "by": ""},
            ]
            if i == 0:
                first_commitments = commitments
            content = {
                "answers": {str(c.pk): f"Answer of bidder {i}" for c in criteria if c.kind != "price"},
                "prices": {str(lot.pk): prices[i]},
                "commitments": commitments,
                "declarations": {"exclusion_grounds": False, "conflicts": False, "conflicts_details": ""},
            }
            bid = BidFactory(
                tender=tender, organisation=organisation, draft=sealing.seal_json(tender, content), created_by=provider
            )
            BidSubmissionFactory(
                bid=bid,
                reference=f"AW-{tender.pk}-{bid.pk}-1",
                content=sealing.seal_json(tender, content),
                sha256=sealing.sha256_hex(sealing.canonical_json(content)),
                submitted_by=provider,
                submitted_at=now - timedelta(days=3),
            )
            bids.append(bid)
            organisations.append(organisation)
            providers.append(provider)
        check_bid_deadlines_now()
        closed = now - timedelta(days=2)
        Tender.objects.filter(council=council, pk=tender.pk).update(
            clarification_deadline=closed - timedelta(days=5), submission_deadline=closed
        )
        tender = Tender.objects.select_related("council").get(council=council, pk=tender.pk)
        Evaluation.objects.create(
            council=council,
            tender=tender,
            started_by=commissioner,
            started_at=closed,
            moderation_opened_by=commissioner,
            moderation_opened_at=closed + timedelta(hours=20),
            moderation_locked_by=commissioner if locked else None,
            moderation_locked_at=closed + timedelta(hours=22) if locked else None,
            prices_opened_by=commissioner if locked else None,
            prices_opened_at=closed + timedelta(hours=23) if locked else None,
        )
        EvaluatorAssignment.objects.create(council=council, tender=tender, user=evaluator, assigned_by=commissioner)
        for i, bid in enumerate(bids):
            for criterion, score in ((criteria[0], quality[i]), (criteria[2], social_value[i])):
                ModeratedScore.objects.create(
                    council=council,
                    tender=tender,
                    bid=bid,
                    criterion=criterion,
                    score=Decimal(score),
                    rationale=f"Rationale for bidder {chr(65 + i)} on {criterion.title}: scored {score}.",
                    agreed_by=commissioner,
                    agreed_at=closed + timedelta(hours=21),
                )
            if locked:
                BidPrice.objects.create(council=council, tender=tender, bid=bid, lot=lot, amount=Decimal(prices[i]))
    return AwardWorld(
        tender=tender,
        lot=lot,
        criteria=criteria,
        bids=bids,
        organisations=organisations,
        providers=providers,
        commissioner=commissioner,
        officer=officer,
        evaluator=evaluator,
        commitments=first_commitments,
    )
