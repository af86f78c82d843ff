"""The table of bids is kept per tender (tenders.selectors.bid_table_page, on the results' shelf):
one reader's request works it out and the next reads it, and a write to what a row shows (the
compliance decision, the bidder's name, who may bid) is seen at once. It keeps nothing sealed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from commissioning.models import Organisation, Role
from commissioning.tenancy import council_scope
from tenders import selectors, services
from tenders.kept import RESULTS
from tenders.models import Tender, TenderRevision
from tenders.price import LINEAR_TO_BUDGET, RELATIVE_TO_LOWEST
from tenders.templatetags.bid_tables import bid_table_rows
from tests.factories import CouncilWorld
from tests.helpers import signed_in
from tests.tenders.test_opening import add_bids, bids_url, open_bids, published_tender, reload, the_bid

pytestmark = [pytest.mark.django_db, pytest.mark.world("bids")]


def _table(world: CouncilWorld, role: str = Role.OFFICER) -> str:
    tender = open_bids(world)
    response = signed_in(world.people[role]).get(bids_url(world, tender))
    assert response.status_code == 200
    return response.content.decode()


def test_a_compliance_decision_and_a_new_name_are_seen_at_once(knowsley: CouncilWorld) -> None:
    add_bids(knowsley, 2)
    assert "Not checked" in _table(knowsley)
    bid = the_bid(knowsley)
    with council_scope(knowsley.council):
        services.bid_compliance_mark(
            bid=reload(knowsley, bid), actor=knowsley.people[Role.COMMISSIONER], compliance="compliant"
        )
    assert "Compliant</strong>" in _table(knowsley, Role.COMMISSIONER)
    organisation = Organisation.objects.get(pk=bid.organisation_id)
    organisation.name = "Renamed Bidders CIC"
    organisation.save()
    assert "Renamed Bidders CIC" in _table(knowsley)


def test_a_kept_row_holds_no_content_and_no_person(knowsley: CouncilWorld) -> None:
    add_bids(knowsley, 1)
    tender = open_bids(knowsley)
    bid = the_bid(knowsley)
    with council_scope(knowsley.council):
        services.bid_compliance_mark(
            bid=reload(knowsley, bid), actor=knowsley.people[Role.COMMISSIONER], compliance="compliant"
        )
        page, rows = selectors.bid_table_page(
            tender=tender, number=1, per_page=25, make=lambda made: bid_table_rows(made, "/bids/")
        )
    assert page.paginator.count == 2 and rows.count("<tr") == 2
    redis = cache._cache.get_client()  # type: ignore[attr-defined]  # the raw client: the kept bytes as stored
    current = f"{RESULTS._prefix(tender.pk)}:{RESULTS._versions(tender.pk)}:"  # this tender's, now
    keys = redis.keys(cache.make_key(current) + "*")
    assert len(keys) == 2  # the count and the page
    kept = b"".join(redis.get(key) for key in keys)
    assert b"Knowsley Community Trust" in kept  # the rows are there, as the page shows them
    person = knowsley.people[Role.COMMISSIONER]
    assert person.email.encode() not in kept and b"pbkdf2" not in kept and b"argon2" not in kept
    assert b"newest_content" not in kept


def test_the_bids_apis_kept_page_is_sealed_and_a_decision_is_seen_at_once(knowsley: CouncilWorld) -> None:
    from tests.helpers import api_with_token

    add_bids(knowsley, 1)
    tender = open_bids(knowsley)
    api = api_with_token(knowsley.people[Role.COMMISSIONER])
    url = f"/api/v1/councils/knowsley/tenders/{tender.pk}/bids/"
    first = api.get(url).json()["results"]
    assert {row["compliance"] for row in first} == {"unchecked"}
    redis = cache._cache.get_client()  # type: ignore[attr-defined]
    current = f"{RESULTS._prefix(tender.pk)}:{RESULTS._versions(tender.pk)}:"
    kept = b"".join(redis.get(key) for key in redis.keys(cache.make_key(current) + "*"))
    name = first[0]["organisation"]["name"].encode()
    assert b"gAAAAA" in kept and name not in kept  # a Fernet token, no plaintext
    bid = the_bid(knowsley)
    with council_scope(knowsley.council):
        services.bid_compliance_mark(
            bid=reload(knowsley, bid), actor=knowsley.people[Role.COMMISSIONER], compliance="compliant"
        )
    again = {row["id"]: row["compliance"] for row in api.get(url).json()["results"]}
    assert again[bid.pk] == "compliant"


def test_the_tables_kept_tender_never_opens_the_bids_at_a_deadline_that_was_moved(
    knowsley: CouncilWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table keeps its tender (``kept_opening_tender``): a deadline moved later is seen at
    once, so the bids stay sealed past the old one, and open at the new one with no write."""
    officer = signed_in(knowsley.people[Role.OFFICER])
    tender = published_tender(knowsley)
    now = timezone.now()
    with council_scope(knowsley.council):
        Tender.objects.filter(pk=tender.pk).update(
            clarification_deadline=None, submission_deadline=now + timedelta(seconds=30)
        )
    monkeypatch.setattr(timezone, "now", lambda: now)
    sealed = "Until then nobody at the council can see who has bid"
    assert sealed in officer.get(bids_url(knowsley, tender)).content.decode()  # the tender now kept
    with council_scope(knowsley.council):
        moved = Tender.objects.get(pk=tender.pk)
        moved.submission_deadline = now + timedelta(hours=1)
        moved.save(update_fields=["submission_deadline"])
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(seconds=31))  # past the old deadline
    assert sealed in officer.get(bids_url(knowsley, tender)).content.decode()
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=1, seconds=1))
    opened = officer.get(bids_url(knowsley, tender)).content.decode()
    assert sealed not in opened and "Knowsley Community Trust" in opened


def test_a_published_change_to_the_evaluation_settings_renews_the_kept_tender(knowsley: CouncilWorld) -> None:
    tender = open_bids(knowsley)
    with council_scope(knowsley.council):
        kept_before = selectors.kept_opening_tender(council=knowsley.council, tender_id=tender.pk)
        revision = TenderRevision.objects.filter(tender=tender).order_by("-number").first()
        assert revision is not None
        other = LINEAR_TO_BUDGET if kept_before.price_formula == RELATIVE_TO_LOWEST else RELATIVE_TO_LOWEST
        revision.evaluation_settings = {**revision.evaluation_settings, "price_formula": other}
        revision.save(update_fields=["evaluation_settings"])
        kept_after = selectors.kept_opening_tender(council=knowsley.council, tender_id=tender.pk)
    assert kept_after.price_formula == other
