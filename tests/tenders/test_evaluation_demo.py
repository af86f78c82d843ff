"""The evaluation stage's demo data: a Knowsley tender in evaluation with a second evaluator's drafts
to finish, and the community navigation service awarded to Innovate Volunteering CIC (seeds/004),
recorded consistently, all Knowsley's, and seeded once."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from commissioning.models import Council, Membership, Organisation, Role, User
from commissioning.tenancy import council_owned_models, council_scope, platform_scope
from social_value.models import Agreement, AgreementKind, SocialValueKPI
from tenders.calendar import standstill_end
from tenders.demo import knowsley
from tenders.demo.evaluation import AWARDED_TITLE, IN_EVALUATION_TITLE, SECOND_EVALUATOR, WINNER
from tenders.models import (
    AbnormallyLowDecision,
    AbnormallyLowReview,
    AssessmentSummary,
    AwardDecision,
    AwardNotice,
    AwardRecommendation,
    BankHoliday,
    BidderConflictDeclaration,
    BidPrice,
    Contract,
    Criterion,
    Evaluation,
    ModeratedScore,
    Score,
    ScoreSheet,
    Tender,
)
from tenders.models.tender import SCALE_MAXIMUM, Scale
from tenders.price import price_scores
from tenders.selectors.evaluation import current_assignments, evaluated_bids, evaluator_duties, scored_criteria


def _seed() -> Council:
    from commissioning.demo import seed

    seed()
    return Council.objects.get(slug="knowsley")


def _totals(tender: Tender) -> dict[str, Decimal]:
    """Each bid still in the running's total points, computed from the rows alone: moderated score ÷
    the scale's top × weight for quality and social value, the declared price formula's fraction ×
    the price weight; a bid excluded as abnormally low is not ranked."""
    criteria = {c.pk: c for c in Criterion.objects.filter(tender=tender)}
    excluded = set(
        AbnormallyLowReview.objects.filter(tender=tender, decision=AbnormallyLowDecision.EXCLUDE).values_list(
            "bid_id", flat=True
        )
    )
    names = dict(evaluated_bids(tender=tender).values_list("pk", "organisation__name"))
    totals = {bid_id: Decimal(0) for bid_id in names if bid_id not in excluded}
    for moderated in ModeratedScore.objects.filter(tender=tender):
        if moderated.bid_id in totals:
            criterion = criteria[moderated.criterion_id]
            totals[moderated.bid_id] += moderated.score / SCALE_MAXIMUM[Scale(criterion.scale)] * criterion.weight
    (price,) = [c for c in criteria.values() if c.kind == "price"]
    prices = {p.bid_id: p.amount for p in BidPrice.objects.filter(tender=tender) if p.bid_id in totals}
    for bid_id, fraction in price_scores(prices, formula=tender.price_formula, budget=tender.estimated_value).items():
        totals[bid_id] += fraction * price.weight
    return {names[bid_id]: total for bid_id, total in totals.items()}


def test_the_tender_in_evaluation_waits_for_the_second_evaluator(db: None) -> None:
    council = _seed()
    with council_scope(council):
        tender = Tender.objects.get(council=council, title=IN_EVALUATION_TITLE)
        assert tender.status == "closed"
        evaluation = Evaluation.objects.get(tender=tender)
        assert evaluation.started_at >= tender.submission_deadline
        assert evaluation.moderation_opened_at is None and evaluation.prices_opened_at is None
        assert not BidPrice.objects.filter(tender=tender).exists()
        bids = list(evaluated_bids(tender=tender).select_related("organisation"))
        forms = {bid.organisation.legal_form for bid in bids}
        assert len(bids) == 4 and {"charity", "cic", "cooperative", "large_company"} <= forms
        evaluators = {a.user.email for a in current_assignments(tender=tender)}
        assert evaluators == {knowsley.EVALUATOR, SECOND_EVALUATOR}
        for email in evaluators:
            assert Membership.objects.filter(council=council, user__email=email, role=Role.EVALUATOR).exists()
            declared = BidderConflictDeclaration.objects.filter(
                tender=tender, user__email=email, superseded_at__isnull=True
            )
            assert sorted(declared.values_list("bid_id", flat=True)) == sorted(b.pk for b in bids)
        duties = evaluator_duties(tender=tender)
        assert len(duties) == 8 and not any(d.recused for d in duties)
        scored = scored_criteria(tender=tender)
        sheets = ScoreSheet.objects.filter(tender=tender)
        first = sheets.filter(evaluator__email=knowsley.EVALUATOR)
        assert first.count() == 4 and not first.filter(submitted_at__isnull=True).exists()
        assert Score.objects.filter(sheet__in=first, score__isnull=False).count() == 4 * len(scored)
        second = sheets.filter(evaluator__email=SECOND_EVALUATOR)
        assert second.count() == 2 and not second.filter(submitted_at__isnull=False).exists()
        drafts = Score.objects.filter(sheet__in=second)
        assert drafts.filter(score__isnull=True).exists() and drafts.filter(score__isnull=False).exists()
        # Every justification given meets the council's minimum length.
        given = Score.objects.filter(tender=tender, score__isnull=False).values_list("justification", flat=True)
        assert min(len(text) for text in given) >= 50
        assert not ModeratedScore.objects.filter(tender=tender).exists()


def test_the_awarded_tender_goes_to_innovate_by_the_weights(db: None) -> None:
    council = _seed()
    with council_scope(council):
        tender = Tender.objects.get(council=council, title=AWARDED_TITLE)
        assert tender.estimated_value <= Decimal(181_000)  # Knowsley's intermediate band, reserved for local
        evaluation = Evaluation.objects.get(tender=tender)
        assert evaluation.moderation_locked_at and evaluation.prices_opened_at
        assert evaluation.prices_opened_at >= evaluation.moderation_locked_at
        bids = list(evaluated_bids(tender=tender).select_related("organisation"))
        assert 3 <= len(bids) <= 4
        scored = scored_criteria(tender=tender)
        sheets = ScoreSheet.objects.filter(tender=tender)
        assert sheets.count() == 2 * len(bids) and not sheets.filter(submitted_at__isnull=True).exists()
        assert Score.objects.filter(tender=tender, score__isnull=False).count() == 2 * len(bids) * len(scored)
        assert ModeratedScore.objects.filter(tender=tender).count() == len(bids) * len(scored)
        assert not ModeratedScore.objects.filter(tender=tender, rationale="").exists()

        # The loss-leader price was flagged, explained and excluded before the award.
        (review,) = AbnormallyLowReview.objects.filter(tender=tender).select_related("bid__organisation")
        assert review.bid.organisation.legal_form == "large_company"
        assert review.decision == AbnormallyLowDecision.EXCLUDE and review.explanation and review.reason
        assert review.decided_at is not None and review.decided_at >= evaluation.prices_opened_at

        totals = _totals(tender)
        assert max(totals, key=totals.__getitem__) == WINNER
        assert review.bid.organisation.name not in totals

        (recommendation,) = AwardRecommendation.objects.filter(tender=tender).select_related("bid__organisation")
        assert recommendation.bid_id == recommendation.top_ranked_bid_id
        assert recommendation.bid.organisation.name == WINNER
        assert recommendation.ranking[0]["organisation"] == WINNER and recommendation.ranking[0]["rank"] == 1
        assert recommendation.decision == AwardDecision.APPROVED and recommendation.decided_at
        # Four eyes: the approving officer neither recommended nor evaluated.
        evaluator_ids = set(sheets.values_list("evaluator_id", flat=True))
        assert recommendation.decided_by_id != recommendation.recommended_by_id
        assert recommendation.decided_by_id not in evaluator_ids
        assert recommendation.decided_by.email == knowsley.OFFICER

        notice = AwardNotice.objects.get(tender=tender, recommendation=recommendation)
        holidays = set(BankHoliday.objects.values_list("date", flat=True))
        notice_day = timezone.localtime(notice.published_at).date()
        assert notice.standstill_end == standstill_end(notice_day, notice.standstill_days, holidays=holidays)
        assert notice.standstill_days >= 8 and notice.standstill_end < timezone.localdate()
        assert notice.suspended_at is None and len(notice.audit_hash) == 64

        summaries = AssessmentSummary.objects.filter(notice=notice)
        assert sorted(summaries.values_list("bid_id", flat=True)) == sorted(b.pk for b in bids)
        assert [s.organisation.name for s in summaries.filter(successful=True)] == [WINNER]
        for summary in summaries:
            content = summary.content
            assert {c["kind"] for c in content["criteria"]} == {"quality", "price", "social_value"}
            assert all(row["weight"] and row["winner_points"] for row in content["rows"])
            assert content["winner"]["organisation"] == WINNER and content["why"]

        contract = Contract.objects.get(tender=tender)
        assert contract.organisation.name == WINNER and contract.notice_id == notice.pk
        assert contract.value == notice.value == BidPrice.objects.get(bid=contract.bid).amount
        assert contract.entered_at.date() > notice.standstill_end and contract.end_date > contract.start_date
        kpis = SocialValueKPI.objects.filter(agreement__kind=AgreementKind.CONTRACT, agreement__source_id=contract.pk)
        assert kpis.count() == 4 and all(k.target > 0 and k.due_by for k in kpis)
        assert "Spend with Knowsley organisations" in set(kpis.values_list("measure", flat=True))
        # The ledger keeps the market facts at award: the tender's band, reserved for local providers.
        agreement = Agreement.objects.get(council=council, kind=AgreementKind.CONTRACT, source_id=contract.pk)
        assert (agreement.band_label, agreement.band_reserved_for_local) == ("Intermediate value", True)
        # The commitments that fit Knowsley's seeded framework picked its measures (new jobs, volunteering).
        assert set(
            kpis.filter(measure_version__isnull=False).values_list("measure_version__measure__code", flat=True)
        ) == {
            "SVM-1.1",
            "SVM-5.1",
        }


def test_every_row_of_both_tenders_belongs_to_knowsley_and_seeding_again_changes_nothing(db: None) -> None:
    council = _seed()

    def snapshot() -> dict[str, list[int]]:
        with platform_scope():
            models = [*council_owned_models(), User, Organisation]
            return {m._meta.label: sorted(m.objects.values_list("pk", flat=True)) for m in models}

    before = snapshot()
    _seed()
    assert snapshot() == before

    with platform_scope():
        tenders = list(Tender.objects.filter(title__in=[IN_EVALUATION_TITLE, AWARDED_TITLE]))
        assert [t.council_id for t in tenders] == [council.pk, council.pk]
        checked = 0
        for model in council_owned_models():
            if any(f.name == "tender" for f in model._meta.get_fields()):
                rows = model.objects.filter(tender__in=tenders)
                assert not rows.exclude(council=council).exists(), model._meta.label
                checked += rows.count()
        contracts = Contract.objects.filter(tender__in=tenders).values_list("pk", flat=True)
        kpis = SocialValueKPI.objects.filter(agreement__kind=AgreementKind.CONTRACT, agreement__source_id__in=contracts)
        assert kpis.exists() and not kpis.exclude(council=council).exists()
    assert checked > 100


def test_the_demo_logins_list_both_evaluators(db: None) -> None:
    out = StringIO()
    call_command("print_demo_logins", stdout=out)
    for email in (knowsley.EVALUATOR, SECOND_EVALUATOR):
        assert email in out.getvalue()
