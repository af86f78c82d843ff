"""One status, in the same words everywhere: the timetable's function, its query, and every door that shows it."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders.models import Bid, Tender
from tenders.timetable import STATUS_LABELS, Status, tender_status
from tests.factories import CouncilWorld
from tests.helpers import signed_in
from tests.tenders.test_bids_helpers import local_charity, published_tender

pytestmark = pytest.mark.world("published")

T0 = datetime(2027, 2, 1, 9, 0, tzinfo=timezone.get_fixed_timezone(0))


def _set_times(tender: Tender, *, published: datetime, clarification: datetime, submission: datetime) -> None:
    Tender.objects.filter(pk=tender.pk).update(
        published_at=published, clarification_deadline=clarification, submission_deadline=submission
    )
    tender.refresh_from_db()


def _closed_since(world: CouncilWorld, ago: timedelta) -> Tender:
    """The world's published tender, closed ``ago`` (published 9 days and closed for questions 3 days ago)."""
    now = timezone.now()
    tender = published_tender(world)
    _set_times(
        tender,
        published=now - timedelta(days=9),
        clarification=now - timedelta(days=3),
        submission=now - ago,
    )
    return tender


@pytest.mark.django_db
def test_the_status_query_agrees_with_the_status_function_at_every_boundary(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        tender = published_tender(knowsley)
        published, clarification, submission = T0, T0 + timedelta(days=3), T0 + timedelta(days=7)
        _set_times(tender, published=published, clarification=clarification, submission=submission)
        second = timedelta(seconds=1)
        moments = [published - second, published, clarification - second, clarification, submission - second]
        moments += [submission, submission + timedelta(days=400)]
        for at in moments:
            expected = tender.status_at(at)
            for status in Status:
                found = Tender.objects.in_status(status, at=at).filter(pk=tender.pk).exists()
                assert found == (status == expected), (at, status, expected)
        # Several statuses at once are any of them.
        assert Tender.objects.in_status(Status.OPEN_FOR_BIDS, Status.CLOSED, at=submission).filter(pk=tender.pk)
        assert not Tender.objects.in_status(at=submission).exists()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    gap=st.integers(min_value=0, max_value=10),
    length=st.integers(min_value=1, max_value=10),
    at_hours=st.integers(min_value=-48, max_value=24 * 30),
    no_clarification=st.booleans(),
)
def test_the_status_query_agrees_with_the_function_for_any_timetable(
    knowsley: CouncilWorld, gap: int, length: int, at_hours: int, no_clarification: bool
) -> None:
    # Each example sets every timestamp, so sharing the fixture's tender between examples is safe.
    clarification = None if no_clarification else T0 + timedelta(days=gap)
    submission = T0 + timedelta(days=gap + length)
    at = T0 + timedelta(hours=at_hours)
    with council_scope(knowsley.council):
        tender = published_tender(knowsley)
        Tender.objects.filter(pk=tender.pk).update(
            published_at=T0, clarification_deadline=clarification, submission_deadline=submission
        )
        expected = tender_status(
            published_at=T0, clarification_deadline=clarification, submission_deadline=submission, now=at
        )
        found = [s for s in Status if Tender.objects.in_status(s, at=at).filter(pk=tender.pk).exists()]
        assert found == [expected]


# --- The same words at every door ----------------------------------------------------------------

TAG = re.compile(r'<strong class="govuk-tag[^"]*">([^<]+)</strong>')


def _tags(html: str) -> set[str]:
    return {t.strip() for t in TAG.findall(html)}


MOMENTS = [
    # (days from now to the clarification deadline, to the submission deadline, expected status)
    (3, 7, Status.OPEN_FOR_QUESTIONS),
    (-1, 7, Status.OPEN_FOR_BIDS),
    (-3, -1, Status.CLOSED),
]


