"""The award's services: recommend per lot from the results (reasons when not the top-ranked bid,
refused while blocked), the four-eyes decision, the notice with its standstill and audit head,
assessment summaries for every assessed bidder (e-mailed), challenges, suspension and the contract
with KPIs from the winning commitments. Every write is audited.

Data from tests/factories/award_world.py: three bids ranked A, B, C on moderated quality scores.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commissioning.audit import audit_head
from commissioning.errors import Conflict
from commissioning.models import AuditEvent, OutboxMessage
from commissioning.tenancy import council_scope
from social_value.models import SocialValueKPI
from tenders import services
from tenders.calendar import standstill_end
from tenders.models import (
    AssessmentSummary,
    AwardDecision,
    AwardNotice,
    AwardRecommendation,
    Contract,
    EvaluatorAssignment,
)
from tenders.selectors.award import lot_result
from tenders.selectors.policy import holiday_dates
from tests.factories import CouncilWorld
from tests.factories.award_world import AwardWorld, award_world
from tests.factories.councils import MembershipFactory
from tests.factories.people import UserFactory

pytestmark = pytest.mark.world("policies")


@pytest.fixture
def scoped(knowsley: CouncilWorld):  # type: ignore[no-untyped-def]
    with council_scope(knowsley.council):
        yield knowsley


@pytest.fixture
def aw(scoped: CouncilWorld) -> AwardWorld:
    return award_world(scoped)


def _actions(world: AwardWorld) -> list[str]:
    return list(
        AuditEvent.objects.filter(council=world.tender.council_id, action__startswith="award.")
        .order_by("sequence")
        .values_list("action", flat=True)
    ) + list(
        AuditEvent.objects.filter(council=world.tender.council_id, action__startswith="contract.").values_list(
            "action", flat=True
        )
    )


def _recommend_top(aw: AwardWorld) -> AwardRecommendation:
    return services.award_recommend(tender=aw.tender, lot=aw.lot, actor=aw.commissioner, bid_id=aw.bids[0].pk)


def _approve(aw: AwardWorld) -> AwardNotice:
    recommendation = _recommend_top(aw)
    services.award_decide(recommendation=recommendation, actor=aw.officer, approve=True)
    return AwardNotice.objects.get(recommendation=recommendation)


# --- Recommendation ----------------------------------------------------------------------------------


def test_the_top_ranked_bid_is_recommended_without_a_reason_and_the_ranking_is_frozen(aw: AwardWorld) -> None:
    result = lot_result(tender=aw.tender, lot=aw.lot)
    assert result.winner_bid_id == aw.bids[0].pk

    recommendation = _recommend_top(aw)

    assert recommendation.bid_id == recommendation.top_ranked_bid_id == aw.bids[0].pk
    assert recommendation.reason == "" and recommendation.decision == ""
    assert [row["bid_id"] for row in recommendation.ranking] == [r.bid_id for r in result.ranked]
    assert recommendation.ranking[0]["organisation"] == aw.organisations[0].name
    assert recommendation.ranking[0]["rank"] == 1
    assert _actions(aw) == ["award.recommended"]


def test_another_bid_or_no_award_needs_a_reason(aw: AwardWorld) -> None:
    with pytest.raises(ValidationError) as refused:
        services.award_recommend(tender=aw.tender, lot=aw.lot, actor=aw.commissioner, bid_id=aw.bids[1].pk)
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.award_recommend(tender=aw.tender, lot=aw.lot, actor=aw.commissioner, bid_id=None, reason="  ")
    assert "reason" in refused.value.message_dict

    recommendation = services.award_recommend(
        tender=aw.tender, lot=aw.lot, actor=aw.commissioner, bid_id=aw.bids[1].pk, reason="Bid A cannot start in time."
    )
    assert recommendation.bid_id == aw.bids[1].pk and recommendation.top_ranked_bid_id == aw.bids[0].pk


def test_a_bid_not_of_the_lot_is_refused_and_a_tender_with_lots_needs_the_lot(aw: AwardWorld) -> None:
    with pytest.raises(ValidationError) as refused:
        services.award_recommend(tender=aw.tender, lot=aw.lot, actor=aw.commissioner, bid_id=999999, reason="x")
    assert "bid" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.award_recommend(tender=aw.tender, lot=None, actor=aw.commissioner, bid_id=aw.bids[0].pk)
    assert "lot" in refused.value.message_dict


def test_nothing_is_recommended_while_the_results_are_blocked(scoped: CouncilWorld) -> None:
    blocked = award_world(scoped, locked=False)
    result = lot_result(tender=blocked.tender, lot=blocked.lot)
    assert result.blockers

    with pytest.raises(ValidationError) as refused:
        services.award_recommend(
            tender=blocked.tender, lot=blocked.lot, actor=blocked.commissioner, bid_id=blocked.bids[0].pk
        )
    assert refused.value.message_dict["bid"] == list(result.blockers)
    assert not AwardRecommendation.objects.filter(tender=blocked.tender).exists()


def test_one_recommendation_waits_at_a_time(aw: AwardWorld) -> None:
    _recommend_top(aw)
    with pytest.raises(Conflict):
        _recommend_top(aw)


# --- Decision: four eyes -------------------------------------------------------------------------------


def test_the_recommender_cannot_decide_their_own_recommendation(aw: AwardWorld) -> None:
    recommendation = _recommend_top(aw)
    with pytest.raises(PermissionDenied, match="another officer"):
        services.award_decide(recommendation=recommendation, actor=aw.commissioner, approve=True)
    recommendation.refresh_from_db()
    assert recommendation.decision == ""


def test_an_officer_who_was_ever_an_evaluator_of_the_tender_cannot_decide(aw: AwardWorld) -> None:
    EvaluatorAssignment.objects.create(
        council=aw.tender.council,
        tender=aw.tender,
        user=aw.officer,
        assigned_by=aw.commissioner,
        removed_by=aw.commissioner,
        removed_at=timezone.now(),
        removed_reason="Moved to another team",
    )
    recommendation = _recommend_top(aw)
    assert "evaluator" in services.decide_refusal(recommendation=recommendation, user=aw.officer)
    with pytest.raises(PermissionDenied, match="evaluator"):
        services.award_decide(recommendation=recommendation, actor=aw.officer, approve=True)
    assert not AwardNotice.objects.filter(tender=aw.tender).exists()


def test_sending_back_needs_a_comment_and_allows_a_new_recommendation(aw: AwardWorld) -> None:
    recommendation = _recommend_top(aw)
    with pytest.raises(ValidationError) as refused:
        services.award_decide(recommendation=recommendation, actor=aw.officer, approve=False)
    assert "comment" in refused.value.message_dict

    services.award_decide(recommendation=recommendation, actor=aw.officer, approve=False, comment="Check bid B.")
    recommendation.refresh_from_db()
    assert recommendation.decision == AwardDecision.REJECTED and recommendation.decision_comment == "Check bid B."
    assert not AwardNotice.objects.filter(tender=aw.tender).exists()
    again = _recommend_top(aw)
    assert again.pk != recommendation.pk
    with pytest.raises(Conflict):
        services.award_decide(recommendation=recommendation, actor=aw.officer, approve=True)
    assert _actions(aw) == ["award.recommended", "award.sent_back", "award.recommended"]


# --- Approval: the notice, standstill and assessment summaries ---------------------------------------------


def test_approval_publishes_the_notice_with_value_standstill_and_the_audit_head(aw: AwardWorld) -> None:
    recommendation = _recommend_top(aw)
    before = timezone.now()
    services.award_decide(recommendation=recommendation, actor=aw.officer, approve=True)

    notice = AwardNotice.objects.get(recommendation=recommendation)
    assert notice.bid_id == aw.bids[0].pk and notice.lot_id == aw.lot.pk
    assert notice.value == Decimal("80000.00")
    assert notice.published_at >= before
    day = timezone.localdate(notice.published_at)
    holidays = holiday_dates(between=(day - timedelta(days=1), day + timedelta(days=200)))
    assert notice.standstill_days == aw.tender.standstill_days
    assert notice.standstill_end == standstill_end(day, aw.tender.standstill_days, holidays=holidays)
    approval = AuditEvent.objects.get(council=aw.tender.council_id, action="award.approved")
    assert notice.audit_hash == approval.hash
    assert audit_head(council=aw.tender.council).hash != approval.hash  # the notice's own event came after
    assert _actions(aw) == ["award.recommended", "award.approved", "award.notice_published"]


def test_every_assessed_bidder_gets_a_summary_with_their_and_the_winners_points_and_reasons(aw: AwardWorld) -> None:
    notice = _approve(aw)
    summaries = {s.bid_id: s for s in AssessmentSummary.objects.filter(notice=notice)}
    assert set(summaries) == {bid.pk for bid in aw.bids}
    winner, loser = summaries[aw.bids[0].pk], summaries[aw.bids[2].pk]
    assert winner.successful and not loser.successful
    assert loser.organisation_id == aw.organisations[2].pk

    content = loser.content
    assert [c["title"] for c in content["criteria"]] == [c.title for c in aw.criteria]
    assert [Decimal(c["weight"]) for c in content["criteria"]] == [Decimal(c.weight) for c in aw.criteria]
    quality = next(row for row in content["rows"] if row["criterion_id"] == aw.quality.pk)
    assert quality["score"] == "3.00" and quality["winner_score"] == "5.00"
    assert "bidder C" in quality["reason"] and "bidder A" in quality["winner_reason"]
    assert Decimal(quality["points"]) < Decimal(quality["winner_points"])
    price = next(row for row in content["rows"] if row["criterion_id"] == aw.price.pk)
    assert "£80,000.00" in price["reason"]
    assert content["winner"]["organisation"] == aw.organisations[0].name
    assert content["bidder"]["rank"] == 3
    assert "not successful" in content["why"] and "ranked 3 of 3" in content["why"]
    assert "successful" in winner.content["why"] and "highest total" in winner.content["why"]


def test_the_summaries_are_e_mailed_once_to_each_bidder_through_the_outbox(
    aw: AwardWorld, django_capture_on_commit_callbacks, eager_celery: None
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notice = _approve(aw)
    assert OutboxMessage.objects.filter(
        council=aw.tender.council, task="tenders.tasks.award.send_assessment_summaries"
    ).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in aw.providers)
    loser_mail = next(m for m in mail.outbox if m.to == [aw.providers[1].email])
    assert "not successful" in loser_mail.body and aw.tender.title in loser_mail.subject
    assert all(s.sent_at for s in AssessmentSummary.objects.filter(notice=notice))

    from tenders.tasks.award import send_assessment_summaries

    send_assessment_summaries.run(council_id=aw.tender.council_id, notice_id=notice.pk)
    assert len(mail.outbox) == 3  # idempotent: nothing sent twice


def test_a_recommendation_of_another_bid_tells_the_top_ranked_bidder_the_reason(aw: AwardWorld) -> None:
    recommendation = services.award_recommend(
        tender=aw.tender, lot=aw.lot, actor=aw.commissioner, bid_id=aw.bids[1].pk, reason="Bid A cannot start in time."
    )
    services.award_decide(recommendation=recommendation, actor=aw.officer, approve=True)
    top = AssessmentSummary.objects.get(bid=aw.bids[0])
    assert not top.successful and "Bid A cannot start in time." in top.content["why"]
    assert AssessmentSummary.objects.get(bid=aw.bids[1]).successful


# --- Standstill: challenge and suspension ---------------------------------------------------------------


def test_a_bidder_challenges_during_standstill_but_not_after(aw: AwardWorld) -> None:
    notice = _approve(aw)
    challenge = services.challenge_raise(
        notice=notice, bid=aw.bids[1], actor=aw.providers[1], reasons="The quality score ignored our plan."
    )
    assert challenge.raised_by == aw.providers[1]
    with pytest.raises(PermissionDenied):
        services.challenge_raise(notice=notice, bid=aw.bids[1], actor=aw.providers[2], reasons="Not ours to raise.")
    with pytest.raises(ValidationError) as refused:
        services.challenge_raise(notice=notice, bid=aw.bids[1], actor=aw.providers[1], reasons=" ")
    assert "reasons" in refused.value.message_dict

    AwardNotice.objects.filter(pk=notice.pk).update(standstill_end=timezone.localdate() - timedelta(days=1))
    notice.refresh_from_db()
    with pytest.raises(ValidationError, match="standstill ended"):
        services.challenge_raise(notice=notice, bid=aw.bids[1], actor=aw.providers[1], reasons="Too late.")
    assert "award.challenged" in _actions(aw)


def test_a_suspended_award_needs_a_reason_and_blocks_the_contract(aw: AwardWorld) -> None:
    notice = _approve(aw)
    with pytest.raises(ValidationError) as refused:
        services.award_suspend(notice=notice, actor=aw.officer, reason="")
    assert "reason" in refused.value.message_dict
    services.award_suspend(notice=notice, actor=aw.officer, reason="A challenge is being reviewed.")
    AwardNotice.objects.filter(pk=notice.pk).update(standstill_end=timezone.localdate() - timedelta(days=1))
    notice.refresh_from_db()
    assert notice.suspended_at is not None
    with pytest.raises(Conflict):
        services.award_suspend(notice=notice, actor=aw.officer, reason="Again")
    with pytest.raises(ValidationError, match="suspended"):
        services.contract_enter(
            notice=notice,
            actor=aw.officer,
            value=Decimal("80000"),
            start_date=timezone.localdate(),
            end_date=timezone.localdate() + timedelta(days=365),
        )
    assert not Contract.objects.filter(notice=notice).exists()
    assert "award.suspended" in _actions(aw)


# --- Contract ------------------------------------------------------------------------------------------------


def test_the_contract_waits_for_the_standstill_then_takes_the_winning_commitments_as_kpis(aw: AwardWorld) -> None:
    notice = _approve(aw)
    start, end = timezone.localdate() + timedelta(days=30), timezone.localdate() + timedelta(days=400)
    with pytest.raises(ValidationError, match="standstill ends"):
        services.contract_enter(notice=notice, actor=aw.officer, value=Decimal("80000"), start_date=start, end_date=end)

    AwardNotice.objects.filter(pk=notice.pk).update(standstill_end=timezone.localdate() - timedelta(days=1))
    notice.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.contract_enter(notice=notice, actor=aw.officer, value=Decimal("80000"), start_date=end, end_date=start)
    assert "end_date" in refused.value.message_dict

    contract = services.contract_enter(
        notice=notice, actor=aw.officer, value=Decimal("80000"), start_date=start, end_date=end
    )
    assert contract.organisation_id == aw.organisations[0].pk and contract.bid_id == aw.bids[0].pk
    assert contract.title == f"{aw.tender.title}: {aw.lot.title}"
    kpis = list(SocialValueKPI.objects.filter(agreement__kind="contract", agreement__source_id=contract.pk))
    assert [(k.measure, k.target, k.unit) for k in kpis] == [
        ("Local volunteering hours", Decimal("400.00"), "hours"),
        ("Local apprentices", Decimal("2.00"), "people"),
    ]
    assert kpis[0].due_by is not None and kpis[0].due_by.isoformat() == "2027-12-31"
    with pytest.raises(Conflict):
        services.contract_enter(notice=notice, actor=aw.officer, value=Decimal("1"), start_date=start, end_date=end)
    event = AuditEvent.objects.get(council=aw.tender.council_id, action="contract.entered")
    assert event.after["social_value_kpis"] == 2


def test_a_second_officer_may_decide_when_the_first_evaluated(aw: AwardWorld) -> None:
    EvaluatorAssignment.objects.create(
        council=aw.tender.council, tender=aw.tender, user=aw.officer, assigned_by=aw.commissioner
    )
    other = UserFactory(email="second.officer@knowsley.example.org")
    MembershipFactory(council=aw.tender.council, user=other, role="officer")
    recommendation = _recommend_top(aw)
    assert services.decide_refusal(recommendation=recommendation, user=other) == ""
    services.award_decide(recommendation=recommendation, actor=other, approve=True)
    assert AwardNotice.objects.filter(recommendation=recommendation).exists()
