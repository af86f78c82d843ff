"""An officer opens the market shaping dashboard from the council dashboard and reads where the
council's money went: the shares by provider type in a chart and in a table, the reserved bands'
local share, the concentration with its plain-English reading. Then anyone reads the headline
shares on the council's portal."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import Page, expect

from commissioning.models import Role
from commissioning.tenancy import council_scope
from social_value.models import Agreement
from tests.e2e.conftest import expect_heading, go, visit
from tests.e2e.journeys import sign_in_as
from tests.factories import OrganisationFactory, council_with_people


def test_an_officer_reads_the_market_dashboard_and_anyone_the_portals_headline(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to="commissions")
    today = timezone.localdate()
    with council_scope(world.council):
        charity = OrganisationFactory(name="Huyton Navigators")
        big = OrganisationFactory(name="BigCare Group", legal_form="large_company", size_band="large")
        for n, (provider, value, local) in enumerate(((charity, 30_000, True), (big, 90_000, False)), start=1):
            Agreement.objects.create(
                council=world.council,
                kind="contract",
                source_id=n,
                provider=provider,
                title=f"Contract {n}",
                value=Decimal(value),
                awarded_on=today - timedelta(days=20),
                starts_on=today,
                ends_on=today + timedelta(days=365),
                provider_local=local,
                provider_vcse=local,
                provider_sme=local,
                provider_asset_locked=local,
                provider_ownership="charity" if local else "private_company",
                band_label="Intermediate value" if local else "Higher value",
                band_lower=Decimal(5000) if local else Decimal(181000),
                band_reserved_for_local=local,
            )

    sign_in_as(page, world.people[Role.OFFICER])
    visit(page, "/c/knowsley/dashboard/")
    go(page, page.get_by_role("main").get_by_role("link", name="Market shaping"))
    expect_heading(page, "Market shaping")
    main = page.get_by_role("main")
    expect(main.locator("#headline")).to_contain_text("£120,000 awarded in 2 contracts")

    # The chart is an image with its title, and its description carries the figures
    chart = main.get_by_role("img", name="Share of the value awarded by provider type")
    expect(chart).to_be_visible()
    expect(main.locator("#types-chart-desc")).to_have_text(
        "Local providers: 25.0%; VCSE organisations: 25.0%; SMEs: 25.0%; Large providers: 75.0%; "
        "Asset-locked providers: 25.0%; Backed by private equity: 0.0%."
    )
    # The same figures are in the table next to it
    totals = main.locator("#types-table").get_by_role("row", name="All these years")
    expect(totals).to_contain_text("25.0%")
    expect(totals).to_contain_text("75.0%")
    expect(main.locator("#reserved-local")).to_contain_text("100.0% went to local providers")
    # 75% and 25%: 5,625 + 625 = 6,250, highly concentrated
    expect(main.locator("#concentration-summary")).to_contain_text("6,250 of 10,000")
    expect(main.locator("#hhi-reading")).to_contain_text("Highly concentrated")
    expect(main.locator("#top-providers")).to_contain_text("BigCare Group")

    # A year range the wrong way round is an error next to the field
    page.get_by_label("From year").fill(str(today.year))
    page.get_by_label("To year").fill(str(today.year - 2))
    go(page, page.get_by_role("button", name="Show these years"))
    assert page.title().startswith("Error:"), page.title()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The to year must be the same as or after")

    # Anyone reads the headline shares on the portal
    visit(page, "/c/knowsley/")
    headline = page.get_by_role("main")
    expect(headline.get_by_role("heading", name="Where the council's spending went")).to_be_visible()
    expect(headline).to_contain_text("Of the £120,000 the council awarded in 2 contracts")
    expect(headline.locator(".govuk-summary-list__row", has_text="To local providers")).to_contain_text("25.0%")
