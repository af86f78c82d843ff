"""A council admin changes the local spend policy; a provider checks their eligibility on the public page."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from commissioning.models import OrganisationRole, Role
from tests.e2e.conftest import expect_date, expect_heading, fill_date, go, visit
from tests.e2e.journeys import expect_success, open_from_menu, sign_in_as
from tests.factories import EVERYTHING, council_with_people
from tests.tenders.test_bids_helpers import merseyside_digital


def test_an_admin_changes_the_bands_after_fixing_an_overlap(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    admin = world.people[Role.ADMIN]
    sign_in_as(page, admin)

    open_from_menu(page, "Settings")
    go(page, page.get_by_role("link", name="Local spend policy: value bands"))
    expect_heading(page, "Local spend policy")
    expect(page.get_by_role("main")).to_contain_text("Intermediate value")
    go(page, page.get_by_role("link", name="Change the bands"))
    expect_heading(page, "Change the local spend policy")

    # The bands in force are filled in; band 2 is made to overlap band 1.
    band_2 = page.get_by_role("group", name="Band 2", exact=True)
    expect(band_2.get_by_label("Name")).to_have_value("Intermediate value")
    expect(band_2.get_by_label("Up to")).to_have_value("181,000")
    expect_date(page, "Date the bands take effect", timezone.localdate())
    band_2.get_by_label("From").fill("4,000")
    go(page, page.get_by_role("button", name="Save the bands"))

    assert page.title().startswith("Error:"), page.title()
    message = "Band 2 overlaps band 1: start band 2 at £5,000, where band 1 ends"
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name=message)).to_be_visible()
    band_2 = page.get_by_role("group", name="Band 2", exact=True)
    expect(band_2.locator(".govuk-error-message")).to_contain_text(message)
    expect(band_2.get_by_label("From")).to_have_value("4,000")
    summary.get_by_role("link", name=message).click()
    expect(band_2.get_by_label("From")).to_be_focused()

    # Fixed, with VCSE organisations now reserved in band 1, from tomorrow.
    tomorrow = timezone.localdate() + timedelta(days=1)
    band_2.get_by_label("From").fill("5000")
    band_1 = page.get_by_role("group", name="Band 1", exact=True)
    band_1.get_by_role("group", name="Reserved for these kinds of organisation").get_by_label(
        "VCSE organisations"
    ).check()
    fill_date(page, "Date the bands take effect", tomorrow)
    go(page, page.get_by_role("button", name="Save the bands"))

    expect_heading(page, "Local spend policy")
    main = page.get_by_role("main")
    expect_success(page, "Spend policy saved")
    expect(main).to_contain_text(f"From {tomorrow.day} {tomorrow:%B %Y}")
    expect(main).to_contain_text("This opportunity is reserved for VCSE organisations based in Knowsley")


def test_a_provider_checks_whether_they_can_bid(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    assert world.provider is not None and world.organisation is not None
    merseyside_digital(world.provider, OrganisationRole.MEMBER)

    # Anyone can read the policy.
    visit(page, "/c/knowsley/spend-policy/")
    expect_heading(page, "Local spend policy")
    # The bands' table by its caption: the thresholds' table follows it when the reference data is there
    # (a transactional test before this one may have flushed it), so "the table" is not one.
    bands = page.get_by_role("table", name=re.compile("^Value bands in force"))
    expect(bands).to_contain_text("reserved for organisations based in Knowsley")

    sign_in_as(page, world.provider)
    visit(page, "/c/knowsley/spend-policy/")
    page.get_by_label("Estimated value of the contract").fill("20,000")
    page.get_by_label("Your organisation").select_option(label=world.organisation.name)
    go(page, page.get_by_role("button", name="Check"))
    main = page.get_by_role("main")
    expect(main).to_contain_text("Intermediate value (£5,000 to under £181,000)")
    expect(main).to_contain_text(f"{world.organisation.name} can bid for an opportunity worth £20,000")

    page.get_by_label("Your organisation").select_option(label="Merseyside Digital Ltd")
    go(page, page.get_by_role("button", name="Check"))
    expect(main).to_contain_text("Merseyside Digital Ltd cannot bid for an opportunity worth £20,000")
    expect(main).to_contain_text(
        "Your organisation's registered postcode L2 2HF is not in Knowsley Council's local area"
    )
    expect(main).to_contain_text("As it is, your organisation can bid for opportunities worth £181,000 or more.")

    # A value that is not an amount is explained beside the field.
    page.get_by_label("Estimated value of the contract").fill("a lot")
    go(page, page.get_by_role("button", name="Check"))
    assert page.title().startswith("Error:")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the estimated value of the contract")
