"""The finder and the public and council lists of tenders at scale: keyset pages, open by default,
"open to me" for the shown page only, tampered page links, and the same number of queries however
many tenders there are."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning.models import Role
from commissioning.tenancy import council_scope, platform_scope
from tenders import public_cache
from tenders.keyset import Cursor, InvalidCursor
from tenders.models import Tender
from tenders.selectors import bids as finder
from tenders.selectors.publication import tender_eligibilities
from tests.factories import CouncilWorld
from tests.helpers import api_as, count_renders, query_counts, signed_in
from tests.tenders.test_bids_helpers import local_charity, non_local_company, published_tender

pytestmark = pytest.mark.world("published")

FINDER = "/opportunities/"
# Values either side of the test councils' £181,000: below it their bands are reserved for local
# organisations, so the local charity (Kirkby, in Knowsley) may bid for some and not others.
VALUES = (Decimal(20_000), Decimal(90_000), Decimal(400_000))


def _add_tenders(world: CouncilWorld, count: int, *, closed: int = 0, same_deadline_every: int = 3) -> None:
    """``count`` published tenders open for bids, deadlines in steps of a day with ties (every
    ``same_deadline_every`` share one), and ``closed`` ones whose deadline has passed."""
    now = timezone.now().replace(microsecond=0)
    with council_scope(world.council):
        base = published_tender(world)
        rows = []
        for n in range(count + closed):
            deadline = (
                now + timedelta(days=3 + n // same_deadline_every)
                if n < count
                else now - timedelta(days=1 + n - count, hours=1)
            )
            rows.append(
                Tender(
                    council=world.council,
                    commission=base.commission,
                    title=f"{world.council.slug.title()} scale opportunity {n}",
                    estimated_value=VALUES[n % len(VALUES)],
                    clarification_deadline=deadline - timedelta(days=1),
                    submission_deadline=deadline,
                    created_by=base.created_by,
                    published_at=now - timedelta(days=10),
                )
            )
        Tender.objects.bulk_create(rows)


def _open_ids() -> list[int]:
    """Every opportunity taking bids now, in the finder's order (soonest deadline, then id)."""
    with platform_scope():
        open_now = Tender.objects.in_status(*finder.STATUS_GROUPS["open"], at=timezone.now())
        return list(open_now.order_by("submission_deadline", "pk").values_list("pk", flat=True))


def _walk(user: Any = None, **filters: Any) -> list[list[int]]:
    """The pages of the finder's selector from the first, following each page's next position."""
    pages, after = [], None
    for _ in range(100):
        page = finder.opportunity_list(
            filters=finder.OpportunityFilters(**filters), user=user, after=after, page_size=7
        )
        pages.append([o.tender.pk for o in page.opportunities])
        if page.next is None:
            return pages
        after = page.next
    raise AssertionError("the pages never end")


def _links(html: str) -> dict[str, str]:
    return {rel: href.replace("&amp;", "&") for href, rel in re.findall(r'href="([^"]+)" rel="(prev|next)"', html)}


def _titles(html: str) -> list[str]:
    return re.findall(r'govuk-heading-s govuk-!-margin-bottom-1"><a [^>]+>([^<]+)</a>', html)


# --- Keyset pages ----------------------------------------------------------------------------------


