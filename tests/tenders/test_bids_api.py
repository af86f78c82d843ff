"""The bids API: my bids in every council, draft saves, submit (201, 200 on repeat, 409, 422), receipts."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders import sealing
from tenders.models import Bid, BidSubmission, Criterion, Lot
from tests.factories import CouncilWorld
from tests.helpers import api_as
from tests.tenders.test_bids_helpers import (
    ANSWER,
    complete_changes,
    local_charity,
    move_deadline,
    non_local_company,
    published_tender,
)

pytestmark = pytest.mark.world("published")


def _start(world: CouncilWorld, client: APIClient, organisation) -> dict:  # type: ignore[no-untyped-def]
    with council_scope(world.council):
        tender = published_tender(world)
    response = client.post(
        "/api/v1/me/bids/",
        {"council": world.council.slug, "tender": tender.pk, "organisation": organisation.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def _complete(world: CouncilWorld, client: APIClient, bid: dict) -> dict:
    with council_scope(world.council):
        changes = complete_changes(published_tender(world))
    response = client.put(
        f"/api/v1/me/bids/{bid['id']}/", {**changes, "revision": bid["draft_revision"]}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_a_provider_starts_drafts_and_submits_through_the_api(knowsley: CouncilWorld) -> None:
    organisation, person = local_charity()
    client = api_as(person)
    bid = _start(knowsley, client, organisation)
    assert bid["status"] == "draft" and bid["council"] == "knowsley"
    assert "Answer question 1: How will you reach residents?" in bid["problems"]
    again = client.post(
        "/api/v1/me/bids/",
        {"council": "knowsley", "tender": bid["tender"], "organisation": organisation.pk},
        format="json",
    )
    assert again.status_code == 200 and again.json()["id"] == bid["id"]

    bid = _complete(knowsley, client, bid)
    assert bid["problems"] == [] and bid["draft_revision"] == 2
    assert ANSWER in bid["draft"]["answers"].values()

    key = str(uuid.uuid4())
    first = client.post(f"/api/v1/me/bids/{bid['id']}/submit/", {"idempotency_key": key}, format="json")
    repeat = client.post(f"/api/v1/me/bids/{bid['id']}/submit/", {"idempotency_key": key}, format="json")
    assert first.status_code == 201 and repeat.status_code == 200
    assert first.json() == repeat.json()
    receipt = first.json()
    with council_scope(knowsley.council):
        submission = BidSubmission.objects.get(bid_id=bid["id"])
        content = sealing.unseal_json(submission.bid.tender, submission.content, reader=sealing.Reader.PROVIDER)
    assert receipt["sha256"] == sealing.sha256_hex(sealing.canonical_json(content)) == submission.sha256
    assert receipt["reference"] == submission.reference

    receipts = client.get(f"/api/v1/me/bids/{bid['id']}/receipts/").json()
    assert [r["reference"] for r in receipts] == [submission.reference]
    mine = client.get("/api/v1/me/bids/").json()
    assert [(b["id"], b["status"], b["last_receipt"]["reference"]) for b in mine] == [
        (bid["id"], "submitted", submission.reference)
    ]

    withdrawn = client.post(f"/api/v1/me/bids/{bid['id']}/withdraw/", format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"


def test_patch_merges_and_a_stale_revision_is_409(knowsley: CouncilWorld) -> None:
    organisation, person = local_charity()
    client = api_as(person)
    bid = _start(knowsley, client, organisation)
    with council_scope(knowsley.council):
        question = Criterion.objects.get(tender=bid["tender"], kind="quality")
        lot = Lot.objects.get(tender=bid["tender"])
    url = f"/api/v1/me/bids/{bid['id']}/"
    saved = client.patch(url, {"revision": 1, "answers": {str(question.pk): "Ours"}}, format="json")
    assert saved.status_code == 200 and saved.json()["draft"]["answers"] == {str(question.pk): "Ours"}
    stale = client.patch(url, {"revision": 1, "prices": {str(lot.pk): "100.00"}}, format="json")
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale"
    unknown = client.patch(url, {"revision": 2, "answers": {"999999": "x"}}, format="json")
    assert unknown.status_code == 400 and "answers" in unknown.json()["error"]["fields"]
    missing = client.patch(url, {"answers": {}}, format="json")
    assert missing.status_code == 400 and "revision" in missing.json()["error"]["fields"]


def test_refusals_are_clear_4xx_and_the_draft_is_kept(knowsley: CouncilWorld) -> None:
    organisation, person = non_local_company()
    client = api_as(person)
    bid = _start(knowsley, client, organisation)
    incomplete = client.post(
        f"/api/v1/me/bids/{bid['id']}/submit/", {"idempotency_key": str(uuid.uuid4())}, format="json"
    )
    assert incomplete.status_code == 422
    error = incomplete.json()["error"]
    assert error["code"] == "ineligible"  # eligibility is checked first: it cannot be fixed by finishing the bid
    assert "Nationwide Outsourcing plc cannot bid for this opportunity" in error["message"]
    assert any("What would make it eligible" in line for line in error["fields"]["bid"])

    local, member = local_charity()
    local_client = api_as(member)
    local_bid = _start(knowsley, local_client, local)
    unfinished = local_client.post(
        f"/api/v1/me/bids/{local_bid['id']}/submit/", {"idempotency_key": str(uuid.uuid4())}, format="json"
    ).json()["error"]
    assert unfinished["code"] == "incomplete" and len(unfinished["fields"]["bid"]) == 6

    _complete(knowsley, local_client, local_bid)
    with council_scope(knowsley.council):
        move_deadline(published_tender(knowsley), timezone.now() - timedelta(seconds=1))
    late = local_client.post(
        f"/api/v1/me/bids/{local_bid['id']}/submit/", {"idempotency_key": str(uuid.uuid4())}, format="json"
    )
    assert late.status_code == 409 and late.json()["error"]["code"] == "deadline"
    assert local_client.get(f"/api/v1/me/bids/{local_bid['id']}/").json()["draft"]["answers"]


@pytest.mark.parametrize("who", ["stranger", "commissioner", "anonymous"])
def test_nobody_else_reaches_a_bid(knowsley: CouncilWorld, who: str) -> None:
    organisation, person = local_charity()
    bid = _start(knowsley, api_as(person), organisation)
    client = APIClient()
    if who == "stranger":
        client.force_authenticate(non_local_company()[1])
    elif who == "commissioner":
        client.force_authenticate(knowsley.people[Role.COMMISSIONER])
    expected = 401 if who == "anonymous" else 404
    for url in (f"/api/v1/me/bids/{bid['id']}/", f"/api/v1/me/bids/{bid['id']}/receipts/"):
        assert client.get(url).status_code in {expected, 403 if who == "anonymous" else expected}
    response = client.post(
        f"/api/v1/me/bids/{bid['id']}/submit/", {"idempotency_key": str(uuid.uuid4())}, format="json"
    )
    assert response.status_code in {401, 403, 404}
    with council_scope(knowsley.council):
        assert not BidSubmission.objects.filter(bid_id=bid["id"]).exists()
        assert Bid.objects.filter(pk=bid["id"]).exists()


@pytest.mark.parametrize("price", [5, 5.5, 145000, True])
def test_a_price_must_be_a_json_string_not_a_number(knowsley: CouncilWorld, price: object) -> None:
    """Money is strict text everywhere: a JSON number is refused, as the schema says (string)."""
    organisation, person = local_charity()
    client = api_as(person)
    bid = _start(knowsley, client, organisation)
    with council_scope(knowsley.council):
        lot = Lot.objects.get(tender=bid["tender"])
    url = f"/api/v1/me/bids/{bid['id']}/"
    refused = client.patch(url, {"revision": 1, "prices": {str(lot.pk): price}}, format="json")
    assert refused.status_code == 400
    assert "prices" in refused.json()["error"]["fields"]
    taken = client.patch(url, {"revision": 1, "prices": {str(lot.pk): "5"}}, format="json")
    assert taken.status_code == 200 and taken.json()["draft"]["prices"] == {str(lot.pk): "5"}


def test_the_schema_and_the_validation_of_draft_saves_agree(client, db: None) -> None:  # type: ignore[no-untyped-def]
    """schemathesis ST202: a schema-valid PATCH without ``revision`` was refused. Now the schema
    requires it (as validation does), prices are strings, and the keys' rule is stated."""
    schema = client.get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    bid_path = schema["paths"]["/api/v1/me/bids/{bid_id}/"]

    def body(method: str) -> dict:
        ref = bid_path[method]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        return components[ref.rsplit("/", 1)[1]]

    patch, put = body("patch"), body("put")
    assert patch["required"] == ["revision"]
    assert bid_path["patch"]["requestBody"]["required"] is True
    assert "revision" in put["required"]
    for draft in (patch, put):
        price = draft["properties"]["prices"]["additionalProperties"]
        assert all(choice["type"] == "string" for choice in price.get("oneOf", [price]))
        assert "ids of this tender's questions" in draft["properties"]["answers"]["description"]
        assert "any other key is refused (400)" in draft["properties"]["answers"]["description"]
        assert "ids of this tender's lots" in draft["properties"]["prices"]["description"]
