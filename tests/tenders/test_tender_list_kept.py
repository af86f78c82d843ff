"""The council's list of tenders is kept per council (tenders.kept.COUNCIL): a second reader reads
no tender, a write to a tender or its commission is seen at once, and a row's status is never
shown past the moment it changes (its deadline), with no write in between."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from commissioning.models import Commission, Role
from commissioning.tenancy import council_scope
from tenders.models import Tender
from tests.factories import CouncilWorld
from tests.helpers import cold_query_counts, query_counts, signed_in
from tests.tenders.test_bids_helpers import closing_in_30_seconds, published_tender

pytestmark = pytest.mark.world("published")


def _url(world: CouncilWorld) -> str:
    return f"/c/{world.council.slug}/tenders/"


def _row(text: str, title: str) -> str:
    """The table row of the tender titled ``title``."""
    return text.split(f">{title}</a>")[1].split("</tr>")[0]


def test_a_second_reader_reads_the_list_kept_by_the_first(knowsley: CouncilWorld) -> None:
    url = _url(knowsley)
    cold = cold_query_counts(signed_in(knowsley.people[Role.OFFICER]), [url])[url]
    assert query_counts(signed_in(knowsley.people[Role.COMMISSIONER]), [url])[url] == cold - 2  # no count, no rows


def test_a_write_to_a_tender_or_its_commission_is_seen_at_once(knowsley: CouncilWorld) -> None:
    officer = signed_in(knowsley.people[Role.OFFICER])
    with council_scope(knowsley.council):
        tender = published_tender(knowsley)
    assert ">Knowsley community navigators</a>" in officer.get(_url(knowsley)).content.decode()
    with council_scope(knowsley.council):
        tender.title = "Navigators <renamed>"
        tender.save(update_fields=["title"])
    assert ">Navigators &lt;renamed&gt;</a>" in officer.get(_url(knowsley)).content.decode()
    with council_scope(knowsley.council):
        Tender.objects.filter(pk=tender.pk).update(estimated_value=Decimal("12345"))  # no post_save
        commission = Commission.objects.get(pk=tender.commission_id)
        commission.title = "Renamed commission"
        commission.save()
    row = _row(officer.get(_url(knowsley)).content.decode(), "Navigators &lt;renamed&gt;")
    assert "£12,345" in row and ">Renamed commission<" in row


def test_a_rows_status_changes_at_its_deadline_with_no_write(
    knowsley: CouncilWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer = signed_in(knowsley.people[Role.OFFICER])
    tender, now = closing_in_30_seconds(knowsley, monkeypatch)
    assert ">Open for bids<" in _row(officer.get(_url(knowsley)).content.decode(), tender.title)
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(seconds=29))
    assert ">Open for bids<" in _row(officer.get(_url(knowsley)).content.decode(), tender.title)  # still kept
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(seconds=30))
    assert ">Closed<" in _row(officer.get(_url(knowsley)).content.decode(), tender.title)