def test_walking_the_pages_shows_every_open_opportunity_once_in_a_stable_order(
    knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    _add_tenders(knowsley, 16)  # three share each deadline: ties are broken by id
    _add_tenders(southwark, 11, closed=4)
    pages = _walk()
    walked = [pk for page in pages for pk in page]
    assert walked == _open_ids()  # each exactly once, soonest deadline first, ties by id
    assert len(walked) == 29 and all(len(page) == 7 for page in pages[:-1]) and len(pages) == 5


def test_previous_pages_are_the_same_pages_walked_back(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    _add_tenders(knowsley, 10)
    _add_tenders(southwark, 10)
    filters = finder.OpportunityFilters()
    forward = []
    page = finder.opportunity_list(filters=filters, page_size=6)
    assert page.previous is None
    while True:
        forward.append(page)
        if page.next is None:
            break
        page = finder.opportunity_list(filters=filters, after=page.next, page_size=6)
    backward = [forward[-1]]
    while backward[-1].previous is not None:
        backward.append(finder.opportunity_list(filters=filters, before=backward[-1].previous, page_size=6))
    ids = [[o.tender.pk for o in p.opportunities] for p in forward]
    assert [[o.tender.pk for o in p.opportunities] for p in reversed(backward)] == ids
    assert len(ids) == 4


def test_a_tender_closing_between_two_pages_moves_nothing_else(knowsley: CouncilWorld) -> None:
    _add_tenders(knowsley, 12)
    first = finder.opportunity_list(filters=finder.OpportunityFilters(), page_size=5)
    shown = [o.tender.pk for o in first.opportunities]
    expected_next = _open_ids()[5:10]
    with council_scope(knowsley.council):  # one of the first page closes: a page number would shift
        closes = timezone.now() - timedelta(minutes=1)
        Tender.objects.filter(pk=shown[0]).update(
            clarification_deadline=closes - timedelta(days=1), submission_deadline=closes
        )
    second = finder.opportunity_list(filters=finder.OpportunityFilters(), after=first.next, page_size=5)
    assert [o.tender.pk for o in second.opportunities] == expected_next


def test_closed_opportunities_are_listed_most_recently_closed_first(knowsley: CouncilWorld) -> None:
    _add_tenders(knowsley, 2, closed=9)
    pages = _walk(status="closed")
    walked = [pk for page in pages for pk in page]
    with platform_scope():
        closed = Tender.objects.in_status(*finder.STATUS_GROUPS["closed"], at=timezone.now())
        expected = list(closed.order_by("-submission_deadline", "-pk").values_list("pk", flat=True))
    assert walked == expected and len(walked) == 9


# --- Open by default ---------------------------------------------------------------------------------


def test_the_finder_shows_open_opportunities_unless_asked_for_closed_ones(
    client: Client, knowsley: CouncilWorld
) -> None:
    _add_tenders(knowsley, 1, closed=1)
    open_title, closed_title = "Knowsley scale opportunity 0", "Knowsley scale opportunity 1"
    first = client.get(FINDER).content.decode()
    assert open_title in _titles(first) and closed_title not in _titles(first)
    assert "Open opportunities, closing soonest first." in first
    assert re.search(r'value="open"[^>]*checked', first)  # the filter says so
    filtered = client.get(FINDER, {"council": "knowsley"}).content.decode()  # no status: still open only
    assert closed_title not in _titles(filtered)
    assert _titles(client.get(FINDER, {"status": "closed"}).content.decode()) == [closed_title]
    both = _titles(client.get(FINDER, {"status": "all"}).content.decode())
    assert open_title in both and closed_title in both


def test_the_count_is_bounded(client: Client, knowsley: CouncilWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    _add_tenders(knowsley, 25)
    assert "26 opportunities" in client.get(FINDER).content.decode()
    monkeypatch.setattr(finder, "COUNT_LIMIT", 10)
    page = client.get(FINDER).content.decode()
    assert "More than 10 opportunities" in page and len(_titles(page)) == 20


# --- "Open to me" --------------------------------------------------------------------------------------


def test_open_to_me_is_worked_out_for_the_shown_page_only(
    knowsley: CouncilWorld, southwark: CouncilWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add_tenders(knowsley, 30)
    _add_tenders(southwark, 30)
    asked: list[list[int]] = []

    def spy(*, tenders: Any, on: Any = None) -> Any:
        asked.append([t.pk for t in tenders])
        return tender_eligibilities(tenders=tenders, on=on)

    monkeypatch.setattr(finder, "tender_eligibilities", spy)
    _, person = non_local_company()
    page = signed_in(person).get(FINDER).content.decode()
    assert asked == [_open_ids()[:20]]  # one batched call, for the 20 rows shown, of the 62 open
    assert page.count("Open to you") == 20 and "Yes: Nationwide Outsourcing plc" in page
    assert "No, not to your organisations" in page  # the bands below £181,000 are reserved for local ones


def test_the_open_to_me_filter_pages_through_exactly_what_the_person_may_bid_for(
    knowsley: CouncilWorld, southwark: CouncilWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add_tenders(knowsley, 8)
    _add_tenders(southwark, 20)
    monkeypatch.setattr(finder, "OPEN_TO_ME_WINDOW", 9)  # a page checks at most 9 candidates
    organisation, person = non_local_company()
    with platform_scope():
        candidates = list(Tender.objects.filter(pk__in=_open_ids()).select_related("council"))
        rules = tender_eligibilities(tenders=candidates)
    eligible = [pk for pk in _open_ids() if rules[pk].of(organisation).eligible]
    assert 0 < len(eligible) < len(candidates)
    pages = _walk(user=person, open_to_me=True)
    assert [pk for page in pages for pk in page] == eligible
    assert all(len(page) <= 7 for page in pages)


# --- Page links --------------------------------------------------------------------------------------


def test_the_page_links_keep_the_filters_and_reach_every_opportunity(
    client: Client, knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    _add_tenders(knowsley, 30)
    _add_tenders(southwark, 30)
    query = "?council=knowsley&status=open"
    seen: list[str] = []
    url = FINDER + query
    pages = 0
    while url:
        html = client.get(FINDER + url if url.startswith("?") else url).content.decode()
        seen += _titles(html)
        pages += 1
        links = _links(html)
        assert ("prev" in links) == (pages > 1)
        if "next" in links:
            assert "council=knowsley" in links["next"] and "status=open" in links["next"]
        url = links.get("next", "")
    assert pages == 2 and len(seen) == len(set(seen)) == 31
    assert all(title.startswith("Knowsley") for title in seen)


@pytest.mark.parametrize(
    "query",
    [
        {"after": "not-a-page"},
        {"before": "%%%"},
        {"after": Cursor(datetime(2027, 1, 1, tzinfo=UTC), 5).encode() + "xx"},
        {"after": "A" * 500},
        {"after": Cursor(datetime(2027, 1, 1, tzinfo=UTC), 5).encode(), "before": "x"},
    ],
)
def test_a_tampered_page_link_shows_the_first_page_with_a_message(
    client: Client, knowsley: CouncilWorld, query: dict[str, str]
) -> None:
    page = client.get(FINDER, query)
    assert page.status_code == 200
    html = page.content.decode()
    assert "That page link was not one this site made" in html
    assert "Knowsley community navigators" in _titles(html)


def test_a_page_position_round_trips_and_refuses_anything_else() -> None:
    cursor = Cursor(datetime(2027, 3, 4, 12, 30, 5, 123, tzinfo=UTC), 4242)
    assert Cursor.decode(cursor.encode()) == cursor
    for token in ("", "x", "AAAA", cursor.encode()[:-3], "MjAyNzAxMDFUMDAwMDAwLjAwMDAwMH4tNQ"):  # the last: id -5
        with pytest.raises(InvalidCursor):
            Cursor.decode(token)


# --- The same number of queries however many tenders ---------------------------------------------------


def _pages(world: CouncilWorld) -> dict[str, tuple[Client, list[str]]]:
    slug = world.council.slug
    with council_scope(world.council):
        notice = published_tender(world).pk
    _, person = local_charity()
    provider = signed_in(person)
    return {
        "anyone": (
            Client(),
            [FINDER, f"{FINDER}?status=closed", f"/c/{slug}/", f"/c/{slug}/opportunities/{notice}/"],
        ),
        "provider": (
            provider,
            [
                FINDER,
                f"{FINDER}?open_to_me=on",
                f"{FINDER}?council={slug}&status=all",
                f"/c/{slug}/opportunities/{notice}/",
            ],
        ),
        "officer": (signed_in(world.people[Role.OFFICER]), [f"/c/{slug}/tenders/"]),
    }


# The tenancy's plumbing (savepoints and the per-transaction council setting), not reads.
PLUMBING = re.compile(r"^(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT|SELECT set_config)")


def _reads(client: Any, url: str) -> tuple[int, int, int]:
    """(every query, the queries that read data) of one request with nothing kept, then every
    query of the same request again (the finder's answer kept): each must answer 200. Every shelf
    is renewed first: a page may read answers kept on others too (the portal's headline and audit
    head)."""
    from commissioning.kept import shelves

    for shelf in shelves():
        shelf.renew()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).status_code == 200, url
    return len(queries), sum(not PLUMBING.match(q["sql"]) for q in queries.captured_queries), len(again)


def _counts(world: CouncilWorld, pages: dict[str, tuple[Client, list[str]]]) -> dict[str, tuple[int, int]]:
    counts = {}
    for who, (client, urls) in pages.items():
        client.get(urls[0])  # warm up (sessions, content types)
        counts |= {f"{who} {url}": _reads(client, url) for url in urls}
    api = api_as(world.people[Role.OFFICER])
    slug = world.council.slug
    for url in (f"/api/v1/councils/{slug}/opportunities/", f"/api/v1/councils/{slug}/tenders/"):
        api.get(url)  # warm up
        counts[f"api {url}"] = _reads(api, url)
    return counts


def test_every_list_makes_the_same_number_of_queries_with_few_and_many_tenders(
    knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    pages = _pages(knowsley)
    _add_tenders(knowsley, 1, closed=1)
    few = _counts(knowsley, pages)
    _add_tenders(knowsley, 70, closed=30)  # past every page size: finder 20, portal 20 + 10, lists 50
    _add_tenders(southwark, 70, closed=30)
    many = _counts(knowsley, pages)
    assert many == few
    assert max(reads for _, reads, _ in many.values()) <= 15, many
    # The finder's second asking reads what the first kept: fewer queries, never more.
    finder_pages = {page: counts for page, counts in many.items() if f" {FINDER}" in page}
    assert finder_pages and all(again < cold for cold, _, again in finder_pages.values()), finder_pages


def test_the_second_page_makes_as_many_queries_as_the_first(client: Client, knowsley: CouncilWorld) -> None:
    _add_tenders(knowsley, 45)
    client.get(FINDER)
    public_cache.bump()
    first = query_counts(client, [FINDER])[FINDER]
    second_url = FINDER + _links(client.get(FINDER).content.decode())["next"]
    public_cache.bump()  # counted cold too: the first page kept what both read (the councils)
    assert query_counts(client, [second_url])[second_url] == first


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 12, 8, 14, 5, tzinfo=UTC),  # winter: UK time is UTC
        datetime(2027, 7, 1, 23, 30, tzinfo=UTC),  # summer: the next day in UK time
        datetime(2027, 3, 28, 0, 59, tzinfo=UTC),
    ],
)
def test_row_dates_read_as_the_date_filter_writes_them(moment: datetime) -> None:
    from django.template.defaultfilters import date as date_filter

    from tenders.links import row_date

    assert row_date(moment) == date_filter(timezone.localtime(moment), "j F Y, H:i")
    assert row_date(moment, time=False) == date_filter(timezone.localtime(moment), "j F Y")


def test_the_council_filter_keeps_the_chosen_council(client: Client, knowsley: CouncilWorld) -> None:
    html = client.get(FINDER, {"council": "knowsley"}).content.decode()
    assert '<option value="knowsley" selected>Knowsley Council</option>' in html
    assert '<option value="">All councils</option>' in html
    refused = client.get(FINDER, {"council": "nowhere"}).content.decode()
    assert "Select a valid choice" in refused and "There is a problem" in refused


def test_the_filter_fields_are_kept_per_what_they_show_and_errors_are_never_kept(
    client: Client, knowsley: CouncilWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tenders.views import bids as views

    rendered = count_renders(monkeypatch, views)
    # Two readers of the same filters share the rendered fields; other filters are rendered apart
    first = client.get(FINDER, {"council": "knowsley", "min_value": "1000"}).content.decode()
    again = Client().get(FINDER, {"council": "knowsley", "min_value": "1000"})
    assert rendered == ["tenders/bids/_finder_fields.html"]
    assert '<option value="knowsley" selected>Knowsley Council</option>' in first
    assert 'value="1000"' in first and 'value="1000"' in again.content.decode()
    other = client.get(FINDER, {"min_value": "2000"}).content.decode()
    assert 'value="2000"' in other and 'value="1000"' not in other and len(rendered) == 2
    # Signed in, the form has one more field ("open to me"): rendered apart too
    mine = signed_in(knowsley.people[Role.OFFICER]).get(FINDER, {"min_value": "2000"}).content.decode()
    assert 'name="open_to_me"' in mine and 'name="open_to_me"' not in other and len(rendered) == 3
    # A form with errors shows its own messages every time, never a kept rendering
    for _ in range(2):
        refused = client.get(FINDER, {"min_value": "lots"}).content.decode()
        assert 'id="id_min_value-error"' in refused and 'value="lots"' in refused
    assert len(rendered) == 5
    # A council's new name is in the council filter at once
    knowsley.council.name = "Knowsley <Borough>"
    knowsley.council.save()
    renamed = client.get(FINDER, {"council": "knowsley", "min_value": "1000"}).content.decode()
    assert "Knowsley &lt;Borough&gt;</option>" in renamed and len(rendered) == 6
