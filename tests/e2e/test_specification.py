"""A commissioner drafts the tender specification in the browser: inserts a community clause, types with
autosave (htmx), saves two versions and compares them side by side."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders import services
from tenders.models import SpecificationSection, Tender
from tests.e2e.conftest import expect_heading, go, type_new_paragraph, visit
from tests.e2e.journeys import expect_success, sign_in_as, wait_until_saved
from tests.factories import EVERYTHING, council_with_people


def test_a_commissioner_drafts_the_specification_with_autosave_and_compares_versions(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    commissioner = world.people[Role.COMMISSIONER]
    with council_scope(world.council):
        tender = Tender.objects.get(council=world.council, title=f"{world.council.slug}-private-tender")
        services.clause_create(
            council=world.council,
            actor=commissioner,
            title="Located within the community",
            body="<p>The service is located within the community and fosters community connections.</p>",
        )
        section = SpecificationSection.objects.get(tender=tender)
    sign_in_as(page, commissioner)

    visit(page, f"/c/knowsley/tenders/{tender.pk}/")
    go(page, page.get_by_role("link", name="Draft the specification"))
    expect_heading(page, "Specification")
    region = page.get_by_role("region", name="1. knowsley-private-section")
    region.get_by_label("Clause to insert at the end of this section").select_option(
        label="Located within the community"
    )
    go(page, region.get_by_role("button", name="Insert clause"))
    expect_success(page, "Clause “Located within the community”")
    region = page.get_by_role("region", name="1. knowsley-private-section")
    # The rich-text editor (django-prose-editor) shows the saved HTML as formatted text.
    text = region.get_by_role("textbox", name="Text")
    expect(text).to_contain_text("knowsley-private-section-text about the service.")
    expect(text).to_contain_text("The service is located within the community and fosters community connections.")
    expect(text.locator("p")).to_have_count(2)

    # Autosave: type, wait for "Saved at", and the text is in the database without pressing anything.
    type_new_paragraph(text, "Navigators are a recognised and valued resource.")
    expect(page.locator(f"#section-{section.pk}-status")).to_contain_text("Saved at")
    wait_until_saved(page, world, section.pk, "recognised and valued resource")

    page.get_by_label("What changed in this version").fill("Community clauses")
    go(page, page.get_by_role("button", name="Save a version"))
    expect_success(page, "Version 2 saved.")

    # Typing again after a page load: the revision the page holds is current, so autosave saves again.
    text = page.get_by_role("region", name="1. knowsley-private-section").get_by_role("textbox", name="Text")
    type_new_paragraph(text, "Residents review it each year.")
    expect(page.locator(f"#section-{section.pk}-status")).to_contain_text("Saved at")
    text.press("Enter")
    text.press_sequentially("And they choose the venues.")
    wait_until_saved(page, world, section.pk, "choose the venues")
    page.get_by_label("What changed in this version").fill("Residents review it")
    go(page, page.get_by_role("button", name="Save a version"))
    expect_success(page, "Version 3 saved.")

    page.get_by_label("From", exact=True).select_option(label="Version 2")
    page.get_by_label("To", exact=True).select_option(label="Version 3")
    go(page, page.get_by_role("button", name="Compare versions"))
    expect_heading(page, "Compare version 2 with version 3")
    table = page.get_by_role("table").first
    expect(table).to_contain_text("added: Residents review it each year.")
    expect(table.locator("ins").first).to_contain_text("Residents review it each year.")
