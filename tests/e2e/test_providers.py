"""A provider registers a new organisation, correcting the mistakes the form points out."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from commissioning.models import Organisation
from tests.e2e.conftest import expect_heading, go
from tests.e2e.journeys import sign_in_as
from tests.factories import EVERYTHING, council_with_people


def test_a_provider_registers_an_organisation_and_fixes_the_errors_on_the_way(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    assert world.provider is not None and world.organisation is not None

    # A provider with no council role lands on their organisations.
    sign_in_as(page, world.provider)
    assert urlsplit(page.url).path == "/organisations/", page.url
    expect_heading(page, "Your organisations")
    expect(page.get_by_role("main")).to_contain_text(world.organisation.name)

    go(page, page.get_by_role("link", name="Register an organisation"))
    expect_heading(page, "Register an organisation")
    assert not page.title().startswith("Error:")

    # (Checked at the end, so the rest of the journey runs whatever happens here.)
    placeholder_radios = page.get_by_role("radio", name="---------").count()

    # First attempt: a postcode that is not one, and no legal form.
    page.get_by_label("Organisation name").fill("Huyton Youth Kitchen CIC")
    page.get_by_label("Address line 1").fill("3 Archway Road")
    page.get_by_label("Town").fill("Huyton")
    page.get_by_label("Registered postcode").fill("XYZ 123")
    page.get_by_label("Small (10 to 49 staff)").check()
    go(page, page.get_by_role("button", name="Save"))

    assert page.title().startswith("Error:"), page.title()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary.get_by_role("link")).to_have_count(2)
    expect(summary).to_contain_text(re.compile("postcode", re.I))
    # Each message is also next to its field, and the field says it is invalid.
    form = page.get_by_role("main").locator("form")
    expect(form.locator(".govuk-error-message")).to_have_count(2)
    expect(page.get_by_label("Registered postcode")).to_have_class(re.compile(r"govuk-input--error"))
    expect(page.get_by_label("Registered postcode")).to_have_value("XYZ 123")
    # The summary's links take you to the field (GOV.UK Frontend moves the focus there).
    summary.get_by_role("link", name=re.compile("postcode", re.I)).click()
    expect(page.get_by_label("Registered postcode")).to_be_focused()

    # Second attempt: a CIC, which needs its Companies House number, and a real postcode.
    page.get_by_label("Community interest company (CIC)").check()
    page.get_by_label("Companies House number").fill("12345678")
    page.get_by_label("Registered postcode").fill("l36 9yu")
    go(page, page.get_by_role("button", name="Save"))

    expect_heading(page, "Huyton Youth Kitchen CIC")
    assert re.search(r"/organisations/\d+/$", page.url), page.url
    main = page.get_by_role("main")
    expect(main.locator(".govuk-notification-banner--success")).to_contain_text("is registered")
    vcse = main.locator(".govuk-summary-list__row", has_text="Voluntary, community or social enterprise")
    expect(vcse.locator("dd")).to_contain_text("Yes")
    expect(main.locator(".govuk-summary-list__row", has_text="Registered address")).to_contain_text("L36 9YU")

    # Back on the list, the new organisation carries the VCSE tag.
    go(page, page.get_by_role("link", name="Your organisations").first)
    expect_heading(page, "Your organisations")
    card = main.locator(".govuk-summary-card", has_text="Huyton Youth Kitchen CIC")
    expect(card.locator(".govuk-tag")).to_have_text("VCSE")
    assert Organisation.objects.get(name="Huyton Youth Kitchen CIC").companies_house_number == "12345678"

    # GOV.UK radios offer real choices only: Django's "---------" blank choice must not be one.
    assert placeholder_radios == 0, (
        f'the registration form shows {placeholder_radios} "---------" radio(s) (legal form and size)'
    )
