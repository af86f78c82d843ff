"""Commitments as evaluators and the opening page read them (issue 11): a table with each measure's theme and
outcome, another measure flagged "Not in the framework", totals per measure in one unit (never adding
different units), and the indicative proxy value (quantity × £ per unit, with its source and year), never
the score; the same in the API; sealed until the deadline; the pages' queries do not grow with the
commitments or the bids."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.kept import shelves
from commissioning.models import Role
from commissioning.tenancy import council_scope
from social_value import framework
from social_value.models import Measure, MeasureVersion
from tenders import sealing
from tenders.models import Bid, BidSubmission, Tender
from tests.factories import CouncilWorld, bid_content
from tests.factories.scoring_world import declared, scoring_world, started
from tests.factories.social_value import framework_rows
from tests.helpers import api_with_token
from tests.tenders.test_opening import (
    add_bids,
    bids_url,
    made_before_the_deadline,
    open_bids,
    published_tender,
    the_bid,
)

pytestmark = pytest.mark.world("bids")


def _proxy_framework(world: CouncilWorld) -> tuple[MeasureVersion, MeasureVersion]:
    """Two published measures in hours, the first with a proxy value of £12.50 per hour."""
    with council_scope(world.council):
        first, second = framework_rows(council=world.council, prefix="P", measures=2)
        Measure.objects.filter(pk=first.pk).update(
            proxy_value=Decimal("12.50"), proxy_source="Council study", proxy_year=2025
        )
        framework.framework_publish(council=world.council, actor=world.people[Role.ADMIN])
        return MeasureVersion.objects.get(measure=first), MeasureVersion.objects.get(measure=second)


def _commitments(proxied: MeasureVersion, plain: MeasureVersion, extra: int = 0) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"measure_version": proxied.pk, "measure": proxied.name, "unit": "hours", "quantity": "10", "by": "2027-12-31"},
        {"measure_version": proxied.pk, "measure": proxied.name, "unit": "hours", "quantity": "20", "by": "2028-03-31"},
        {"measure_version": plain.pk, "measure": plain.name, "unit": "hours", "quantity": "5", "by": "2028-03-31"},
        {"measure_version": None, "measure": "Mentoring", "unit": "people", "quantity": "4", "by": "", "other": True},
        # Saved before measures could be picked: only words.
        {"measure": "Mentoring", "quantity": "6", "unit": "sessions", "by": "2027-06-30"},
    ]
    return rows + [{**rows[2], "quantity": "1"}] * extra


def _submit(world: CouncilWorld, tender: Tender, bids: list[Bid], commitments: list[dict[str, Any]]) -> None:
    """Each bid's submission (the one that counts) says these commitments."""
    with council_scope(world.council):
        content = {**bid_content(slug=world.council.slug, tender=tender), "commitments": commitments}
        with made_before_the_deadline(tender):
            for bid in bids:
                BidSubmission.objects.filter(bid=bid).update(content=sealing.seal_json(tender, content))


