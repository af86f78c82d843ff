"""The market shaping figures (issue 11): what the selector adds up from the ledger's agreements,
the dashboard page and its chart, the API, the portal's headline shares; figures for one council
never include another's, and the page answers in a constant number of queries."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning.models import Council, Organisation, Role
from commissioning.tenancy import council_scope
from social_value import selectors
from social_value.models import Agreement
from tests.factories import CouncilWorld, OrganisationFactory
from tests.factories.bids import BidFactory
from tests.factories.tenders import TenderFactory
from tests.helpers import api_as, cold_query_counts, count_renders, signed_in

pytestmark = pytest.mark.world("commissions")

YEAR = timezone.localdate().year


def _agreement(council: Council, provider: Organisation, value: int, awarded_on: date, **facts: Any) -> Agreement:
    n = Agreement.objects.filter(council=council).count() + 1
    return Agreement.objects.create(
        council=council,
        kind="contract",
        source_id=10_000 + n,
        provider=provider,
        title=f"Contract {n}",
        value=Decimal(value),
        awarded_on=awarded_on,
        starts_on=awarded_on,
        ends_on=awarded_on + timedelta(days=365),
        **facts,
    )


LOCAL_CHARITY = {
    "provider_local": True,
    "provider_vcse": True,
    "provider_sme": True,
    "provider_asset_locked": True,
    "provider_ownership": "charity",
    "band_label": "Intermediate value",
    "band_lower": Decimal(5000),
    "band_reserved_for_local": True,
}
BIG_PE = {
    "provider_local": False,
    "provider_sme": False,
    "provider_private_equity": True,
    "provider_ownership": "private_equity",
    "band_label": "Higher value",
    "band_lower": Decimal(181000),
}


def _market(world: CouncilWorld) -> None:
    """Given Knowsley awarded, this year, £60,000 to a local charity in a reserved band (in two
    contracts) and £240,000 to a large private-equity-backed provider from elsewhere; and last year
    £100,000 to the charity."""
    council = world.council
    charity, big = OrganisationFactory(name="Huyton Navigators"), OrganisationFactory(name="BigCare Group")
    today = date(YEAR, 3, 1)
    _agreement(council, charity, 40_000, today, **LOCAL_CHARITY)
    _agreement(council, charity, 20_000, today, **LOCAL_CHARITY)
    _agreement(council, big, 240_000, today, **BIG_PE)
    _agreement(council, charity, 100_000, date(YEAR - 1, 6, 1), **LOCAL_CHARITY)


def test_the_figures_add_up_the_value_by_type_band_and_provider(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        _market(knowsley)
        figures = selectors.market_figures(
            council=knowsley.council, first_year=YEAR, last_year=YEAR, now=timezone.now()
        )
    # Then this year's £300,000 went 20% to local, VCSE and asset-locked providers, 80% to large ones.
    assert figures.period.value == Decimal(300_000) and figures.period.agreements == 3
    shares = figures.shares
    assert (shares.local, shares.vcse, shares.asset_locked, shares.large, shares.private_equity) == (
        Decimal("0.2"),
        Decimal("0.2"),
        Decimal("0.2"),
        Decimal("0.8"),
        Decimal("0.8"),
    )
    assert figures.signals.non_local == Decimal("0.8")
    # And all of the reserved band's value went to local providers.
    assert figures.reserved_local_share == 1
    assert [(b.band.label, b.band.reserved_for_local, b.band.value) for b in figures.period_bands] == [
        ("Intermediate value", True, Decimal(60_000)),
        ("Higher value", False, Decimal(240_000)),
    ]
    # And two providers, 80% and 20%: the index is 6,400 + 400 = 6,800, highly concentrated.
    c = figures.concentration
    assert (c.providers, c.hhi, c.top_share, c.reading.level) == (2, 6800, 1, "high")
    assert [(p.name, p.value) for p in figures.top_providers] == [
        ("BigCare Group", Decimal(240_000)),
        ("Huyton Navigators", Decimal(60_000)),
    ]
    assert figures.concentration_by_year[YEAR].hhi == 6800


def test_the_years_asked_for_bound_the_figures(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        _market(knowsley)
        two_years = selectors.market_figures(
            council=knowsley.council, first_year=YEAR - 1, last_year=YEAR, now=timezone.now()
        )
    assert [(y.year, y.totals.value) for y in two_years.by_year] == [
        (YEAR - 1, Decimal(100_000)),
        (YEAR, Decimal(300_000)),
    ]
    assert two_years.concentration_by_year[YEAR - 1].hhi == 10_000
    assert two_years.period.value == Decimal(400_000)
    assert selectors.market_years(today=date(2026, 5, 1)) == (2022, 2026)
    assert selectors.market_years(today=date(2026, 5, 1), first_year=2001, last_year=2026) == (2017, 2026)


def test_one_councils_figures_never_include_anothers(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        _market(knowsley)
    with council_scope(southwark.council):
        _agreement(southwark.council, OrganisationFactory(name="Peckham Co-op"), 5_000, date(YEAR, 2, 1))
        figures = selectors.market_figures(
            council=southwark.council, first_year=YEAR - 1, last_year=YEAR, now=timezone.now()
        )
        headline = selectors.market_headline(council=southwark.council, today=date(YEAR, 12, 31))
    assert figures.period.value == Decimal(5_000)
    assert [p.name for p in figures.top_providers] == ["Peckham Co-op"]
    assert figures.concentration.providers == 1
    assert headline.value == Decimal(5_000)
    # And Southwark's page and API show none of Knowsley's providers.
    page = signed_in(southwark.people[Role.OFFICER]).get(f"/c/{southwark.council.slug}/social-value/market/")
    assert "Peckham Co-op" in page.content.decode() and "BigCare Group" not in page.content.decode()
    body = (
        api_as(southwark.people[Role.OFFICER])
        .get(f"/api/v1/councils/{southwark.council.slug}/social-value/market/")
        .json()
    )
    assert [p["name"] for p in body["top_providers"]] == ["Peckham Co-op"]
    # And a Knowsley officer gets 404 at Southwark's dashboard and API.
    assert (
        signed_in(knowsley.people[Role.OFFICER]).get(f"/c/{southwark.council.slug}/social-value/market/").status_code
        == 404
    )
    assert api_as(knowsley.people[Role.OFFICER]).get(
        f"/api/v1/councils/{southwark.council.slug}/social-value/market/"
    ).status_code in (403, 404)


def test_officers_see_the_dashboard_with_its_chart_and_tables(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        _market(knowsley)
    page = signed_in(knowsley.people[Role.OFFICER]).get(f"/c/{knowsley.council.slug}/social-value/market/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'role="img"' in text and '<title id="types-chart-title">' in text and '<desc id="types-chart-desc">' in text
    # The last five years: £160,000 of £400,000 to the local charity, £240,000 to BigCare Group.
    assert "Local providers: 40.0%" in text  # the chart's description
    assert "Highly concentrated" in text and "5,200 of 10,000" in text
    assert "Huyton Navigators" in text and "BigCare Group" in text
    assert "100.0% went to local providers" in text


@pytest.mark.parametrize(
    ("role", "status"), [(Role.COMMISSIONER, 200), (Role.ADMIN, 200), (Role.EVALUATOR, 403), (Role.CITIZEN, 403)]
)
def test_commissioners_officers_and_admins_may_see_the_figures(knowsley: CouncilWorld, role: str, status: int) -> None:
    person = knowsley.people[role]
    assert signed_in(person).get(f"/c/{knowsley.council.slug}/social-value/market/").status_code == status
    assert api_as(person).get(f"/api/v1/councils/{knowsley.council.slug}/social-value/market/").status_code == status


def test_a_bad_year_range_is_an_error_next_to_the_field(knowsley: CouncilWorld) -> None:
    client = signed_in(knowsley.people[Role.OFFICER])
    page = client.get(f"/c/{knowsley.council.slug}/social-value/market/?from_year=2026&to_year=2024")
    text = page.content.decode()
    assert page.status_code == 200 and "govuk-error-summary" in text
    assert "The to year must be the same as or after the from year" in text
    api = api_as(knowsley.people[Role.OFFICER])
    bad = api.get(f"/api/v1/councils/{knowsley.council.slug}/social-value/market/?from_year=2010&to_year=2026")
    assert bad.status_code == 400 and "to_year" in str(bad.json())
    assert api.get(f"/api/v1/councils/{knowsley.council.slug}/social-value/market/?to_year=abc").status_code == 400


def test_the_api_gives_the_same_figures(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        _market(knowsley)
    body = (
        api_as(knowsley.people[Role.COMMISSIONER])
        .get(f"/api/v1/councils/{knowsley.council.slug}/social-value/market/?from_year={YEAR}&to_year={YEAR}")
        .json()
    )
    assert body["totals"]["value"] == "300000.00"
    assert body["shares"]["local"] == "20.00" and body["shares"]["large"] == "80.00"
    assert body["concentration"] == {"providers": 2, "top_five_share": "100.00", "hhi": 6800, "reading": "high"}
    assert body["extractive"] == {"large": "80.00", "non_local": "80.00", "private_equity": "80.00"}
    assert body["reserved_bands_local_share"] == "100.00"
    assert body["years"][0]["year"] == YEAR and body["bids"][0]["key"] == "tenders"


def _closed_tender_with_bids(world: CouncilWorld, organisations: list[Organisation], *, closed: bool = True) -> None:
    now = timezone.now()
    tender = TenderFactory(
        commission=world.commission,
        published_at=now - timedelta(days=40),
        submission_deadline=now - timedelta(days=1) if closed else now + timedelta(days=10),
    )
    for organisation in organisations:
        BidFactory(tender=tender, organisation=organisation, created_by=world.people[Role.COMMISSIONER])


def test_bids_are_counted_per_closed_tender_by_type_and_repeat_single_bidders_named(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        local = OrganisationFactory(name="Local Charity", postcode="L36 9UJ")
        away = OrganisationFactory(name="Faraway Ltd", postcode="M1 1AE", legal_form="large_company", size_band="large")
        _closed_tender_with_bids(knowsley, [local, away])
        _closed_tender_with_bids(knowsley, [away])
        _closed_tender_with_bids(knowsley, [away])
        _closed_tender_with_bids(knowsley, [])
        # A tender still open: its bids are sealed, so not even their number is counted.
        _closed_tender_with_bids(knowsley, [local, away], closed=False)
        year = timezone.localdate(timezone.now() - timedelta(days=1)).year
        figures = selectors.market_figures(
            council=knowsley.council, first_year=year, last_year=year, now=timezone.now()
        )
    (tenders,) = figures.bid_figures
    (row,) = tenders.years
    assert (row.competitions, row.bids, row.local_bids, row.non_local_bids, row.vcse_bids, row.large_bids) == (
        4,
        4,
        1,
        3,
        1,
        3,
    )
    assert (row.single_bid_competitions, row.no_bid_competitions) == (2, 1)
    assert [(r.organisation, r.competitions) for r in tenders.repeat_single_bidders] == [("Faraway Ltd", 2)]


def _grow(world: CouncilWorld, n: int) -> None:
    with council_scope(world.council):
        for i in range(n):
            provider = OrganisationFactory(name=f"Provider {i}")
            _agreement(
                world.council,
                provider,
                1000 + i,
                date(YEAR - i % 3, 1 + i % 12, 1),
                **(LOCAL_CHARITY if i % 2 else BIG_PE),
            )
            _closed_tender_with_bids(world, [provider])


def test_the_dashboard_answers_in_a_constant_number_of_queries(knowsley: CouncilWorld) -> None:
    client = signed_in(knowsley.people[Role.OFFICER])
    pages = [
        f"/c/{knowsley.council.slug}/social-value/market/",
        f"/api/v1/councils/{knowsley.council.slug}/social-value/market/",
        f"/c/{knowsley.council.slug}/",
    ]
    _grow(knowsley, 3)
    small = cold_query_counts(client, pages)
    _grow(knowsley, 27)
    assert cold_query_counts(client, pages) == small
    # And within the bench's goal of at most 15 queries a page.
    assert max(small.values()) <= 15, small


def test_the_portal_shows_the_headline_shares_of_the_last_twelve_months(knowsley: CouncilWorld) -> None:
    today = timezone.localdate()
    with council_scope(knowsley.council):
        charity, big = OrganisationFactory(), OrganisationFactory()
        _agreement(knowsley.council, charity, 25_000, today - timedelta(days=10), **LOCAL_CHARITY)
        _agreement(knowsley.council, big, 75_000, today - timedelta(days=100), **BIG_PE)
        # Awarded more than a year ago: not in the headline.
        _agreement(knowsley.council, big, 900_000, today - timedelta(days=400), **BIG_PE)
    # When anyone opens the council's portal
    text = Client().get(f"/c/{knowsley.council.slug}/").content.decode()
    # Then it shows the shares of the £100,000 awarded in the last 12 months: 25% each to local,
    # VCSE and asset-locked providers (the charity's contract).
    assert "Where the council's spending went" in text
    assert "Of the £100,000 the council awarded in 2 contracts" in text
    assert text.count("25.0%") == 3


def test_the_portals_headline_is_kept_and_a_new_agreement_is_seen_at_once(knowsley: CouncilWorld) -> None:
    today = timezone.localdate()
    client = Client()
    assert "spending went" not in client.get(f"/c/{knowsley.council.slug}/").content.decode()
    with council_scope(knowsley.council):
        _agreement(knowsley.council, OrganisationFactory(), 40_000, today - timedelta(days=3), **LOCAL_CHARITY)
    text = client.get(f"/c/{knowsley.council.slug}/").content.decode()
    assert "Of the £40,000 the council awarded in 1 contract" in text
    with CaptureQueriesContext(connection) as warm:
        client.get(f"/c/{knowsley.council.slug}/")
    assert not any("social_value_agreement" in q["sql"] for q in warm.captured_queries)


def test_the_portal_says_nothing_of_shares_when_nothing_was_awarded(knowsley: CouncilWorld) -> None:
    text = Client().get(f"/c/{knowsley.council.slug}/").content.decode()
    assert "spending went" not in text


def test_the_benchs_bulk_agreements_read_as_the_dashboards_figures(knowsley: CouncilWorld) -> None:
    import random

    from bench.seed import bulk_agreements

    with council_scope(knowsley.council):
        providers = [(OrganisationFactory(), knowsley.provider) for _ in range(5)]
        made = bulk_agreements(knowsley.council, providers, 40, random.Random(1), timezone.now())  # type: ignore[arg-type]
        figures = selectors.market_figures(
            council=knowsley.council, first_year=YEAR - 5, last_year=YEAR, now=timezone.now()
        )
        # Awarded over twelve and a half years (so that their quarters of returns add up): the
        # dashboard's years see those awarded in them.
        in_window = Agreement.objects.filter(council=knowsley.council, awarded_on__year__gte=YEAR - 5).count()
    assert made == 40 and figures.period.agreements == in_window > 0
    assert 0 < figures.shares.local < 1 and figures.concentration.providers <= 5
    assert {b.band.label for b in figures.period_bands} <= {"Low value", "Intermediate value", "Higher value"}


def test_the_benchs_bulk_returns_are_ended_quarters_and_read_as_the_accounts(knowsley: CouncilWorld) -> None:
    import random

    from bench.seed import bulk_agreements, bulk_returns
    from social_value import ledger
    from social_value.models import DeliveryReturn, ReturnFigure, ReturnStatus
    from social_value.returns import agreement_periods

    with council_scope(knowsley.council):
        providers = [(OrganisationFactory(), knowsley.provider) for _ in range(3)]
        bulk_agreements(knowsley.council, providers, 12, random.Random(2), timezone.now())  # type: ignore[arg-type]
        returns, figures = bulk_returns(knowsley.council, providers, timezone.now())  # type: ignore[arg-type]
        today = timezone.localdate()
        agreements = list(Agreement.objects.filter(council=knowsley.council))
        ended = sum(1 for a in agreements for p in agreement_periods(a) if p.ends_on < today)
        stored = DeliveryReturn.objects.filter(council=knowsley.council)
        stored_count, future = stored.count(), stored.filter(period_ends_on__gte=today).exists()
        accepted_total = sum(
            ReturnFigure.objects.filter(
                council=knowsley.council, delivery_return__status=ReturnStatus.ACCEPTED
            ).values_list("quantity", flat=True)
        )
        rows = ledger.account_rows(council=knowsley.council)
    # Every ended quarter of every agreement, and none that has not ended
    assert returns == ended == stored_count > 0 and figures == 2 * returns
    assert not future
    # The accounts add up the accepted figures only, once each
    assert sum(r.quantity for r in rows) == accepted_total > 0


def test_kept_figures_are_renewed_by_an_award_an_organisations_change_and_a_tender_closing(
    knowsley: CouncilWorld,
) -> None:
    # Given the figures read once, and a tender that closes in an hour
    now = timezone.now()
    with council_scope(knowsley.council):
        _market(knowsley)
        away = OrganisationFactory(name="Faraway Ltd", postcode="M1 1AE")
        _closed_tender_with_bids(knowsley, [away])
        closing = TenderFactory(
            commission=knowsley.commission,
            published_at=now - timedelta(days=40),
            clarification_deadline=None,
            submission_deadline=now + timedelta(hours=1),
        )
        BidFactory(tender=closing, organisation=away, created_by=knowsley.people[Role.COMMISSIONER])

        def read(at: Any) -> selectors.MarketFigures:
            return selectors.market_figures(council=knowsley.council, first_year=YEAR, last_year=YEAR, now=at)

        first = read(now)
        assert first.period.value == Decimal(300_000) and first.bid_figures[0].years[0].competitions == 1
        # When another contract is awarded, the agreements' figures are new at once
        _agreement(knowsley.council, away, 5_000, date(YEAR, 3, 2), **BIG_PE)
        assert read(now).period.value == Decimal(305_000)
        # When a bidder moves into the area, its bids count as local at once
        assert read(now).bid_figures[0].years[0].local_bids == 0
        away.postcode = "L36 9UJ"
        away.save()
        assert read(now).bid_figures[0].years[0].local_bids == 1
        # And when the hour has passed, with no write, the closed tender is counted
        if timezone.localdate(now + timedelta(hours=2)).year == YEAR:
            assert read(now + timedelta(hours=2)).bid_figures[0].years[0].competitions == 2


def test_the_awarded_part_is_rendered_once_for_every_reader_until_the_ledger_changes(
    knowsley: CouncilWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    from social_value import views

    rendered = count_renders(monkeypatch, views)
    with council_scope(knowsley.council):
        _market(knowsley)
    url = f"/c/{knowsley.council.slug}/social-value/market/"
    first = signed_in(knowsley.people[Role.OFFICER]).get(url).content.decode()
    second = signed_in(knowsley.people[Role.COMMISSIONER]).get(url).content.decode()
    assert rendered == ["social_value/_market_awarded.html"]
    assert "Huyton Navigators" in second and second.count("<table") == first.count("<table") >= 6
    # A new name for a provider and a new award are each seen at once
    big = Organisation.objects.get(name="BigCare Group")
    big.name = "BigCare <Group> & Sons"
    big.save()
    renamed = signed_in(knowsley.people[Role.OFFICER]).get(url).content.decode()
    assert "BigCare &lt;Group&gt; &amp; Sons" in renamed and "&amp;lt;" not in renamed
    with council_scope(knowsley.council):
        _agreement(knowsley.council, big, 100_000, date(YEAR, 3, 2))
    assert len(rendered) == 2
    signed_in(knowsley.people[Role.OFFICER]).get(url)
    assert len(rendered) == 3
