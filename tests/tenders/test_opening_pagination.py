"""The bids page and API of a tender after its deadline, a page at a time: every bid appears once,
bad page numbers give a page or a 4xx (never a 500), the queries do not grow with the bids, the
list queries read no encrypted column they do not show, and only the page returned is decrypted.

The pages are made small here (2 bids a page) so a few bids make several pages.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from commissioning.kept import shelves
from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders import sealing, selectors
from tenders.models import BidSubmission
from tests.factories import CouncilWorld, bid_content
from tests.helpers import api_with_token, cold_query_counts
from tests.tenders.test_opening import add_bids, bids_url, made_before_the_deadline, open_bids, the_bid

pytestmark = pytest.mark.world("bids")

API = "/api/v1/councils/knowsley/tenders/"

# Columns holding ciphertext: the provider's draft, a submission, an attachment's name/type/size, the key.
DRAFT = '"tenders_bid"."draft"'
CONTENT = '."content"'  # a submission's, read in the bids query (as a subquery)
DETAILS = '"tenders_bidattachment"."details"'
WRAPPED_KEY = '"tenders_tenderkey"."wrapped_key"'


@pytest.fixture
def two_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tenders.views.opening.BIDS_PAGE", 2)


def _names_on(client, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, url
    # Each row's first cell links the organisation's name to its bid.
    return re.findall(
        r'<th scope="row" class="govuk-table__header"><a class="govuk-link" href="[^"]+">([^<]+)</a>',
        response.content.decode(),
    )


def _sql(client, url: str) -> str:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return "\n".join(q["sql"] for q in queries.captured_queries)


def test_the_bids_page_shows_every_bid_once_a_page_at_a_time(client, knowsley: CouncilWorld, two_a_page) -> None:
    tender = open_bids(knowsley)
    extra = add_bids(knowsley, 4)
    client.force_login(knowsley.people[Role.OFFICER])
    pages = [_names_on(client, bids_url(knowsley, tender, f"?page={n}")) for n in (1, 2, 3)]
    assert [len(names) for names in pages] == [2, 2, 1]
    seen = [name for names in pages for name in names]
    assert sorted(seen) == sorted(["Knowsley Community Trust", *(bid.organisation.name for bid in extra)])
    text = client.get(bids_url(knowsley, tender, "?page=2")).content.decode()
    assert "<title>Bids received (page 2 of 3)" in text
    assert "5 bids received" in text and "Showing 3 to 4" in text
    assert 'class="govuk-pagination"' in text and 'aria-current="page">2<' in text
    assert 'href="?page=1" rel="prev"' in text and 'href="?page=3" rel="next"' in text
    # Each row links to its bid, which opens.
    first = the_bid(knowsley)
    assert (
        f'href="{bids_url(knowsley, tender, f"{first.pk}/")}"'
        in client.get(bids_url(knowsley, tender)).content.decode()
    )


@pytest.mark.parametrize(("asked", "shown"), [("abc", 1), ("0", 3), ("-1", 3), ("999", 3), ("1.5", 1), ("x" * 500, 1)])
def test_a_page_that_is_not_there_shows_the_nearest_and_says_so(
    client, knowsley: CouncilWorld, two_a_page, asked: str, shown: int
) -> None:
    tender = open_bids(knowsley)
    add_bids(knowsley, 4)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    response = client.get(bids_url(knowsley, tender), {"page": asked})
    assert response.status_code == 200
    assert response.context["page"].number == shown
    text = response.content.decode()
    assert "of bids: this is page" in text and f"this is page {shown} of 3" in text
    assert "x" * 20 not in text  # what was typed is shortened, not echoed in full
    for fine in ("?page=2", "?page="):
        assert "of bids: this is page" not in client.get(bids_url(knowsley, tender, fine)).content.decode()


def test_the_page_and_api_run_the_same_queries_with_2_and_6_bids(client, knowsley: CouncilWorld, two_a_page) -> None:
    tender = open_bids(knowsley)
    add_bids(knowsley, 1)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    urls = [
        bids_url(knowsley, tender),
        bids_url(knowsley, tender, "?page=2"),
        f"{API}{tender.pk}/bids/?page_size=2",
        f"{API}{tender.pk}/bids/?page_size=2&page=2",
        bids_url(knowsley, tender, f"{the_bid(knowsley).pk}/"),
    ]
    small = cold_query_counts(client, urls[:1] + urls[2:3] + urls[4:])
    add_bids(knowsley, 4)
    large = cold_query_counts(client, urls)
    assert large[urls[0]] == large[urls[1]] == small[urls[0]]
    assert large[urls[2]] == large[urls[3]] == small[urls[2]]
    assert large[urls[4]] == small[urls[4]]


# The tenancy's plumbing (savepoints and the per-transaction settings), not reads.
PLUMBING = ("SAVEPOINT", "RELEASE SAVEPOINT", "SELECT set_config")


def _reads(client, url: str, *, kept: bool = False) -> list[str]:  # type: ignore[no-untyped-def]
    """The reads of ``url``'s second request: with what the first kept (``kept``), or worked out in full."""
    client.get(url)  # warm up (sessions, content types)
    if not kept:
        for shelf in shelves():
            shelf.renew()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    assert len(queries) <= 15, [q["sql"][:80] for q in queries.captured_queries]
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(PLUMBING)]


