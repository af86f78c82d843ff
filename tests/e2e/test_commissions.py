"""A commissioner opens a commission, records the options appraisal and decides; an admin grows the framework."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from commissioning.models import AuditEvent, Commission, Role
from commissioning.tenancy import council_scope
from tests.e2e.conftest import expect_heading, go
from tests.e2e.journeys import expect_success, open_from_menu, sign_in_as
from tests.factories import EVERYTHING, council_with_people

REASON = "Residents trust community organisations more than the council for this help, and they run the venues."


def test_a_commissioner_opens_a_commission_appraises_the_options_and_decides_contract(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    commissioner = world.people[Role.COMMISSIONER]
    sign_in_as(page, commissioner)
    expect_heading(page, "What needs your attention")

    open_from_menu(page, "Commissions")
    expect_heading(page, "Commissions")
    go(page, page.get_by_role("link", name="Open a commission"))
    expect_heading(page, "Open a commission")

    # First attempt: a whole-life value below the annual value
    page.get_by_label("Title").fill("Community navigation service")
    page.get_by_label("The need").fill("Help residents reach support located in their community.")
    page.get_by_label("knowsley-private-outcome").check()
    page.get_by_label("Estimated annual value").fill("60,000")
    page.get_by_label("Whole-life value").fill("18,000")
    go(page, page.get_by_role("button", name="Open the commission"))
    assert page.title().startswith("Error:"), page.title()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The whole-life value must be at least the estimated annual value")
    expect(page.get_by_label("Whole-life value")).to_have_class(re.compile(r"govuk-input--error"))
    expect(page.get_by_label("Estimated annual value")).to_have_value("60,000")
    expect(page.get_by_label("knowsley-private-outcome")).to_be_checked()

    page.get_by_label("Whole-life value").fill("180000")
    go(page, page.get_by_role("button", name="Open the commission"))
    expect_heading(page, "Community navigation service")
    main = page.get_by_role("main")
    expect(main).to_contain_text("£60,000")
    expect(main).to_contain_text("£180,000")
    expect(main).to_contain_text("Record the options appraisal decision first")
    expect(main.get_by_role("row").nth(1)).to_contain_text("In-house delivery")

    # The appraisal: in-house is pre-selected; a contract needs a reason saying why not in-house
    go(page, main.get_by_role("link", name="Record the options appraisal"))
    expect_heading(page, "Options appraisal")
    expect(page.get_by_role("radio", name="In-house delivery")).to_be_checked()
    page.get_by_role("textbox", name="In-house delivery (optional)").fill(
        "We would need to recruit and train navigators."
    )
    page.get_by_role("textbox", name="Contract (optional)").fill("Local VCSE groups can bid.")
    go(page, page.get_by_role("button", name="Save notes"))
    expect_success(page, "Appraisal notes saved")

    page.get_by_role("radio", name="Contract").check()
    page.get_by_label("Reason for the decision").fill("Better value.")
    go(page, page.get_by_role("button", name="Record the decision"))
    assert page.title().startswith("Error:"), page.title()
    expect(page.locator(".govuk-error-summary")).to_contain_text("in at least 20 characters")
    expect(page.get_by_role("radio", name="Contract")).to_be_checked()

    page.get_by_label("Reason for the decision").fill(REASON)
    go(page, page.get_by_role("button", name="Record the decision"))
    expect_heading(page, "Community navigation service")
    main = page.get_by_role("main")
    expect(main).to_contain_text("You can now create a tender.")
    expect(main).to_contain_text(REASON)
    expect(main).to_contain_text(commissioner.name)
    expect(main).to_contain_text("We would need to recruit and train navigators.")

    with council_scope(world.council):
        commission = Commission.objects.get(council=world.council, title="Community navigation service")
        assert commission.decision == "contract"
        actions = set(
            AuditEvent.objects.filter(council=world.council, object_id=str(commission.pk)).values_list(
                "action", flat=True
            )
        )
    assert actions >= {"commission.created", "commission.decided"}


def test_an_admin_adds_an_outcome_and_an_indicator_to_the_framework(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    admin = world.people[Role.ADMIN]
    sign_in_as(page, admin)
    open_from_menu(page, "Outcomes")
    expect_heading(page, "Outcomes framework")
    go(page, page.get_by_role("link", name="Add an outcome"))
    expect_heading(page, "Add an outcome")

    go(page, page.get_by_role("button", name="Save"))
    assert page.title().startswith("Error:")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter outcome")

    page.get_by_label("Outcome", exact=True).fill("Residents have a say in the services they use")
    page.get_by_label("Description").fill("Residents shape services through co-design and panels.")
    go(page, page.get_by_role("button", name="Save"))
    expect_heading(page, "Outcomes framework")
    expect_success(page, "added to the framework")

    go(page, page.get_by_role("link", name="Add an indicator to Residents have a say in the services they use"))
    expect_heading(page, "Add an indicator")
    page.get_by_label("Indicator").fill("Residents involved in designing services")
    page.get_by_label("How it is measured").fill("number of residents a year")
    go(page, page.get_by_role("button", name="Save"))
    section = page.get_by_role("region", name="Residents have a say in the services they use")
    expect(section).to_contain_text("Residents involved in designing services")
    expect(section).to_contain_text("number of residents a year")