@pytest.mark.world("bids")
@pytest.mark.parametrize(("to_clarification", "to_submission", "expected"), MOMENTS)
def test_the_same_tender_shows_the_same_status_words_on_every_page_and_in_the_api(
    knowsley: CouncilWorld, to_clarification: int, to_submission: int, expected: Status
) -> None:
    slug = knowsley.council.slug
    now = timezone.now()
    with council_scope(knowsley.council):
        tender = published_tender(knowsley)
        _set_times(
            tender,
            published=now - timedelta(days=5),
            clarification=now + timedelta(days=to_clarification),
            submission=now + timedelta(days=to_submission),
        )
        bid = Bid.objects.get(tender=tender, organisation=knowsley.organisation)
    words = STATUS_LABELS[expected]
    others = set(STATUS_LABELS.values()) - {words}
    kwargs = {"council_slug": slug, "tender_id": tender.pk}
    pages = {
        "finder": Client().get(reverse("opportunity_finder"), {"status": "all"}),
        "notice": Client().get(reverse("opportunity", kwargs=kwargs)),
        "portal": Client().get(reverse("council_portal", kwargs={"council_slug": slug})),
        "tender page": signed_in(knowsley.people[Role.COMMISSIONER]).get(reverse("tender_detail", kwargs=kwargs)),
        "council tenders": signed_in(knowsley.people[Role.COMMISSIONER]).get(
            reverse("tenders", kwargs={"council_slug": slug})
        ),
        "bid page": signed_in(knowsley.provider).get(reverse("bid_tasks", kwargs={**kwargs, "bid_id": bid.pk})),
    }
    for name, page in pages.items():
        assert page.status_code == 200, name
        html = page.content.decode()
        if name == "council tenders":  # a table of every tender: read this tender's row
            html = html[html.index(tender.title) :].split("</tr>")[0]
        tags = _tags(html)
        assert words in tags, (name, tags)
        assert not (tags & others), (name, tags)

    public = Client().get(f"/api/v1/councils/{slug}/opportunities/{tender.pk}/").json()
    listed = Client().get(f"/api/v1/councils/{slug}/opportunities/").json()["results"]
    council_api = signed_in(knowsley.people[Role.COMMISSIONER]).get(f"/api/v1/councils/{slug}/tenders/{tender.pk}/")
    for name, body in {"public API": public, "public list": listed[0], "council API": council_api.json()}.items():
        assert body["status"] == str(expected) and body["status_label"] == words, name


@pytest.mark.world("bids")
def test_the_bid_page_after_the_deadline_says_one_thing(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        tender = _closed_since(knowsley, timedelta(minutes=1))
        bid = Bid.objects.get(tender=tender, organisation=knowsley.organisation)
    url = reverse("bid_tasks", kwargs={"council_slug": knowsley.council.slug, "tender_id": tender.pk, "bid_id": bid.pk})
    text = signed_in(knowsley.provider).get(url).content.decode()
    assert "can no longer be changed" in text
    assert "The council will consider the last version you submitted" in text
    assert "until the deadline" not in text and "Check your answers" not in text
    # The withdraw page too: no question, no button, the one sentence.
    withdraw = signed_in(knowsley.provider).get(url + "withdraw/").content.decode()
    assert "can no longer be withdrawn" in withdraw and "Are you sure" not in withdraw
    assert "until the deadline" not in withdraw and "Yes, withdraw your bid" not in withdraw


def test_the_open_to_me_filter_never_lists_a_closed_tender(knowsley: CouncilWorld) -> None:
    _, person = local_charity()  # Kirkby: local to Knowsley, so the reserved band lets it bid
    client = signed_in(person)
    finder = reverse("opportunity_finder")
    title = "Knowsley community navigators"
    assert title in client.get(finder, {"open_to_me": "on"}).content.decode()
    with council_scope(knowsley.council):
        _closed_since(knowsley, timedelta(seconds=1))
    assert title not in client.get(finder).content.decode()  # the finder shows open ones by default
    assert title in client.get(finder, {"status": "all"}).content.decode()  # still listed, as closed
    for query in ({"open_to_me": "on"}, {"open_to_me": "on", "status": "closed"}, {"open_to_me": "on", "status": ""}):
        page = client.get(finder, query).content.decode()
        assert title not in page and "0 opportunities" in page, query
    assert title in client.get(finder, {"status": "closed"}).content.decode()
