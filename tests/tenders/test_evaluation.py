"""Evaluation's services and selectors: starting after the deadline only, assigning evaluators
(the evaluator role only), removing them with a reason, declarations before any bid content,
recusals and the officer's decision, draft scores with revisions, the submission that locks,
nobody seeing another's scores before submitting their own, other councils' rows unreachable,
and an audit event for every write."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from commissioning.models import AuditEvent, Role
from commissioning.tenancy import council_scope
from tenders import selectors, services
from tenders.audit_labels import TenderAction
from tenders.models import PanelDecision, Recusal, Scale, Score, Tender, TenderPolicy
from tenders.sealing import SealedError
from tests.factories import CouncilWorld
from tests.factories.scoring_world import JUSTIFICATION, declared, scored, scoring_world, started

pytestmark = pytest.mark.world("bids")


def actions(world: CouncilWorld) -> list[str]:
    with council_scope(world.council):
        return list(AuditEvent.objects.filter(council=world.council).order_by("pk").values_list("action", flat=True))


def test_evaluation_starts_only_after_the_deadline(knowsley: CouncilWorld) -> None:
    sw = scoring_world(knowsley)
    with council_scope(knowsley.council):
        Tender.objects.filter(pk=sw.tender.pk).update(submission_deadline=timezone.now() + timedelta(hours=2))
        sw.tender.refresh_from_db()
        with pytest.raises(SealedError):
            services.evaluation_start(tender=sw.tender, actor=sw.commissioner)
        evaluation = services.evaluation_start(
            tender=sw.tender, actor=sw.commissioner, now=timezone.now() + timedelta(hours=3)
        )
        again = services.evaluation_start(
            tender=sw.tender, actor=sw.commissioner, now=timezone.now() + timedelta(hours=3)
        )
    assert again.pk == evaluation.pk
    assert actions(knowsley).count(TenderAction.EVALUATION_STARTED) == 1


def test_only_council_evaluators_are_assigned_and_removal_needs_a_reason(knowsley: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley), assign=False)
    first, second = sw.evaluators
    with council_scope(knowsley.council):
        with pytest.raises(ValidationError) as refused:
            services.evaluator_assign(tender=sw.tender, actor=sw.commissioner, user=sw.officer)
        assert "evaluator role" in str(refused.value)
        services.evaluator_assign(tender=sw.tender, actor=sw.commissioner, user=first)
        with pytest.raises(ValidationError):
            services.evaluator_assign(tender=sw.tender, actor=sw.commissioner, user=first)
        social = sw.criteria[-1]
        specialist = services.evaluator_assign(tender=sw.tender, actor=sw.commissioner, user=second, criterion=social)
        cover = {c.criterion.pk: c.evaluators for c in selectors.panel_cover(tender=sw.tender, minimum=2)}
        assert cover == {sw.criteria[0].pk: 1, social.pk: 2}
        with pytest.raises(ValidationError) as no_reason:
            services.evaluator_remove(assignment=specialist, actor=sw.officer, reason="  ")
        assert "reason" in no_reason.value.message_dict
        services.evaluator_remove(assignment=specialist, actor=sw.officer, reason="Off sick for a month")
        assert [a.user for a in selectors.current_assignments(tender=sw.tender)] == [first]
    assert actions(knowsley)[-3:] == [
        TenderAction.EVALUATOR_ASSIGNED,
        TenderAction.EVALUATOR_ASSIGNED,
        TenderAction.EVALUATOR_REMOVED,
    ]


def test_scoring_needs_a_declaration_and_a_conflict_recuses(knowsley: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley))
    first, second = sw.evaluators
    bid = sw.bids[0]
    with council_scope(knowsley.council):
        with pytest.raises(PermissionDenied, match="Declare your interests"):
            services.score_save(
                tender=sw.tender,
                bid=bid,
                actor=first,
                criterion=sw.criteria[0],
                score=Decimal(3),
                justification="",
                expected_revision=0,
            )
        with pytest.raises(ValidationError) as no_details:
            services.bidder_conflict_declare(tender=sw.tender, bid=bid, actor=second, has_conflict=True)
        assert "details" in no_details.value.message_dict
        services.bidder_conflict_declare(
            tender=sw.tender, bid=bid, actor=second, has_conflict=True, details="I used to work there."
        )
        recusal = Recusal.objects.get(tender=sw.tender, user=second)
        assert recusal.bid_id == bid.pk and recusal.reason == "I used to work there."
        with pytest.raises(PermissionDenied, match="recused"):
            services.score_save(
                tender=sw.tender,
                bid=bid,
                actor=second,
                criterion=sw.criteria[0],
                score=Decimal(3),
                justification="",
                expected_revision=0,
            )
        rows = {row.bid_id: row for row in selectors.evaluator_bids(tender=sw.tender, user=second)}
        assert rows[bid.pk].status == "Recused" and rows[sw.bids[1].pk].status == "Declare your interests"
        with pytest.raises(ValidationError):
            services.recusal_decide(recusal=recusal, actor=sw.officer, decision="maybe", reason="x")
        services.recusal_decide(
            recusal=recusal, actor=sw.officer, decision=PanelDecision.STANDS, reason="Two evaluators remain."
        )
        with pytest.raises(ValidationError, match="already recorded"):
            services.recusal_decide(recusal=recusal, actor=sw.officer, decision=PanelDecision.CHANGE, reason="x")
    assert [
        a for a in actions(knowsley) if a.startswith("evaluation.") and "assigned" not in a and "started" not in a
    ] == [TenderAction.BIDDER_CONFLICT_DECLARED, TenderAction.EVALUATOR_RECUSED, TenderAction.RECUSAL_DECIDED]


def test_a_whole_tender_recusal_covers_every_bid(knowsley: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley, extra_bids=2))
    second = sw.evaluators[1]
    with council_scope(knowsley.council):
        services.bidder_conflict_declare(
            tender=sw.tender,
            bid=sw.bids[0],
            actor=second,
            has_conflict=True,
            details="I advise all of these bidders.",
            whole_tender=True,
        )
        assert Recusal.objects.get(tender=sw.tender, user=second).bid_id is None
        assert all(row.recused for row in selectors.evaluator_bids(tender=sw.tender, user=second))
        progress = {p.user.pk: p for p in selectors.evaluation_progress(tender=sw.tender)}
        assert (progress[second.pk].recused, progress[second.pk].bids) == (3, 0)
        cover = selectors.panel_cover(tender=sw.tender, minimum=2)
        assert all(c.evaluators == 1 and c.short for c in cover)


def test_draft_scores_keep_revisions_and_refuse_stale_saves(knowsley: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley))
    first = sw.evaluators[0]
    declared(sw, first)
    bid, criterion = sw.bids[0], sw.criteria[0]
    with council_scope(knowsley.council):
        saved = services.score_save(
            tender=sw.tender,
            bid=bid,
            actor=first,
            criterion=criterion,
            score=None,
            justification="Draft",
            expected_revision=0,
        )
        assert (saved.revision, saved.score) == (1, None)
        same = services.score_save(
            tender=sw.tender,
            bid=bid,
            actor=first,
            criterion=criterion,
            score=None,
            justification="Draft",
            expected_revision=1,
        )
        assert same.revision == 1
        with pytest.raises(ValidationError) as stale:
            services.score_save(
                tender=sw.tender,
                bid=bid,
                actor=first,
                criterion=criterion,
                score=Decimal(2),
                justification="Another tab",
                expected_revision=0,
            )
        assert stale.value.error_dict[services.score_field(criterion.pk, "justification")][0].code == "stale"
        with pytest.raises(ValidationError) as off_scale:
            services.score_save(
                tender=sw.tender,
                bid=bid,
                actor=first,
                criterion=criterion,
                score=Decimal(7),
                justification="Draft",
                expected_revision=1,
            )
        assert "0 to 5" in str(off_scale.value)
        assert Score.objects.get(pk=saved.pk).justification == "Draft"


def test_submission_needs_every_score_and_justification_then_locks(knowsley: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley))
    first = sw.evaluators[0]
    declared(sw, first)
    bid = sw.bids[0]
    quality, social = sw.criteria
    with council_scope(knowsley.council):
        TenderPolicy.objects.update_or_create(council=knowsley.council, defaults={"justification_minimum_length": 20})
        services.score_save(
            tender=sw.tender,
            bid=bid,
            actor=first,
            criterion=quality,
            score=Decimal(4),
            justification="Too short",
            expected_revision=0,
        )
        with pytest.raises(ValidationError) as incomplete:
            services.score_sheet_submit(tender=sw.tender, bid=bid, actor=first)
        assert set(incomplete.value.message_dict) == {
            services.score_field(quality.pk, "justification"),
            services.score_field(social.pk, "score"),
            services.score_field(social.pk, "justification"),
        }
        assert "at least 20 characters" in str(incomplete.value)
    with council_scope(knowsley.council):
        for criterion, revision in ((quality, 1), (social, 0)):
            services.score_save(
                tender=sw.tender,
                bid=bid,
                actor=first,
                criterion=criterion,
                score=Decimal(4),
                justification=JUSTIFICATION,
                expected_revision=revision,
            )
        sheet = services.score_sheet_submit(tender=sw.tender, bid=bid, actor=first)
        assert sheet.submitted_at is not None
        with pytest.raises(ValidationError, match="locked"):
            services.score_save(
                tender=sw.tender,
                bid=bid,
                actor=first,
                criterion=quality,
                score=Decimal(1),
                justification="changed",
                expected_revision=2,
            )
    assert actions(knowsley)[-1] == TenderAction.SCORE_SHEET_SUBMITTED


def test_a_hundred_point_scale_takes_any_number_to_two_places() -> None:
    assert services.score_on_scale("72.5", Scale.ZERO_TO_HUNDRED) == Decimal("72.50")
    for wrong in ("101", "-1", "7.123", "abc", "NaN"):
        with pytest.raises(ValueError):
            services.score_on_scale(wrong, Scale.ZERO_TO_HUNDRED)
    assert services.score_on_scale("3", Scale.ZERO_TO_FIVE) == Decimal(3)
    with pytest.raises(ValueError):
        services.score_on_scale("2.5", Scale.ZERO_TO_FIVE)


def test_nobody_sees_another_evaluators_scores_before_submitting_their_own(knowsley: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley))
    first, second = sw.evaluators
    declared(sw, first)
    declared(sw, second)
    bid = sw.bids[0]
    scored(sw, first, bid, score=4)
    scored(sw, second, bid, score=2, submit=False)
    with council_scope(knowsley.council):
        with pytest.raises(PermissionDenied):
            selectors.others_scores(tender=sw.tender, viewer=second, bid_id=bid.pk)
        # The first sees nothing of the second's draft.
        assert selectors.others_scores(tender=sw.tender, viewer=first, bid_id=bid.pk) == []
    with council_scope(knowsley.council):
        services.score_sheet_submit(tender=sw.tender, bid=bid, actor=second)
        seen = selectors.others_scores(tender=sw.tender, viewer=second, bid_id=bid.pk)
    assert {(s.evaluator_id, s.score) for s in seen} == {(first.pk, Decimal(4))}
    with council_scope(knowsley.council):
        progress = {p.user.pk: p for p in selectors.evaluation_progress(tender=sw.tender)}
    assert (progress[first.pk].submitted, progress[first.pk].owed, progress[first.pk].declared) == (1, 1, 2)


def test_moderation_open_freezes_everything(knowsley: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley))
    first = sw.evaluators[0]
    with council_scope(knowsley.council):
        evaluation = selectors.evaluation_of(tender=sw.tender)
        assert evaluation is not None
        evaluation.moderation_opened_at = timezone.now()
        evaluation.moderation_opened_by = sw.commissioner
        evaluation.save()
        with pytest.raises(ValidationError, match="Moderation is open"):
            services.bidder_conflict_declare(tender=sw.tender, bid=sw.bids[0], actor=first, has_conflict=False)
        with pytest.raises(ValidationError, match="Moderation is open"):
            services.evaluator_assign(tender=sw.tender, actor=sw.commissioner, user=first, criterion=sw.criteria[0])


def test_another_councils_rows_are_not_found(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley))
    other = started(scoring_world(southwark))
    with council_scope(knowsley.council):
        recusal_id = None
    with council_scope(southwark.council):
        services.bidder_conflict_declare(
            tender=other.tender, bid=other.bids[0], actor=other.evaluators[1], has_conflict=True, details="A friend."
        )
        recusal_id = Recusal.objects.get(tender=other.tender).pk
        assignment_id = selectors.current_assignments(tender=other.tender).first().pk
    with council_scope(knowsley.council):
        with pytest.raises(Http404):
            selectors.recusal_get(tender=sw.tender, recusal_id=recusal_id)
        with pytest.raises(Http404):
            selectors.assignment_get(tender=sw.tender, assignment_id=assignment_id)
        with pytest.raises(Http404):
            selectors.evaluator_bid(tender=sw.tender, user=sw.evaluators[0], bid_id=other.bids[0].pk)
        with pytest.raises(ValidationError):
            services.bidder_conflict_declare(
                tender=sw.tender, bid=other.bids[0], actor=sw.evaluators[0], has_conflict=False
            )
    assert Role.EVALUATOR  # the roles the worlds gave both councils
