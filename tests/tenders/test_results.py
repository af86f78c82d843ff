"""The results selector: totals, ranking, exclusions and blockers from the recorded rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.tenancy import council_scope
from tenders.models import AbnormallyLowDecision, Bid, Compliance, Evaluation, Tender
from tenders.sealing import SealedError
from tenders.selectors import tender_results
from tests.factories.results import results_tender, review_abnormally_low

pytestmark = [pytest.mark.django_db, pytest.mark.world("commissions")]


def _results(knowsley, **kwargs):  # noqa: ANN001, ANN003, ANN202
    with council_scope(knowsley.council):
        built = results_tender(knowsley, **kwargs)
        return built, tender_results(tender=built.tender)


def test_the_best_total_wins_and_totals_add_up(knowsley) -> None:  # noqa: ANN001
    # Quality 60 on 0-5, price 25, social value 15 on 0-5.
    built, results = _results(knowsley, scores=[(5, 5, 100000), (4, 5, 80000), (3, 2, 50000)])
    (lot,) = results.lots
    first, second, third = lot.ranked
    assert first.bid_id == built.bids[0].pk and first.rank == 1
    # 60 + 25 × 50,000 ÷ 100,000 + 15 = 87.5
    assert first.total == Decimal("87.50")
    assert first.by_kind == {
        "quality": Decimal("60.00"),
        "price": Decimal("12.50"),
        "social_value": Decimal("15.00"),
        "citizen_panel": Decimal("0.00"),
    }
    assert second.total == Decimal("48") + Decimal("15.63") + Decimal("15")  # 25 × 5/8 = 15.625 -> 15.63
    assert third.total == Decimal("36") + Decimal("25") + Decimal("6")
    assert lot.winner_bid_id == built.bids[0].pk
    assert lot.blockers == []
    assert first.label.startswith("Bidder 1")
    assert lot.sensitivity is not None and lot.sensitivity.winner_at_set == built.bids[0].pk


def test_below_a_minimum_is_not_ranked_with_the_reason(knowsley) -> None:  # noqa: ANN001
    built, results = _results(knowsley, scores=[(1, 5, 50000), (3, 3, 90000)])
    (lot,) = results.lots
    assert [bid.rank for bid in lot.ranked] == [1, None]
    unranked = lot.ranked[1]
    assert unranked.bid_id == built.bids[0].pk
    assert unranked.reasons == (
        "How will residents find the service?: scored 1, below the minimum pass score of 2 out of 5",
    )
    assert lot.winner_bid_id == built.bids[1].pk


def test_excluded_and_undecided_abnormally_low_prices(knowsley) -> None:  # noqa: ANN001
    with council_scope(knowsley.council):
        built = results_tender(knowsley, scores=[(5, 5, 20000), (4, 4, 90000), (3, 3, 95000)])
        review_abnormally_low(built, built.bids[0], decision=AbnormallyLowDecision.EXCLUDE)
        review_abnormally_low(built, built.bids[1])
        Bid.objects.filter(pk=built.bids[2].pk).update(
            compliance=Compliance.NON_COMPLIANT, compliance_reason="No insurance certificate"
        )
        (lot,) = tender_results(tender=built.tender).lots
    by_id = {bid.bid_id: bid for bid in lot.ranked}
    assert by_id[built.bids[0].pk].rank is None
    assert by_id[built.bids[0].pk].reasons[0].startswith("Excluded as abnormally low: ")
    assert by_id[built.bids[2].pk].reasons == ("Found non-compliant at opening: No insurance certificate",)
    # The excluded bid's low price does not set the lowest price: the remaining bid gets full marks.
    assert by_id[built.bids[1].pk].by_kind["price"] == Decimal("25.00")
    assert lot.winner_bid_id == built.bids[1].pk
    assert any("abnormally low price of Bidder 2" in blocker for blocker in lot.blockers)


def test_blockers_before_moderation_is_locked_and_prices_opened(knowsley) -> None:  # noqa: ANN001
    built, results = _results(knowsley, scores=[(5, 5, 1000), (4, 4, 900)], locked=False, prices_opened=False)
    (lot,) = results.lots
    assert "Moderation is not locked: the moderated scores may still change." in lot.blockers
    assert "Prices have not been opened." in lot.blockers
    assert all(bid.price is None for bid in lot.ranked)


def test_blind_labels_until_the_lock(knowsley) -> None:  # noqa: ANN001
    built, results = _results(knowsley, scores=[(5, 5, 1000), (4, 4, 900)], blind=True, locked=False)
    assert [bid.label for bid in results.lots[0].ranked] == ["Bid A", "Bid B"]
    assert results.blind
    with council_scope(knowsley.council):
        # Saved as the moderation service saves it (which renews the tender's kept results).
        evaluation = Evaluation.objects.get(tender=built.tender)
        evaluation.moderation_locked_at = built.tender.submission_deadline
        evaluation.save(update_fields=["moderation_locked_at"])
        again = tender_results(tender=built.tender)
    assert all(bid.label.startswith("Bidder") for bid in again.lots[0].ranked)


def test_a_weighted_citizen_panel_blocks_until_it_reports(knowsley) -> None:  # noqa: ANN001
    _, results = _results(knowsley, scores=[(5, 5, 1000), (4, 4, 900)], panel_weight=10)
    (lot,) = results.lots
    assert any(blocker.startswith("The citizen panel has not reported") for blocker in lot.blockers)
    assert lot.ranked[0].rank == 1  # ranked provisionally, with the panel pending


def test_a_panel_weighing_nothing_is_advice_only(knowsley) -> None:  # noqa: ANN001
    _, results = _results(knowsley, scores=[(5, 5, 1000)], panel_weight=0)
    assert results.panel_advice_only
    assert not any("citizen panel" in blocker for blocker in results.lots[0].blockers)


def test_sealed_before_the_deadline(knowsley) -> None:  # noqa: ANN001
    from datetime import timedelta

    from django.utils import timezone

    with council_scope(knowsley.council):
        built = results_tender(knowsley, scores=[(5, 5, 1000)])
        Tender.objects.filter(pk=built.tender.pk).update(submission_deadline=timezone.now() + timedelta(days=1))
        built.tender.refresh_from_db()
        with pytest.raises(SealedError):
            tender_results(tender=built.tender)


@pytest.mark.parametrize("count", [5, 40])
def test_queries_do_not_grow_with_the_bids(knowsley, count: int) -> None:  # noqa: ANN001
    with council_scope(knowsley.council):
        built = results_tender(knowsley, scores=[(3 + i % 3, 2 + i % 4, 50000 + 97 * i) for i in range(count)])
        tender = Tender.objects.get(pk=built.tender.pk)
        with CaptureQueriesContext(connection) as queries:
            results = tender_results(tender=tender)
    assert len(results.lots[0].ranked) == count
    assert len(queries) == 8
