"""The public opportunities API's pages are kept on the public shelf (tenders.public_cache): the
same page for every reader, a write seen at once, a status never given past its moment, and one
council's page never served for another's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from commissioning.tenancy import council_scope
from tenders.models import Tender
from tests.factories import CouncilWorld
from tests.helpers import cold_query_counts, query_counts
from tests.tenders.test_publication_api import published

pytestmark = pytest.mark.world("published")

API = "/api/v1/councils/{}/opportunities/"


def _rows(council_slug: str, query: str = "") -> dict[int, dict]:
    response = APIClient().get(API.format(council_slug) + query)
    assert response.status_code == 200, response.content
    return {row["id"]: row for row in response.json()["results"]}


def test_a_second_reader_reads_the_kept_page_and_each_council_has_its_own(
    knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    url = API.format("knowsley")
    cold = cold_query_counts(APIClient(), [url])[url]
    # Kept: the page with its count (one query) and the council's next change of status (one)
    assert query_counts(APIClient(), [url])[url] == cold - 2
    assert set(_rows("knowsley")) == {published(knowsley).pk}
    assert set(_rows("southwark")) == {published(southwark).pk}


def test_a_write_is_seen_at_once(knowsley: CouncilWorld) -> None:
    live = published(knowsley)
    assert _rows("knowsley")[live.pk]["title"] == live.title
    with council_scope(knowsley.council):
        Tender.objects.filter(pk=live.pk).update(title="Navigators renamed")  # no post_save
    assert _rows("knowsley")[live.pk]["title"] == "Navigators renamed"
    with council_scope(knowsley.council):
        live.refresh_from_db()
        live.description = "New words"
        live.save(update_fields=["description"])
    assert _rows("knowsley")[live.pk]["description"] == "New words"


def test_a_status_and_a_status_filter_change_at_their_moment(
    knowsley: CouncilWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = published(knowsley)
    now = timezone.now()
    with council_scope(knowsley.council):
        Tender.objects.filter(pk=live.pk).update(
            clarification_deadline=None,
            submission_deadline=now + timedelta(seconds=30),  # before max_age
        )
    monkeypatch.setattr(timezone, "now", lambda: now)
    assert _rows("knowsley")[live.pk]["status"] == "open for bids" and _rows("knowsley", "?status=closed") == {}
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(seconds=29))
    assert _rows("knowsley")[live.pk]["status"] == "open for bids"  # kept, still true
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(seconds=30))
    assert _rows("knowsley")[live.pk]["status"] == "closed"
    assert list(_rows("knowsley", "?status=closed")) == [live.pk]
    assert _rows("knowsley", "?status=open") == {}
