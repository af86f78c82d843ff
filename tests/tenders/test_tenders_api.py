"""The council-side tenders API: list with filters, detail, specification, and the bids (sealed 403
before the deadline with the count; decrypted after), and the compliance decision."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from commissioning.models import AuditEvent, Role
from commissioning.tenancy import council_scope
from tenders.models import Compliance, Tender
from tests.factories import CouncilWorld
from tests.tenders.test_opening import add_bids, open_bids, published_tender, reload, the_bid

pytestmark = pytest.mark.world("bids")

API = "/api/v1/councils/knowsley/tenders/"


def _titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return [t["title"] for t in response.json()["results"]]


@pytest.mark.world("published")
def test_tenders_list_and_filters(client, knowsley: CouncilWorld) -> None:
    client.force_login(knowsley.people[Role.EVALUATOR])
    published = published_tender(knowsley)
    assert sorted(_titles(client.get(API))) == ["Knowsley community navigators", "knowsley-private-tender"]
    assert _titles(client.get(API, {"status": "draft"})) == ["knowsley-private-tender"]
    assert _titles(client.get(API, {"status": "open_for_questions"})) == ["Knowsley community navigators"]
    assert _titles(client.get(API, {"status": "open_for_bids"})) == []
    assert _titles(client.get(API, {"status": "closed"})) == []
    open_bids(knowsley)
    assert _titles(client.get(API, {"status": "closed"})) == ["Knowsley community navigators"]
    assert _titles(client.get(API, {"commission": published.commission_id}))  # both share the commission
    assert _titles(client.get(API, {"commission": 999999})) == []
    assert _titles(client.get(API, {"min_value": "150000", "max_value": "150000.00"})) == [
        "Knowsley community navigators"
    ]
    assert _titles(client.get(API, {"min_value": "10", "max_value": "5"})) == []
    for bad in ({"status": "open"}, {"min_value": "lots"}, {"min_value": ""}, {"commission": ""}):
        response = client.get(API, bad)
        assert response.status_code == 400, bad
        assert response.json()["error"]["code"] == "invalid"


@pytest.mark.world("published")
def test_tender_detail_and_specification(client, knowsley: CouncilWorld) -> None:
    tender = published_tender(knowsley)
    client.force_login(knowsley.people[Role.OFFICER])
    detail = client.get(f"{API}{tender.pk}/").json()
    assert detail["title"] == "Knowsley community navigators"
    assert detail["status"] == "open for questions"
    assert [lot["title"] for lot in detail["lots"]] == ["Whole borough"]
    assert [(c["title"], c["weight"]) for c in detail["evaluation_model"]] == [
        ("How will you reach residents?", "60.00"),
        ("Price", "30.00"),
        ("Local jobs and volunteering", "10.00"),
    ]
    assert detail["timetable"]["standstill_days"] == 8
    assert detail["band"]["notice"]
    spec = client.get(f"{API}{tender.pk}/specification/").json()
    assert [s["title"] for s in spec["sections"]] == ["The service"]
    assert [v["number"] for v in spec["versions"]] == [1]


@pytest.mark.world("published")
def test_citizens_may_not_read_tenders_and_other_councils_are_not_found(
    client, knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    client.force_login(knowsley.people[Role.CITIZEN])
    assert client.get(API).status_code == 403
    client.force_login(knowsley.people[Role.COMMISSIONER])
    theirs = published_tender(southwark)
    assert client.get(f"{API}{theirs.pk}/").status_code == 404
    assert client.get(f"{API}{theirs.pk}/bids/").status_code == 404
    assert client.get("/api/v1/councils/southwark/tenders/").status_code == 404


def test_bids_are_sealed_403_json_before_the_deadline(client, knowsley: CouncilWorld) -> None:
    tender = published_tender(knowsley)
    bid = the_bid(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    for url in (f"{API}{tender.pk}/bids/", f"{API}{tender.pk}/bids/{bid.pk}/"):
        response = client.get(url)
        assert response.status_code == 403
        body = response.json()
        assert body["error"]["code"] == "sealed"
        assert body["error"]["message"].startswith("Bids are sealed until ")
        assert body["bids_received"] == 1
        text = response.content.decode()
        assert "knowsley-private" not in text and "Knowsley Community Trust" not in text
    response = client.post(
        f"{API}{tender.pk}/bids/{bid.pk}/compliance/",
        {"compliance": "non_compliant", "reason": "Too early"},
        content_type="application/json",
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "sealed"
    assert reload(knowsley, bid).compliance == Compliance.UNCHECKED


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.ADMIN, 403), (Role.COMMISSIONER, 200), (Role.EVALUATOR, 403), (Role.OFFICER, 200), (Role.CITIZEN, 403)],
)
def test_bids_after_the_deadline_by_role(client, knowsley: CouncilWorld, role: str, status: int) -> None:
    tender = open_bids(knowsley)
    bid = the_bid(knowsley)
    client.force_login(knowsley.people[role])
    listing = client.get(f"{API}{tender.pk}/bids/")
    assert listing.status_code == status
    if status == 200:
        (row,) = listing.json()["results"]
        assert row["organisation"]["name"] == "Knowsley Community Trust"
        assert row["receipt"]["reference"].startswith("KNO-")
        assert row["answers"][0]["text"].startswith("knowsley-private-bid-answer")
        assert row["prices"] == [{"lot_id": row["prices"][0]["lot_id"], "title": "Whole borough", "price": "150000.00"}]
        assert row["commitments"][0]["measure"] == "knowsley-private local jobs"
        assert row["attachments"][0]["filename"] == "knowsley-private-safeguarding.pdf"
        download = client.get(row["attachments"][0]["download"])
        assert download.content == b"knowsley-private-attachment: our safeguarding policy"
        assert client.get(f"{API}{tender.pk}/bids/{bid.pk}/").json() == row


def test_compliance_through_the_api(client, knowsley: CouncilWorld) -> None:
    tender = open_bids(knowsley)
    bid = the_bid(knowsley)
    url = f"{API}{tender.pk}/bids/{bid.pk}/compliance/"
    client.force_login(knowsley.people[Role.OFFICER])
    assert client.post(url, {"compliance": "compliant"}, content_type="application/json").status_code == 403
    client.force_login(knowsley.people[Role.COMMISSIONER])
    missing = client.post(url, {"compliance": "non_compliant"}, content_type="application/json")
    assert missing.status_code == 400
    assert missing.json()["error"]["fields"] == {"reason": ["Enter the reason the bid is not compliant"]}
    for bad in ({"compliance": "maybe"}, {"compliance": "compliant", "reason": 7}, {}):
        assert client.post(url, bad, content_type="application/json").status_code == 400, bad
    assert client.post(url, "compliance=compliant", content_type="application/x-www-form-urlencoded").status_code == 415
    done = client.post(
        url, {"compliance": "non_compliant", "reason": "Declarations unsigned."}, content_type="application/json"
    )
    assert done.status_code == 200
    assert done.json()["compliance"] == "non_compliant"
    assert done.json()["compliance_reason"] == "Declarations unsigned."
    assert done.json()["compliance_by"] == knowsley.people[Role.COMMISSIONER].email
    assert (
        client.post(
            f"{API}{tender.pk}/bids/999999/compliance/", {"compliance": "compliant"}, content_type="application/json"
        ).status_code
        == 404
    )
    with council_scope(knowsley.council):
        assert AuditEvent.objects.filter(council=knowsley.council, action="bid.compliance_marked").count() == 1


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def test_api_queries_do_not_grow_with_the_tenders_or_bids(client, knowsley: CouncilWorld) -> None:
    tender = open_bids(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    urls = [API, f"{API}{tender.pk}/", f"{API}{tender.pk}/specification/"]
    small = [_queries(client, url) for url in urls]
    bids_small = _queries(client, f"{API}{tender.pk}/bids/")
    with council_scope(knowsley.council):
        for n in range(4):
            Tender.objects.create(
                council=knowsley.council,
                commission=tender.commission,
                title=f"Extra {n}",
                estimated_value=1000,
                created_by=knowsley.people[Role.COMMISSIONER],
                submission_deadline=timezone.now() + timedelta(days=3),
            )
    add_bids(knowsley, 4)
    assert [_queries(client, url) for url in urls] == small
    # Decrypting is per bid, but the tender's key is read once per request.
    assert _queries(client, f"{API}{tender.pk}/bids/") == bids_small


def test_every_operation_is_in_the_schema_with_its_errors() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    base = "/api/v1/councils/{council_slug}/tenders/"
    paths = {
        base: "get",
        base + "{tender_id}/": "get",
        base + "{tender_id}/specification/": "get",
        base + "{tender_id}/bids/": "get",
        base + "{tender_id}/bids/{bid_id}/": "get",
        base + "{tender_id}/bids/{bid_id}/compliance/": "post",
    }
    for template, method in paths.items():
        responses = schema["paths"][template][method]["responses"]
        assert {"200", "401", "403", "404"} <= set(responses), template
    sealed = schema["paths"][base + "{tender_id}/bids/"]["get"]["responses"]["403"]
    assert "Sealed" in str(sealed)
