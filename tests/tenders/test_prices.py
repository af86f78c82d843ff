"""Prices: opened out of the sealed bids (only after the lock in a blind evaluation), scored per
lot by the declared formula, abnormally low ones flagged with the policy's percent, and the
commissioner's decision on each flag with the provider's explanation and a reason. Audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from commissioning.models import AuditEvent
from commissioning.tenancy import council_scope
from tenders import selectors, services
from tenders.audit_labels import TenderAction
from tenders.models import (
    AbnormallyLowReview,
    BidPrice,
    Compliance,
    Evaluation,
    PriceFormula,
    TenderPolicy,
)
from tests.factories import CouncilWorld
from tests.factories.moderation_world import moderation_tender
from tests.factories.publication import set_evaluation_settings

pytestmark = pytest.mark.world("commissions")


def test_prices_are_read_from_the_sealed_bids_and_scored(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        world = moderation_tender(knowsley, prices=("100000.00", "80000.00", "50000.00"))
        services.prices_open(tender=world.tender, actor=world.commissioner)
        amounts = dict(BidPrice.objects.filter(tender=world.tender).values_list("bid_id", "amount"))
        board = selectors.price_board(tender=world.tender)
    assert amounts == {
        world.bids[0].pk: Decimal("100000.00"),
        world.bids[1].pk: Decimal("80000.00"),
        world.bids[2].pk: Decimal("50000.00"),
    }
    (lot,) = board.lots
    assert lot.lot_id == world.lot.pk and board.weight == Decimal(30)
    assert [(b.name, b.points) for b in lot.bids] == [
        ("Knowsley Provider 3", Decimal("30.00")),
        ("Knowsley Provider 2", Decimal("18.75")),
        ("Knowsley Provider 1", Decimal("15.00")),
    ]
    assert "relative to the lowest price" in lot.formula_text and "30% price weight" in lot.formula_text


def test_the_linear_formula_scores_against_the_lots_budget(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        world = moderation_tender(knowsley, prices=("100000.00", "80000.00"))
        set_evaluation_settings(world.tender.pk, price_formula=PriceFormula.LINEAR_TO_BUDGET)
        world.tender.refresh_from_db()
        services.prices_open(tender=world.tender, actor=world.commissioner)
        (lot,) = selectors.price_board(tender=world.tender).lots
    # 1 − 20,000 ÷ 100,000 = 0.8 of 30 points
    assert [b.points for b in lot.bids] == [Decimal("30.00"), Decimal("24.00")]
    assert "£100,000.00" in lot.formula_text


def test_an_abnormally_low_price_is_flagged_with_the_policy_percent(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        world = moderation_tender(knowsley)  # 100,000, 95,000 and 40,000 against an estimate of 100,000
        services.prices_open(tender=world.tender, actor=world.commissioner)
        reviews = list(AbnormallyLowReview.objects.filter(tender=world.tender))
        assert [r.bid_id for r in reviews] == [world.bids[2].pk]
        assert "below 70% of the median" in reviews[0].flag
        assert selectors.price_board(tender=world.tender).undecided == 1


def test_a_lower_policy_percent_flags_nothing(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        TenderPolicy.objects.update_or_create(council=knowsley.council, defaults={"abnormally_low_percent": 30})
        world = moderation_tender(knowsley)
        services.prices_open(tender=world.tender, actor=world.commissioner)
        assert not AbnormallyLowReview.objects.filter(tender=world.tender).exists()


def test_a_non_compliant_bid_has_no_price(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        world = moderation_tender(knowsley)
        world.bids[2].__class__.objects.filter(pk=world.bids[2].pk).update(
            compliance=Compliance.NON_COMPLIANT, compliance_reason="No declarations"
        )
        services.prices_open(tender=world.tender, actor=world.commissioner)
        assert set(BidPrice.objects.filter(tender=world.tender).values_list("bid_id", flat=True)) == {
            world.bids[0].pk,
            world.bids[1].pk,
        }


def test_prices_open_once_and_are_audited(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        world = moderation_tender(knowsley)
        services.prices_open(tender=world.tender, actor=world.commissioner)
        with pytest.raises(ValidationError, match="already open"):
            services.prices_open(tender=world.tender, actor=world.commissioner)
        assert BidPrice.objects.filter(tender=world.tender).count() == 3
        event = AuditEvent.objects.get(council=knowsley.council, action=TenderAction.PRICES_OPENED)
    assert event.after == {"prices": 3, "abnormally_low_flags": 1}


def test_a_blind_evaluation_opens_prices_only_after_the_lock(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        world = moderation_tender(knowsley, blind=True)
        with pytest.raises(ValidationError, match="blind evaluation"):
            services.prices_open(tender=world.tender, actor=world.commissioner)
        assert "blind evaluation" in selectors.price_board(tender=world.tender).problems[0]
        services.moderation_open(tender=world.tender, actor=world.commissioner)
        for bid in world.bids:
            for criterion in world.scored:
                services.moderated_score_agree(
                    tender=world.tender,
                    bid=bid,
                    criterion=criterion,
                    actor=world.commissioner,
                    score="3",
                    rationale="ok",
                )
        services.moderation_lock(tender=world.tender, actor=world.commissioner)
        services.prices_open(tender=world.tender, actor=world.commissioner)
        assert Evaluation.objects.get(pk=world.evaluation.pk).prices_opened_at is not None


def test_the_decision_needs_the_explanation_a_decision_and_a_reason(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        world = moderation_tender(knowsley)
        services.prices_open(tender=world.tender, actor=world.commissioner)
        review = AbnormallyLowReview.objects.get(tender=world.tender)
        with pytest.raises(ValidationError) as error:
            services.abnormally_low_decide(
                review=review, actor=world.commissioner, explanation="", decision="", reason=""
            )
        assert set(error.value.message_dict) == {"explanation", "decision", "reason"}
        services.abnormally_low_decide(
            review=review,
            actor=world.commissioner,
            explanation="Volunteers deliver part of the service.",
            decision="accept",
            reason="The explanation is credible and sustainable.",
        )
        review.refresh_from_db()
        assert (review.decision, review.decided_by) == ("accept", world.commissioner)
        assert AuditEvent.objects.filter(action=TenderAction.ABNORMALLY_LOW_DECIDED).count() == 1
        assert selectors.price_board(tender=world.tender).undecided == 0
