"""The opportunities API: published tenders with filters, the notice, and clarification questions
(public reads; a provider asks, refused after the deadline in the one error shape)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from commissioning.tenancy import council_scope
from tenders.models import ClarificationQuestion, Tender
from tests.factories import EVERYTHING, CouncilWorld, OrganisationFactory

pytestmark = pytest.mark.world("published")

API = "/api/v1/councils/knowsley/opportunities/"


def published(world: CouncilWorld) -> Tender:
    with council_scope(world.council):
        return Tender.objects.get(council=world.council, title=f"{world.council.slug.title()} community navigators")


def another_published(world: CouncilWorld, *, value: str, days: int) -> Tender:
    """A second published tender (closed if ``days`` is negative)."""
    live = published(world)
    now = timezone.now()
    with council_scope(world.council):
        return Tender.objects.create(
            council=world.council,
            commission=live.commission,
            title=f"Tender closing in {days} days",
            estimated_value=Decimal(value),
            clarification_deadline=now + timedelta(days=days - 1),
            submission_deadline=now + timedelta(days=days),
            created_by=live.created_by,
            published_at=now - timedelta(days=30),
        )


@pytest.mark.world("bids")  # every kind of row up to a sealed bid; no evaluated tender in the list
def test_the_list_has_published_tenders_only_and_filters(knowsley: CouncilWorld) -> None:
    client = APIClient()
    live = published(knowsley)
    closed = another_published(knowsley, value="4000", days=-2)
    later = another_published(knowsley, value="900000", days=40)
    ids = lambda response: [row["id"] for row in response.json()["results"]]  # noqa: E731
    everything = client.get(API)
    assert everything.status_code == 200
    assert ids(everything) == [closed.pk, live.pk, later.pk]
    assert "knowsley-private" not in everything.content.decode()
    assert ids(client.get(API, {"status": "open"})) == [live.pk, later.pk]
    assert ids(client.get(API, {"status": "closed"})) == [closed.pk]
    assert ids(client.get(API, {"min_value": "5000", "max_value": "200000"})) == [live.pk]
    soon = (timezone.now() + timedelta(days=10)).isoformat()
    assert ids(client.get(API, {"closing_before": soon, "status": "open"})) == [live.pk]
    row = everything.json()["results"][1]
    assert row["estimated_value"] == "150000.00" and row["status"] == "open for questions"
    assert row["url"].endswith(f"/c/knowsley/opportunities/{live.pk}/")


@pytest.mark.world("people")
def test_bad_filters_are_400_in_the_error_shape(knowsley: CouncilWorld) -> None:
    client = APIClient()
    for query in ({"status": "ajar"}, {"min_value": "lots"}, {"closing_before": "tomorrow"}, {"status": ""}):
        response = client.get(API, query)
        assert response.status_code == 400, query
        error = response.json()["error"]
        assert error["code"] == "invalid" and list(error["fields"]) == [next(iter(query))]


@pytest.mark.world(EVERYTHING)
def test_the_notice_in_the_api(knowsley: CouncilWorld) -> None:
    live = published(knowsley)
    response = APIClient().get(f"{API}{live.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == 1 and data["status"] == "open for questions"
    assert data["eligibility"]["band"] == "Intermediate value" and data["eligibility"]["reserved_for_local"] is True
    assert data["eligibility"]["notice"].startswith("This opportunity is reserved for organisations based in Knowsley")
    assert [c["weight"] for c in data["evaluation_model"]] == ["60", "30", "10"]
    assert data["lots"] == [{"title": "Whole borough", "description": "", "estimated_value": None}]
    assert data["specification"] == [{"title": "The service", "body": "<p>Navigators in every ward.</p>"}]
    assert data["documents"][0]["title"] == "Pricing schedule" and data["documents"][0]["size"] == 10
    assert [q["question"] for q in data["clarifications"]] == ["Is TUPE expected?"]
    assert data["revisions"][0]["number"] == 1
    assert "knowsley-private" not in response.content.decode()
    assert set(data["clarifications"][0]) == {"id", "question", "answer", "published_at"}
    assert knowsley.organisation.name not in response.content.decode()


def test_a_provider_asks_a_question_through_the_api(knowsley: CouncilWorld) -> None:
    live = published(knowsley)
    client = APIClient()
    url = f"{API}{live.pk}/clarifications/"
    body = {"organisation": knowsley.organisation.pk, "question": "Can we subcontract?"}
    assert client.post(url, body, format="json").status_code == 401
    client.force_authenticate(knowsley.provider)
    response = client.post(url, body, format="json")
    assert response.status_code == 201
    assert response.json()["question"] == "Can we subcontract?" and response.json()["answered"] is False
    stranger = OrganisationFactory(name="Elsewhere Trust")
    refused = client.post(url, {"organisation": stranger.pk, "question": "Hi"}, format="json")
    assert refused.status_code == 400 and "organisation" in refused.json()["error"]["fields"]
    assert client.post(url, {"organisation": "1", "question": "Hi"}, format="json").status_code == 400
    with council_scope(knowsley.council):
        Tender.objects.filter(pk=live.pk).update(clarification_deadline=timezone.now() - timedelta(minutes=1))
    late = client.post(url, body, format="json")
    assert late.status_code == 400
    error = late.json()["error"]
    assert error["status"] == 400 and "You can no longer ask a question" in error["fields"]["non_field_errors"][0]
    with council_scope(knowsley.council):
        assert ClarificationQuestion.objects.filter(tender=live, question="Can we subcontract?").count() == 1


def test_drafts_and_other_councils_tenders_are_404(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    client = APIClient()
    theirs = published(southwark)
    assert client.get(f"{API}{theirs.pk}/").status_code == 404
    assert client.get(f"{API}{theirs.pk}/clarifications/").status_code == 404
    with council_scope(knowsley.council):
        draft = Tender.objects.get(council=knowsley.council, title="knowsley-private-tender")
    response = client.get(f"{API}{draft.pk}/clarifications/")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
