"""The council portal's "Recent awards": the council's newest approved award notices (at most 10,
newest first) with the winner and the value as the notice states them, each linking to the public
award page; the same SQL queries with few and many notices; another council's never shown."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning.tenancy import council_scope
from tenders import services
from tenders.models import AwardDecision, AwardNotice, AwardRecommendation, Lot
from tests.factories import CouncilWorld
from tests.factories.award_world import AwardWorld, award_world

pytestmark = pytest.mark.world("policies")


def _approved(aw: AwardWorld) -> AwardNotice:
    with council_scope(aw.tender.council):
        recommendation = services.award_recommend(
            tender=aw.tender, lot=aw.lot, actor=aw.commissioner, bid_id=aw.bids[0].pk
        )
        services.award_decide(recommendation=recommendation, actor=aw.officer, approve=True)
        return AwardNotice.objects.get(recommendation=recommendation)


def _more_notices(aw: AwardWorld, count: int, *, start: int = 0, decision: str = AwardDecision.APPROVED) -> None:
    """``count`` more award notices on lots of the tender, each a day older than the one before."""
    now = timezone.now()
    council = aw.tender.council
    with council_scope(council):
        for i in range(start, start + count):
            lot = Lot.objects.create(council=council, tender=aw.tender, title=f"Ward {i + 1}", position=10 + i)
            bid = aw.bids[i % len(aw.bids)]
            recommendation = AwardRecommendation.objects.create(
                council=council,
                tender=aw.tender,
                lot=lot,
                bid=bid,
                top_ranked_bid=bid,
                recommended_by=aw.commissioner,
                recommended_at=now - timedelta(days=i + 1),
                decision=decision,
                decision_comment="" if decision == AwardDecision.APPROVED else "Check the prices",
                decided_by=aw.officer,
                decided_at=now - timedelta(days=i + 1),
            )
            AwardNotice.objects.create(
                council=council,
                tender=aw.tender,
                lot=lot,
                recommendation=recommendation,
                bid=bid,
                value=Decimal(1000 + i),
                published_by=aw.officer,
                published_at=now - timedelta(days=i + 1),
                standstill_days=8,
                standstill_end=timezone.localdate() + timedelta(days=3),
                audit_hash="0" * 64,
            )


def _portal(slug: str) -> tuple[str, int]:
    client = Client()
    client.get(f"/c/{slug}/")  # warm up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/c/{slug}/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_portal_lists_recent_awards_in_constant_queries(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        aw = award_world(knowsley)
    with council_scope(southwark.council):
        other = award_world(southwark, title="Southwark lunch clubs")
    before, _ = _portal("knowsley")
    assert "Recent awards" not in before
    notice = _approved(aw)
    _approved(other)
    few, few_queries = _portal("knowsley")
    assert "Recent awards" in few
    assert f'href="/c/knowsley/opportunities/{aw.tender.pk}/award/"' in few
    assert f"Awarded to {aw.organisations[0].name} for £{notice.value:,.0f}" in few
    assert "Southwark lunch clubs" not in few and other.organisations[0].name not in few
    _more_notices(aw, 14)
    _more_notices(aw, 1, start=20, decision=AwardDecision.REJECTED)  # never approved: never shown
    many, many_queries = _portal("knowsley")
    assert many_queries == few_queries
    listed = many[many.index("Recent awards") :]
    assert listed.count(f'href="/c/knowsley/opportunities/{aw.tender.pk}/award/"') == 10
    # Newest first: the approved notice of today, then ward 1 (a day old) … ward 9.
    assert listed.index("Whole borough") < listed.index("Ward 1<") < listed.index("Ward 9<")
    assert "Ward 10<" not in listed and "Ward 21" not in listed
    assert "Southwark lunch clubs" not in many


def test_the_recent_awards_are_kept_and_a_winners_new_name_is_seen_at_once(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        aw = award_world(knowsley)
    _approved(aw)
    client = Client()
    with CaptureQueriesContext(connection) as cold:
        first = client.get("/c/knowsley/").content.decode()
    with CaptureQueriesContext(connection) as warm:
        again = client.get("/c/knowsley/").content.decode()
    assert f"Awarded to {aw.organisations[0].name}" in first and f"Awarded to {aw.organisations[0].name}" in again
    assert not any("tenders_awardnotice" in q["sql"] for q in warm.captured_queries)
    assert any("tenders_awardnotice" in q["sql"] for q in cold.captured_queries)
    winner = aw.organisations[0]
    winner.name = "Renamed & Partners CIC"
    winner.save()
    assert "Awarded to Renamed &amp; Partners CIC" in client.get("/c/knowsley/").content.decode()
