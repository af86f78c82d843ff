"""Moderation's selectors and services: when it may open (and the refusal saying what is missing),
the side-by-side board with its spread, agreeing scores, the lock, and a change after the lock
decided by an officer who did not ask for it. Every write is audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commissioning.models import AuditEvent
from commissioning.tenancy import council_scope
from tenders import selectors, services
from tenders.audit_labels import TenderAction
from tenders.models import Evaluation, ModeratedScore, Recusal, ScoreChangeDecision, ScoreSheet, TenderPolicy
from tests.factories import CouncilWorld
from tests.factories.moderation_world import ModerationWorld, moderation_tender

pytestmark = pytest.mark.world("commissions")


def _agree_all(world: ModerationWorld, score: str = "3") -> None:
    for bid in world.bids:
        for criterion in world.scored:
            services.moderated_score_agree(
                tender=world.tender,
                bid=bid,
                criterion=criterion,
                actor=world.commissioner,
                score=score,
                rationale="Agreed in the session.",
            )


def _actions(world: ModerationWorld) -> list[str]:
    return list(AuditEvent.objects.filter(council=world.tender.council).values_list("action", flat=True))


def test_moderation_needs_a_started_evaluation(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        world = moderation_tender(knowsley)
        Evaluation.objects.filter(pk=world.evaluation.pk).delete()
        with pytest.raises(ValidationError) as error:
            services.moderation_open(tender=world.tender, actor=world.commissioner)
    assert "has not started" in str(error.value)


def test_moderation_refuses_while_a_sheet_is_unsubmitted_and_says_who(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        world = moderation_tender(knowsley)
        second = world.evaluators[1]
        ScoreSheet.objects.filter(evaluator=second, bid=world.bids[0]).update(submitted_at=None)
        with pytest.raises(ValidationError) as error:
            services.moderation_open(tender=world.tender, actor=world.commissioner)
        assert Evaluation.objects.get(pk=world.evaluation.pk).moderation_opened_at is None
    messages = error.value.messages
    assert f"{second.name} has not submitted their scores for 1 bid." in messages
    # and that bid then has only one of the two scorers needed
    assert any("1 of the 2 evaluators needed" in m for m in messages)


def test_a_recused_evaluator_owes_nothing_but_the_minimum_still_counts(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        world = moderation_tender(knowsley, evaluators=3)
        third = world.evaluators[2]
        ScoreSheet.objects.filter(evaluator=third, bid=world.bids[0]).update(submitted_at=None)
        Recusal.objects.create(
            council=knowsley.council, tender=world.tender, user=third, bid=world.bids[0], reason="A relative"
        )
        assert selectors.moderation_problems(tender=world.tender) == []
        TenderPolicy.objects.update_or_create(council=knowsley.council, defaults={"minimum_evaluators": 3})
        problems = selectors.moderation_problems(tender=world.tender)
    assert problems and all("2 of the 3 evaluators needed" in p for p in problems)
    assert len(problems) == 2  # the first bid on each of the two scored criteria


def test_opening_is_audited_and_happens_once(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        world = moderation_tender(knowsley)
        evaluation = services.moderation_open(tender=world.tender, actor=world.commissioner)
        assert evaluation.moderation_opened_at is not None
        with pytest.raises(ValidationError, match="already open"):
            services.moderation_open(tender=world.tender, actor=world.commissioner)
        assert _actions(world).count(TenderAction.MODERATION_OPENED) == 1


def test_the_board_shows_each_score_and_highlights_a_wide_spread(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        world = moderation_tender(knowsley)
        board = selectors.moderation_board(tender=world.tender)
    first = board.bids[0].cells[0]
    assert [s.score for s in first.scores] == [Decimal(4), Decimal(2)]
    assert first.spread == Decimal(2) and first.wide  # 2 on 0 to 5 is 40%
    assert not board.bids[0].cells[1].wide and board.bids[0].cells[1].spread == 0
    assert board.bids[0].label == "Knowsley Provider 1"
    assert first.scores[0].justification.startswith("Justification by evaluator 1")


def test_a_spread_below_the_policy_share_is_not_highlighted(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        world = moderation_tender(knowsley)
        TenderPolicy.objects.update_or_create(council=knowsley.council, defaults={"moderation_spread_percent": 50})
        board = selectors.moderation_board(tender=world.tender)
    assert not board.bids[0].cells[0].wide


def test_a_blind_evaluation_shows_labels_until_the_lock(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        world = moderation_tender(knowsley, blind=True)
        services.moderation_open(tender=world.tender, actor=world.commissioner)
        board = selectors.moderation_board(tender=world.tender)
        assert [b.label for b in board.bids] == ["Bid A", "Bid B", "Bid C"]
        _agree_all(world)
        services.moderation_lock(tender=world.tender, actor=world.commissioner)
        board = selectors.moderation_board(tender=world.tender)
    assert [b.label for b in board.bids] == ["Knowsley Provider 1", "Knowsley Provider 2", "Knowsley Provider 3"]


def test_agreeing_needs_open_moderation_a_score_on_the_scale_and_a_rationale(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        world = moderation_tender(knowsley)
        bid, criterion = world.bids[0], world.scored[0]
        with pytest.raises(ValidationError, match="not been opened"):
            services.moderated_score_agree(
                tender=world.tender, bid=bid, criterion=criterion, actor=world.commissioner, score="3", rationale="x"
            )
        services.moderation_open(tender=world.tender, actor=world.commissioner)
        with pytest.raises(ValidationError) as error:
            services.moderated_score_agree(
                tender=world.tender, bid=bid, criterion=criterion, actor=world.commissioner, score="6", rationale=" "
            )
        assert error.value.message_dict == {
            "score": ["Enter a score from 0 to 5"],
            "rationale": ["Enter the rationale for the agreed score"],
        }
        price = next(c for c in world.criteria if c.kind == "price")
        with pytest.raises(ValidationError, match="not scored"):
            services.moderated_score_agree(
                tender=world.tender, bid=bid, criterion=price, actor=world.commissioner, score="3", rationale="x"
            )
        first = services.moderated_score_agree(
            tender=world.tender, bid=bid, criterion=criterion, actor=world.commissioner, score="3", rationale="Fair."
        )
        again = services.moderated_score_agree(
            tender=world.tender,
            bid=bid,
            criterion=criterion,
            actor=world.commissioner,
            score="3.5",
            rationale="Better.",
        )
        assert again.pk == first.pk and again.revision == 2 and again.score == Decimal("3.5")
        assert _actions(world).count(TenderAction.MODERATED_SCORE_AGREED) == 2


def test_the_lock_needs_every_bid_and_criterion_then_locks(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        world = moderation_tender(knowsley)
        services.moderation_open(tender=world.tender, actor=world.commissioner)
        services.moderated_score_agree(
            tender=world.tender,
            bid=world.bids[0],
            criterion=world.scored[0],
            actor=world.commissioner,
            score="3",
            rationale="Agreed.",
        )
        with pytest.raises(ValidationError) as error:
            services.moderation_lock(tender=world.tender, actor=world.commissioner)
        assert len(error.value.messages) == 5  # 3 bids × 2 criteria, less the one agreed
        assert "Knowsley Provider 1: no agreed score on “Local jobs”." in error.value.messages
        _agree_all(world)
        evaluation = services.moderation_lock(tender=world.tender, actor=world.commissioner)
        assert evaluation.moderation_locked_at is not None
        with pytest.raises(ValidationError, match="locked"):
            services.moderated_score_agree(
                tender=world.tender,
                bid=world.bids[0],
                criterion=world.scored[0],
                actor=world.commissioner,
                score="5",
                rationale="Now higher.",
            )
        assert TenderAction.MODERATION_LOCKED in _actions(world)


def _locked(knowsley: CouncilWorld) -> tuple[ModerationWorld, ModeratedScore]:
    world = moderation_tender(knowsley)
    services.moderation_open(tender=world.tender, actor=world.commissioner)
    _agree_all(world)
    services.moderation_lock(tender=world.tender, actor=world.commissioner)
    moderated = ModeratedScore.objects.get(bid=world.bids[0], criterion=world.scored[0])
    return world, moderated


def test_a_change_after_the_lock_needs_a_reason_and_an_officer_who_did_not_ask(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        world, moderated = _locked(knowsley)
        with pytest.raises(ValidationError) as error:
            services.moderated_score_change_request(
                moderated_score=moderated, actor=world.commissioner, score="4", rationale="Higher.", reason=""
            )
        assert error.value.message_dict == {"reason": ["Enter the reason for the change"]}
        change = services.moderated_score_change_request(
            moderated_score=moderated, actor=world.commissioner, score="4", rationale="Higher.", reason="A typo."
        )
        with pytest.raises(ValidationError, match="already waiting"):
            services.moderated_score_change_request(
                moderated_score=moderated, actor=world.commissioner, score="5", rationale="Top.", reason="Again."
            )
        with pytest.raises(PermissionDenied):
            services.moderated_score_change_decide(
                change=change, actor=world.commissioner, decision=ScoreChangeDecision.APPROVED
            )
        services.moderated_score_change_decide(
            change=change, actor=world.officer, decision=ScoreChangeDecision.APPROVED
        )
        moderated.refresh_from_db()
        assert (moderated.score, moderated.rationale, moderated.revision) == (Decimal(4), "Higher.", 2)
        with pytest.raises(ValidationError, match="already been decided"):
            services.moderated_score_change_decide(
                change=change, actor=world.officer, decision=ScoreChangeDecision.REJECTED, comment="No."
            )
        actions = _actions(world)
    assert TenderAction.MODERATED_SCORE_CHANGE_REQUESTED in actions
    assert TenderAction.MODERATED_SCORE_CHANGE_DECIDED in actions
    assert TenderAction.MODERATED_SCORE_CHANGED in actions


def test_a_rejected_change_keeps_the_score_and_the_history(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        world, moderated = _locked(knowsley)
        change = services.moderated_score_change_request(
            moderated_score=moderated, actor=world.commissioner, score="1", rationale="Lower.", reason="Second look."
        )
        with pytest.raises(ValidationError) as error:
            services.moderated_score_change_decide(change=change, actor=world.officer, decision="rejected")
        assert "comment" in error.value.message_dict
        services.moderated_score_change_decide(
            change=change, actor=world.officer, decision="rejected", comment="The panel's view stands."
        )
        moderated.refresh_from_db()
        board = selectors.moderation_board(tender=world.tender)
    assert (moderated.score, moderated.revision) == (Decimal(3), 1)
    cell = board.bids[0].cells[0]
    assert [(c.old_score, c.new_score, c.decision) for c in cell.changes] == [(Decimal(3), Decimal(1), "rejected")]
    assert cell.pending_change is None
