"""The results API and the "why this bidder won" API: data, roles, sealing, schema."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders.models import Tender
from tests.factories.results import results_tender
from tests.factories.worlds import CouncilWorld
from tests.helpers import api_as

pytestmark = [pytest.mark.django_db, pytest.mark.world("commissions")]


def api_url(world: CouncilWorld, tender: Tender, what: str) -> str:
    return f"/api/v1/councils/{world.council.slug}/tenders/{tender.pk}/{what}/"


def build(world: CouncilWorld, **kwargs):  # noqa: ANN003, ANN201
    with council_scope(world.council):
        return results_tender(world, scores=[(5, 1, 100000), (4, 5, 80000), (1, 5, 50000)], **kwargs)


def test_the_results_with_ranking_and_exact_sensitivity(knowsley: CouncilWorld) -> None:
    built = build(knowsley)
    response = api_as(knowsley.people[Role.OFFICER]).get(api_url(knowsley, built.tender, "results"))
    assert response.status_code == 200
    body = response.json()
    (lot,) = body["lots"]
    first, second, third = lot["ranked"]
    # Bid 1: 60 + 12.5 + 3 = 75.5; bid 2: 48 + 15.63 + 15 = 78.63; bid 3 is below quality's minimum.
    assert (first["bid_id"], first["rank"], first["total"]) == (built.bids[1].pk, 1, "78.63")
    assert (second["bid_id"], second["rank"], second["total"]) == (built.bids[0].pk, 2, "75.50")
    assert third["rank"] is None and "below the minimum pass score" in third["reasons"][0]
    assert lot["winner_bid_id"] == built.bids[1].pk and lot["blockers"] == []
    analysis = lot["sensitivity"]
    assert analysis["available"] and len(analysis["points"]) == 21
    assert analysis["set_weight"] == "15.00" and analysis["maximum_weight"] == "30.00"
    assert analysis["winner_at_set"] == built.bids[1].pk
    # Bid 1 leads on the rest (72.5 of 85 points against 63.625), bid 2 on social value (15 of 15
    # against 3): 8.875 × (100 − w) ÷ 85 = 12 × w ÷ 15 at w = 1420/123 ≈ 11.54%.
    (tip,) = analysis["tipping_points"]
    # Exactly there the totals are equal and the tie-break (quality first) keeps bid 1.
    assert (tip["before"], tip["after"], tip["at"]) == (built.bids[0].pk, built.bids[1].pk, built.bids[0].pk)
    assert (tip["exact"], tip["weight"]) == ("1420/123", "11.5447")
    assert analysis["winner_at_minimum"] == built.bids[0].pk  # at the council's 10% bid 1 would have won


def test_why_this_bidder_won(knowsley: CouncilWorld) -> None:
    built = build(knowsley, individual_scores=True)
    body = api_as(knowsley.people[Role.COMMISSIONER]).get(api_url(knowsley, built.tender, "why")).json()
    assert body["results"]["lots"][0]["winner_bid_id"] == built.bids[1].pk
    assert body["price_formula"].startswith("Price is scored relative to the lowest price")
    assert len(body["individual_scores"]) == 6 and len(body["moderated_scores"]) == 6
    assert body["weighting_rationale"].startswith("Quality matters most")
    assert body["approved_by"] and body["awards"] == [] and body["panel"] == "none"


@pytest.mark.parametrize("role", [Role.ADMIN, Role.EVALUATOR, Role.CITIZEN])
def test_other_roles_are_refused(knowsley: CouncilWorld, role: str) -> None:
    built = build(knowsley)
    for what in ("results", "why"):
        response = api_as(knowsley.people[role]).get(api_url(knowsley, built.tender, what))
        assert response.status_code == 403
        assert response.json()["error"]["status"] == 403


def test_sealed_before_the_deadline_and_hidden_from_other_councils(
    knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    built = build(knowsley)
    other = api_as(southwark.people[Role.COMMISSIONER])
    assert other.get(f"/api/v1/councils/southwark/tenders/{built.tender.pk}/results/").status_code == 404
    with council_scope(knowsley.council):
        Tender.objects.filter(pk=built.tender.pk).update(
            submission_deadline=timezone.now() + timedelta(days=1),
            clarification_deadline=timezone.now() + timedelta(hours=1),
        )
    for what in ("results", "why"):
        response = api_as(knowsley.people[Role.COMMISSIONER]).get(api_url(knowsley, built.tender, what))
        assert response.status_code == 403
        assert "Bidder" not in response.content.decode()


def test_the_schema_documents_both_endpoints(db: None) -> None:
    from rest_framework.test import APIClient

    paths = APIClient().get("/api/schema/", {"format": "json"}).json()["paths"]
    for what in ("results", "why"):
        operation = paths[f"/api/v1/councils/{{council_slug}}/tenders/{{tender_id}}/{what}/"]["get"]
        assert {"200", "401", "403", "404"} <= set(operation["responses"])
