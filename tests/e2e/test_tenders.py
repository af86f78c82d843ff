"""A commissioner creates a tender from the decided commission, sets its timetable and evaluation model."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from commissioning.models import Commission, Role
from commissioning.tenancy import council_scope
from tests.e2e.conftest import expect_heading, fill_date, go, visit
from tests.e2e.journeys import expect_success, open_from_menu, sign_in_as
from tests.factories import EVERYTHING, commission_in, council_with_people


def test_a_commissioner_creates_a_tender_with_its_timetable_and_evaluation_model(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    commissioner = world.people[Role.COMMISSIONER]
    with council_scope(world.council):
        commission: Commission = commission_in(world.council, by=commissioner, decision="contract")
    sign_in_as(page, commissioner)

    visit(page, f"/c/knowsley/commissions/{commission.pk}/")
    expect_heading(page, "Community navigation service")
    go(page, page.get_by_role("link", name="Create a tender"))
    expect_heading(page, "Create a tender")
    expect(page.get_by_label("Estimated value")).to_have_value("180,000")
    go(page, page.get_by_role("button", name="Create the tender"))
    expect_heading(page, "Community navigation service")
    main = page.get_by_role("main")
    expect(main).to_contain_text(
        "Band: Intermediate value. This opportunity is reserved for organisations based in Knowsley"
    )
    expect(main.locator(".govuk-tag")).to_have_text("Draft")

    go(page, page.get_by_role("link", name="Change the clarification deadline"))
    expect_heading(page, "Set the timetable")
    fill_date(page, "Clarification deadline", "2026-12-11T12:00")
    fill_date(page, "Submission deadline", "2027-01-08T12:00")
    fill_date(page, "Planned award date", "2027-02-15")
    go(page, page.get_by_role("button", name="Save the timetable"))
    main = page.get_by_role("main")
    expect(main).to_contain_text("11 December 2026, 12:00")
    expect(main).to_contain_text("8 January 2027, 12:00")
    expect(main).to_contain_text("ending on Wednesday 24 February 2027")

    go(page, page.get_by_role("link", name="Set the evaluation model"))
    expect_heading(page, "Evaluation model")
    rows = [("Quality", "Quality", "50"), ("Price", "Price", "30")]
    for number, (title, kind, weight) in enumerate(rows, start=1):
        group = page.get_by_role("group", name=f"Criterion {number}")
        group.get_by_label("Name").fill(title)
        group.get_by_label("Kind").select_option(label=kind)
        group.get_by_label("Weight, in percent of the whole score").fill(weight)
    page.get_by_label("Why these weights").fill("Quality matters most to residents; price keeps it affordable.")
    go(page, page.get_by_role("button", name="Save the evaluation model"))
    assert page.title().startswith("Error:"), page.title()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The weights add up to 80%: they must add up to exactly 100%")
    expect(summary).to_contain_text("Social value has 0% of the weight: the council's minimum is 10%")

    social = page.get_by_role("group", name="Criterion 3")
    social.get_by_label("Name").fill("Social value")
    social.get_by_label("Kind").select_option(label="Social value")
    social.get_by_label("Weight, in percent of the whole score").fill("20")
    go(page, page.get_by_role("button", name="Save the evaluation model"))
    expect_heading(page, "Community navigation service")
    expect_success(page, "Evaluation model saved")
    table = page.get_by_role("table").last
    expect(table).to_contain_text("Social value")
    expect(table).to_contain_text("20%")

    open_from_menu(page, "Tenders")
    expect_heading(page, "Tenders")
    expect(page.get_by_role("main")).to_contain_text("Community navigation service")