def test_the_opening_page_and_api_show_the_table_totals_and_the_indicative_proxy(
    client, knowsley: CouncilWorld
) -> None:
    proxied, plain = _proxy_framework(knowsley)
    tender = published_tender(knowsley)
    bid = the_bid(knowsley)
    _submit(knowsley, tender, [bid], _commitments(proxied, plain))
    client.force_login(knowsley.people[Role.COMMISSIONER])
    # Sealed until the deadline: nothing of the commitments is readable.
    sealed = client.get(bids_url(knowsley, tender, f"{bid.pk}/"))
    assert sealed.status_code == 403 and "P measure 1.1.1" not in sealed.content.decode()
    tender = open_bids(knowsley)

    text = client.get(bids_url(knowsley, tender, f"{bid.pk}/")).content.decode()
    assert "P theme 1: P outcome 1.1" in text
    assert text.count("Not in the framework") == 4  # two rows and their two totals
    assert "30 hours" in text and "4 people" in text and "6 sessions" in text  # never 10 of mixed units
    assert "£375" in text and "(£12.50 per unit; Council study, 2025)" in text
    assert "Indicative proxy value of these commitments: <strong>£375</strong> (indicative, not the score)" in text

    api = api_with_token(knowsley.people[Role.COMMISSIONER])
    body = api.get(f"/api/v1/councils/knowsley/tenders/{tender.pk}/bids/{bid.pk}/").json()
    first, *_rest, old = body["commitments"]
    assert (first["measure_version"], first["theme"], first["other"], first["proxy_value"]) == (
        proxied.pk,
        "P theme 1",
        False,
        "125",
    )
    assert (old["measure"], old["other"], old["local"]) == ("Mentoring", True, None)
    totals = {(t["measure"], t["unit"]): t for t in body["commitment_totals"]["totals"]}
    assert (
        totals[(proxied.name, "hours")]["quantity"] == "30" and totals[(proxied.name, "hours")]["proxy_value"] == "375"
    )
    assert totals[("Mentoring", "people")]["quantity"] == "4" and totals[("Mentoring", "sessions")]["quantity"] == "6"
    assert body["commitment_totals"]["proxy_value"] == "375"
    assert body["commitment_totals"]["proxy_sources"] == ["Council study (2025)"]


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    """The page's queries worked out in full: every kept answer renewed first (the cost of a miss)."""
    for shelf in shelves():
        shelf.renew()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def test_the_opening_pages_run_the_same_queries_with_few_and_many_commitments_and_bids(
    client, knowsley: CouncilWorld
) -> None:
    proxied, plain = _proxy_framework(knowsley)
    tender = published_tender(knowsley)
    bid = the_bid(knowsley)
    _submit(knowsley, tender, [bid], _commitments(proxied, plain))
    tender = open_bids(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    urls = [bids_url(knowsley, tender, f"{bid.pk}/"), bids_url(knowsley, tender)]
    small = [_queries(client, url) for url in urls]
    api = api_with_token(knowsley.people[Role.COMMISSIONER])
    api_urls = [
        f"/api/v1/councils/knowsley/tenders/{tender.pk}/bids/",
        f"/api/v1/councils/knowsley/tenders/{tender.pk}/bids/{bid.pk}/",
    ]
    api_small = [_queries(api, url) for url in api_urls]

    more = add_bids(knowsley, 4)
    _submit(knowsley, tender, [bid, *more], _commitments(proxied, plain, extra=20))
    assert [_queries(client, url) for url in urls] == small
    assert [_queries(api, url) for url in api_urls] == api_small


def test_the_evaluators_score_page_shows_the_table_at_the_same_queries(client, knowsley: CouncilWorld) -> None:
    proxied, plain = _proxy_framework(knowsley)
    sw = started(scoring_world(knowsley))
    bid = sw.bids[0]
    evaluator = sw.evaluators[0]
    declared(sw, evaluator)
    _submit(knowsley, sw.tender, [bid], _commitments(proxied, plain))
    client.force_login(evaluator)
    url = sw.url(f"bids/{bid.pk}/")
    text = client.get(url).content.decode()
    assert "P theme 1: P outcome 1.1" in text and "Not in the framework" in text and "£375" in text
    assert "(indicative, not the score)" in text
    small = _queries(client, url)
    _submit(knowsley, sw.tender, [bid], _commitments(proxied, plain, extra=20))
    assert _queries(client, url) == small


def test_a_measure_version_of_another_council_is_read_as_another_measure(
    client, knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    with council_scope(southwark.council):
        theirs = MeasureVersion.objects.filter(council=southwark.council).first()
    tender = published_tender(knowsley)
    bid = the_bid(knowsley)
    _submit(
        knowsley,
        tender,
        [bid],
        [{"measure_version": theirs.pk, "measure": "Our words", "unit": "hours", "quantity": "3", "by": "2027-12-31"}],
    )
    tender = open_bids(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    text = client.get(bids_url(knowsley, tender, f"{bid.pk}/")).content.decode()
    assert "Our words" in text and "Not in the framework" in text and theirs.name not in text
