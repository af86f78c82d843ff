"""A tender ready to evaluate: the world's published tender ("<Slug> community navigators") moved
past its deadline, with more submitted bids from new organisations, a second evaluator, and
helpers that start the evaluation, assign and declare through the services (so audit events are
written as in life).

Build on a world up to the stage ``bids`` (the published tender with the world's sealed bid).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from commissioning.models import Role, User
from commissioning.tenancy import council_scope
from tenders import sealing, services
from tenders.database import check_bid_deadlines_now
from tenders.models import Bid, BidAttachment, BidStatus, BidSubmission, Criterion, Tender
from tests.factories.bids import bid_content
from tests.factories.councils import MembershipFactory
from tests.factories.organisations import OrganisationFactory
from tests.factories.people import UserFactory, give_totp
from tests.factories.publication import set_evaluation_settings

if TYPE_CHECKING:
    from tests.factories.worlds import CouncilWorld

JUSTIFICATION = "A clear plan with named local partners, realistic staffing and a safeguarding lead."


@dataclass
class ScoringWorld:
    world: CouncilWorld
    tender: Tender
    bids: list[Bid]
    criteria: list[Criterion]  # the scored criteria, in order
    evaluators: list[User]
    commissioner: User
    officer: User
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.world.council.slug

    def url(self, suffix: str = "") -> str:
        return f"/c/{self.slug}/tenders/{self.tender.pk}/evaluation/{suffix}"

    def api(self, suffix: str = "") -> str:
        return f"/api/v1/councils/{self.slug}/tenders/{self.tender.pk}/evaluation/{suffix}"

    def reload(self) -> Tender:
        with council_scope(self.world.council):
            self.tender = Tender.objects.select_related("council").get(pk=self.tender.pk)
        return self.tender


def _add_bids(world: CouncilWorld, tender: Tender, n: int) -> list[Bid]:
    content = bid_content(slug=world.council.slug, tender=tender)
    bids = []
    for number in range(n):
        organisation = OrganisationFactory(name=f"Bidder {number + 2} of {world.council.slug.title()}")
        bid = Bid.objects.create(
            council=world.council,
            tender=tender,
            organisation=organisation,
            status=BidStatus.SUBMITTED,
            draft=sealing.seal_json(tender, content),
            created_by=world.provider,
        )
        BidSubmission.objects.create(
            council=world.council,
            bid=bid,
            number=1,
            reference=f"EVAL-{tender.pk}-{bid.pk}-1",
            content=sealing.seal_json(tender, content),
            sha256=sealing.sha256_hex(sealing.canonical_json(content)),
            submitted_by=world.provider,
            submitted_at=timezone.now() - timedelta(days=8),
        )
        bids.append(bid)
    return bids


def scoring_world(world: CouncilWorld, *, extra_bids: int = 1, blind: bool = False, mfa: bool = True) -> ScoringWorld:
    """The world's published tender, closed an hour ago, with ``extra_bids`` more submitted bids
    and two evaluators (the world's and a second one). Nothing of the evaluation is started."""
    assert world.published is not None and world.bid is not None, "needs the world stage 'bids'"
    council = world.council
    with council_scope(council):
        tender = Tender.objects.select_related("council").get(pk=world.published.pk)
        now = timezone.now()
        Tender.objects.filter(pk=tender.pk).update(
            submission_deadline=max(tender.submission_deadline, now + timedelta(hours=1))
        )
        set_evaluation_settings(tender.pk, blind_evaluation=blind)
        tender.refresh_from_db()
        bids = [world.bid, *_add_bids(world, tender, extra_bids)]
        check_bid_deadlines_now()
        Tender.objects.filter(pk=tender.pk).update(
            published_at=now - timedelta(days=30),
            clarification_deadline=now - timedelta(days=7),
            submission_deadline=now - timedelta(hours=1),
        )
        tender = Tender.objects.select_related("council").get(pk=tender.pk)
        second = UserFactory(email=f"evaluator2@{council.slug}.example.org", name=f"Second Evaluator of {council.slug}")
        MembershipFactory(council=council, user=second, role=Role.EVALUATOR)
        if mfa:
            give_totp(second)
        criteria = list(
            Criterion.objects.filter(tender=tender, kind__in=["quality", "social_value"]).order_by("position", "pk")
        )
    return ScoringWorld(
        world=world,
        tender=tender,
        bids=bids,
        criteria=criteria,
        evaluators=[world.people[Role.EVALUATOR], second],
        commissioner=world.people[Role.COMMISSIONER],
        officer=world.people[Role.OFFICER],
    )


def started(sw: ScoringWorld, *, assign: bool = True) -> ScoringWorld:
    """Start the evaluation and assign both evaluators to every scored criterion (services)."""
    with council_scope(sw.world.council):
        services.evaluation_start(tender=sw.tender, actor=sw.commissioner)
        if assign:
            for evaluator in sw.evaluators:
                services.evaluator_assign(tender=sw.tender, actor=sw.commissioner, user=evaluator)
    return sw


def declared(sw: ScoringWorld, evaluator: User, *, conflict_on: Bid | None = None) -> None:
    """``evaluator`` declares no conflict with every bidder, except a conflict with ``conflict_on``."""
    with council_scope(sw.world.council):
        for bid in sw.bids:
            conflict = conflict_on is not None and bid.pk == conflict_on.pk
            services.bidder_conflict_declare(
                tender=sw.tender,
                bid=bid,
                actor=evaluator,
                has_conflict=conflict,
                details="My sister chairs its board." if conflict else "",
            )


def scored(sw: ScoringWorld, evaluator: User, bid: Bid, *, score: int = 4, submit: bool = True) -> None:
    """``evaluator`` scores every scored criterion of ``bid`` and, with ``submit``, submits."""
    from decimal import Decimal

    with council_scope(sw.world.council):
        for criterion in sw.criteria:
            services.score_save(
                tender=sw.tender,
                bid=bid,
                actor=evaluator,
                criterion=criterion,
                score=Decimal(score),
                justification=JUSTIFICATION,
                expected_revision=0,
            )
        if submit:
            services.score_sheet_submit(tender=sw.tender, bid=bid, actor=evaluator)


def attachment_of(sw: ScoringWorld, bid: Bid) -> BidAttachment | None:
    with council_scope(sw.world.council):
        return BidAttachment.objects.filter(bid=bid, removed_at__isnull=True).first()


__all__ = ["JUSTIFICATION", "ScoringWorld", "attachment_of", "declared", "scored", "scoring_world", "started"]