def test_the_api_reads_10_times_with_a_token_and_the_page_8_or_3_kept(
    client, knowsley: CouncilWorld, two_a_page
) -> None:
    """The bids API: the council, the token with its person (no sweep of their other tokens), the
    roles with the authenticator check, the tender with its key, the page of bids with their count,
    the attachments, who may bid (bands, overrides), the questions and the lots. The page: the
    council, its person and their roles, the tender, the count of bids, the page of bids, who may
    bid (bands, overrides) and, where sessions live in the database only (no Redis: the embedded
    default), the session; the tender, the count and the rows kept from an earlier request, only
    the council, its person and their roles."""
    tender = open_bids(knowsley)
    add_bids(knowsley, 4)
    commissioner = knowsley.people[Role.COMMISSIONER]
    api = api_with_token(commissioner)
    reads = _reads(api, f"{API}{tender.pk}/bids/?page_size=2&page=2")
    assert len(reads) == 10, reads
    assert not any('COUNT(*) AS "__count"' in sql for sql in reads)  # the count rides on the page
    # Who may bid, the questions and the lots kept from the first request: the same for every bid.
    # Kept (sealed with the tender's key): the council, the token, the roles and the tender only.
    kept_api = _reads(api, f"{API}{tender.pk}/bids/?page_size=2&page=2", kept=True)
    assert len(kept_api) == 4, kept_api
    assert not any(
        table in sql
        for sql in kept_api
        for table in ("tenders_bid", "spendpolicyband", "tenders_criterion", "tenders_lot")
    )
    client.force_login(commissioner)
    reads = _reads(client, bids_url(knowsley, tender, "?page=2"))
    session_reads = 0 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db" else 1
    assert len(reads) == 8 + session_reads, reads
    assert session_reads or not any("django_session" in sql for sql in reads)
    kept = _reads(client, bids_url(knowsley, tender, "?page=2"), kept=True)
    assert len(kept) == 3 + session_reads, kept
    assert not any("tenders_bid" in sql or "spendpolicyband" in sql or "tenders_tender" in sql for sql in kept)


def test_the_list_queries_read_no_ciphertext_they_do_not_show(client, knowsley: CouncilWorld, two_a_page) -> None:
    tender = open_bids(knowsley)
    add_bids(knowsley, 3)
    client.force_login(knowsley.people[Role.OFFICER])
    page = _sql(client, bids_url(knowsley, tender))
    assert '"tenders_bid"."compliance"' in page and '."reference"' in page  # it did read
    for column in (DRAFT, CONTENT, DETAILS, WRAPPED_KEY):
        assert column not in page, column
    api = _sql(client, f"{API}{tender.pk}/bids/?page_size=2")
    assert CONTENT in api and DETAILS in api and WRAPPED_KEY in api  # what the API decrypts and returns
    assert DRAFT not in api
    assert '"tenders_bidattachment"."file"' not in api  # the download link is by id


