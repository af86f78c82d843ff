"""tenders.public_cache: the finder's shared answer is kept, and is never believed after a write
to what it is made of, after a tender changes status with time, or when the cache is away."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders import public_cache
from tenders.extensions import RECENTLY_CLOSED, _opportunities
from tenders.models import ClarificationQuestion, Tender
from tenders.selectors.bids import OpportunityFilters, opportunity_list
from tenders.selectors.publication import public_notice
from tenders.timetable import Status
from tests.factories import CouncilWorld
from tests.tenders.test_bids_helpers import published_tender

pytestmark = pytest.mark.world("published")

FINDER = reverse("opportunity_finder")


def _queries(client: Client, url: str = FINDER) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_a_second_asking_reads_what_the_first_kept(client: Client, knowsley: CouncilWorld) -> None:
    # Given the finder asked once
    client.get(FINDER)
    public_cache.bump()
    cold, first = _queries(client)
    # When it is asked again with nothing changed, then it shows the same with fewer queries
    warm, second = _queries(client)
    assert warm < cold
    assert second.count("community navigators") == first.count("community navigators") > 0


def test_a_write_to_a_tender_is_seen_at_once(client: Client, knowsley: CouncilWorld) -> None:
    client.get(FINDER)
    with council_scope(knowsley.council):
        tender = published_tender(knowsley)
        tender.title = "Renamed navigators"
        tender.save(update_fields=["title"])
    assert "Renamed navigators" in client.get(FINDER).content.decode()
    with council_scope(knowsley.council):
        Tender.objects.filter(pk=tender.pk).update(estimated_value=Decimal("12345"))  # no post_save
    assert "£12,345" in client.get(FINDER).content.decode()


def test_a_council_renamed_is_seen_at_once(client: Client, knowsley: CouncilWorld) -> None:
    client.get(FINDER)
    knowsley.council.display_name = "Knowsley Metropolitan Borough"
    knowsley.council.save()
    assert "Knowsley Metropolitan Borough" in client.get(FINDER).content.decode()


def test_an_answer_is_not_believed_past_the_next_change_of_status(knowsley: CouncilWorld) -> None:
    # Given a kept answer listing the open tender, whose deadline is the next change of any tender
    with council_scope(knowsley.council):
        tender = published_tender(knowsley)
        now = timezone.now()
        Tender.objects.filter(pk=tender.pk).update(
            clarification_deadline=None, submission_deadline=now + timedelta(hours=1)
        )
    page = opportunity_list(filters=OpportunityFilters(), now=now)
    assert tender.pk in [o.tender.pk for o in page.opportunities]
    assert public_cache.next_change(now) == now + timedelta(hours=1)
    # When asked after the deadline, with no write in between, then the tender is no longer open
    later = now + timedelta(hours=1, seconds=1)
    assert tender.pk not in [
        o.tender.pk for o in opportunity_list(filters=OpportunityFilters(), now=later).opportunities
    ]
    # And the kept answer still serves a moment before the deadline, with each row's status as of then
    just_before = opportunity_list(filters=OpportunityFilters(), now=now + timedelta(minutes=59))
    assert [o.status for o in just_before.opportunities if o.tender.pk == tender.pk] == [Status.OPEN_FOR_BIDS]


def test_an_answer_is_kept_for_at_most_a_minute(knowsley: CouncilWorld) -> None:
    now = timezone.now()
    with council_scope(knowsley.council):
        Tender.objects.update(submission_deadline=now + timedelta(days=30), clarification_deadline=None)
    calls: list[int] = []
    answer = public_cache.kept(("probe",), now, lambda: calls.append(1) or "answer")
    assert answer == "answer" and public_cache.kept(("probe",), now + timedelta(seconds=59), lambda: "new") == "answer"
    assert public_cache.kept(("probe",), now + timedelta(seconds=public_cache.MAX_AGE), lambda: "new") == "new"
    assert calls == [1]


def test_the_finder_is_served_when_the_cache_is_away(
    client: Client, knowsley: CouncilWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    def away(*args: object, **kwargs: object) -> None:
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(cache, "get", away)
    monkeypatch.setattr(cache, "set", away)
    page = client.get(FINDER)
    assert page.status_code == 200 and "Knowsley community navigators" in page.content.decode()


def test_a_published_answer_is_on_the_notice_at_once(client: Client, knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        tender = published_tender(knowsley)
        url = reverse("opportunity", kwargs={"council_slug": "knowsley", "tender_id": tender.pk})
        client.get(url)  # kept
        question = ClarificationQuestion.objects.filter(council=knowsley.council, tender=tender).first()
        assert question is not None
        question.published_question, question.answer = "May a consortium bid?", "Yes, with a lead provider."
        question.published_at = timezone.now()
        question.answered_by = knowsley.people[Role.COMMISSIONER]
        question.save()
    page = client.get(url).content.decode()
    assert "May a consortium bid?" in page and "Yes, with a lead provider." in page


def test_a_tender_scheduled_for_later_is_no_notice_until_its_time(knowsley: CouncilWorld) -> None:
    now = timezone.now()
    with council_scope(knowsley.council):
        tender = published_tender(knowsley)
        Tender.objects.filter(pk=tender.pk).update(
            published_at=now + timedelta(minutes=5),
            clarification_deadline=None,
            submission_deadline=now + timedelta(days=10),
        )
        with pytest.raises(Http404):
            public_notice(council=knowsley.council, tender_id=tender.pk, now=now)  # the 404 is kept...
        # ...only until the tender's own publication time
        later = public_notice(council=knowsley.council, tender_id=tender.pk, now=now + timedelta(minutes=5))
    assert later.tender.pk == tender.pk


def test_the_portal_lets_a_tender_go_90_days_after_it_closed(knowsley: CouncilWorld) -> None:
    now = timezone.now()
    with council_scope(knowsley.council):
        tender = published_tender(knowsley)
        closed_at = now - RECENTLY_CLOSED + timedelta(seconds=20)
        Tender.objects.filter(pk=tender.pk).update(
            published_at=closed_at - timedelta(days=30), clarification_deadline=None, submission_deadline=closed_at
        )
        # Nothing else changes status for a long while: the only reason to stop believing is the window.
        Tender.objects.exclude(pk=tender.pk).update(
            published_at=now - timedelta(days=1),
            clarification_deadline=None,
            submission_deadline=now + timedelta(days=60),
        )
        before = _opportunities(knowsley.council, now)
        after = _opportunities(knowsley.council, now + timedelta(seconds=30))  # within the minute kept
    assert [t.pk for t in before["recently_closed"]] == [tender.pk]
    assert after["recently_closed"] == []
