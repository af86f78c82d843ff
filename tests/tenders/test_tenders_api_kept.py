"""The council tenders API's pages are kept per council and filters (tenders.kept.COUNCIL): a
second reader reads no tender, a write is seen at once, a row's status is never given past its
change, and a status filter never misses a tender that joined the status with no write."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from commissioning.models import Commission, Role
from commissioning.tenancy import council_scope
from tenders.models import Tender
from tests.factories import CouncilWorld
from tests.helpers import api_as, cold_query_counts, query_counts
from tests.tenders.test_bids_helpers import closing_in_30_seconds, published_tender

pytestmark = pytest.mark.world("published")

API = "/api/v1/councils/knowsley/tenders/"


def _rows(client, query: str = "") -> dict[str, dict]:  # type: ignore[no-untyped-def]
    response = client.get(API + query)
    assert response.status_code == 200, response.content
    return {row["title"]: row for row in response.json()["results"]}


def test_a_second_reader_reads_the_page_kept_by_the_first(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        published_tender(knowsley)
    officer, commissioner = api_as(knowsley.people[Role.OFFICER]), api_as(knowsley.people[Role.COMMISSIONER])
    cold = cold_query_counts(officer, [API])[API]
    assert query_counts(commissioner, [API])[API] == cold - 1  # the page and its count: one query, kept
    assert commissioner.get(API).json() == officer.get(API).json()


def test_a_write_to_a_tender_or_its_commission_is_seen_at_once(knowsley: CouncilWorld) -> None:
    officer = api_as(knowsley.people[Role.OFFICER])
    with council_scope(knowsley.council):
        tender = published_tender(knowsley)
    assert tender.title in _rows(officer)
    with council_scope(knowsley.council):
        tender.title = "Navigators renamed"
        tender.save(update_fields=["title"])
        Tender.objects.filter(pk=tender.pk).update(estimated_value=Decimal("12345"))  # no post_save
    assert "Navigators renamed" in _rows(officer)
    with council_scope(knowsley.council):
        commission = Commission.objects.get(pk=tender.commission_id)
        commission.title = "Renamed commission"
        commission.save()
    assert _rows(officer)["Navigators renamed"]["commission"]["title"] == "Renamed commission"


def test_statuses_change_at_their_moment_with_no_write(knowsley: CouncilWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    officer = api_as(knowsley.people[Role.OFFICER])
    tender, now = closing_in_30_seconds(knowsley, monkeypatch)
    assert _rows(officer)[tender.title]["status"] == "open for bids"
    assert _rows(officer, "?status=closed") == {}
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(seconds=29))
    assert _rows(officer)[tender.title]["status"] == "open for bids"  # kept, still true
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(seconds=30))
    # The row's own status, and the filtered list the tender joins (it was on no page of it)
    assert _rows(officer)[tender.title]["status"] == "closed"
    assert list(_rows(officer, "?status=closed")) == [tender.title]


def test_pages_and_filters_are_kept_apart_and_a_page_past_the_end_is_404(knowsley: CouncilWorld) -> None:
    officer = api_as(knowsley.people[Role.OFFICER])
    with council_scope(knowsley.council):
        tender = published_tender(knowsley)
    everything = _rows(officer)
    assert len(everything) == 2 and list(_rows(officer, "?status=draft")) == ["knowsley-private-tender"]
    assert list(_rows(officer, f"?max_value={tender.estimated_value}&status=open_for_questions")) == [tender.title]
    assert list(_rows(officer, "?page_size=1&page=2")) == [list(everything)[1]]
    for _ in range(2):  # the second time with the count kept
        missing = officer.get(API + "?page=3")
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