def test_only_the_newest_submission_of_the_page_is_decrypted(client, knowsley: CouncilWorld) -> None:
    tender = open_bids(knowsley)
    bid = the_bid(knowsley)
    extra = add_bids(knowsley, 4)
    with council_scope(knowsley.council):
        older = BidSubmission.objects.get(council=knowsley.council, bid=bid).content
        newer = bid_content(slug="knowsley", tender=tender)
        with made_before_the_deadline(tender):
            newest = BidSubmission.objects.create(
                council=knowsley.council,
                bid=bid,
                number=2,
                reference="KNO-2",
                content=sealing.seal_json(tender, newer),
                sha256=sealing.sha256_hex(sealing.canonical_json(newer)),
                submitted_by=knowsley.provider,
                submitted_at=timezone.now() - timedelta(hours=3),
            ).content
        second_bids = BidSubmission.objects.get(council=knowsley.council, bid=extra[0]).content
    client.force_login(knowsley.people[Role.COMMISSIONER])

    with mock.patch.object(sealing, "unseal", wraps=sealing.unseal) as unseal:
        assert client.get(bids_url(knowsley, tender)).status_code == 200
    assert unseal.call_count == 0  # the table of bids decrypts nothing

    with mock.patch.object(sealing, "unseal", wraps=sealing.unseal) as unseal:
        body = client.get(f"{API}{tender.pk}/bids/", {"page_size": 2}).json()
    assert [row["id"] for row in body["results"]] == [bid.pk, extra[0].pk]
    assert body["results"][0]["receipt"]["reference"] == "KNO-2"
    tokens = [call.args[1] for call in unseal.call_args_list]
    attachments = sum(len(row["attachments"]) for row in body["results"])
    # Each bid's content once, the details of the attachments shown, and the page as kept (sealed).
    assert len(tokens) == 2 + attachments + 1
    assert newest in tokens and second_bids in tokens
    assert older not in tokens  # the replaced submission stays sealed away


def test_the_api_pages_like_the_other_apis_and_refuses_bad_pages_with_json(client, knowsley: CouncilWorld) -> None:
    tender = open_bids(knowsley)
    extra = add_bids(knowsley, 2)
    client.force_login(knowsley.people[Role.OFFICER])
    url = f"{API}{tender.pk}/bids/"
    first = client.get(url, {"page_size": 2}).json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == 3 and first["previous"] is None and "page=2" in first["next"]
    second = client.get(first["next"]).json()
    assert second["next"] is None and "page_size=2" in second["previous"]
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert ids == [the_bid(knowsley).pk, *(b.pk for b in extra)]
    everything = client.get(url).json()  # 25 a page by default
    assert everything["count"] == 3 and len(everything["results"]) == 3 and everything["next"] is None
    for params, status in (
        ({"page": "abc"}, 400),
        ({"page": "0"}, 404),
        ({"page": "9"}, 404),
        ({"page_size": "0"}, 400),
        ({"page_size": "101"}, 400),
        ({"page_size": "x"}, 400),
    ):
        response = client.get(url, params)
        assert response.status_code == status, params
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["error"]["status"] == status
    assert client.get(url, {"page_size": "100"}).status_code == 200


def test_the_schema_says_the_bids_list_is_paginated() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/councils/{council_slug}/tenders/{tender_id}/bids/"]["get"]
    assert {"page", "page_size"} <= {p["name"] for p in operation["parameters"]}
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    paginated = schema["components"]["schemas"][ok]
    assert {"count", "next", "previous", "results"} <= set(paginated["properties"])
    assert paginated["properties"]["results"]["items"]["$ref"].endswith("/OpenedBid")
    assert "Sealed" in str(operation["responses"]["403"])


def test_a_bid_of_another_tender_is_refused_by_the_selectors(knowsley: CouncilWorld) -> None:
    tender = open_bids(knowsley)
    with council_scope(knowsley.council):
        bids = list(selectors.submitted_bids(tender=tender))
        other = selectors.opening_tender(council=knowsley.council, tender_id=tender.pk)
        other.pk = tender.pk + 1000  # as if another tender
        with pytest.raises(ValueError):
            selectors.opened_bids(tender=other, bids=bids)


def test_a_kept_page_is_sent_as_kept_inside_the_envelope_drf_would_write(knowsley: CouncilWorld, two_a_page) -> None:
    """The JSON of a kept page is sent as it was written, inside the paginated envelope: the same
    document DRF writes (as the browsable API, which parses and renders it, shows), for a miss and a
    kept page, with its links."""
    tender = open_bids(knowsley)
    add_bids(knowsley, 4)
    api = api_with_token(knowsley.people[Role.COMMISSIONER])
    url = f"{API}{tender.pk}/bids/?page_size=2&page=2"
    first, kept = api.get(url), api.get(url)
    assert first.status_code == kept.status_code == 200 and first["Content-Type"] == "application/json"
    assert first.content == kept.content
    document = json.loads(kept.content)
    assert list(document) == ["count", "next", "previous", "results"]
    assert document["count"] == 5 and len(document["results"]) == 2
    assert document["next"].endswith("page=3&page_size=2") and document["previous"].endswith("page_size=2")
    browsable = api.get(url + "&format=api")
    assert browsable.status_code == 200 and "text/html" in browsable["Content-Type"]
    assert "&quot;count&quot;: 5" in browsable.content.decode() or '"count": 5' in browsable.content.decode()
    first_result = document["results"][0]
    assert first_result["id"] and first_result["organisation"]
