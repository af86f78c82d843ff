"""A provider pages through the finder (open opportunities by default, next and previous pages,
closed ones on request), and anyone reads a council's portal with a link to the rest; a cut-short
page link gives the first page with a message. Every page is checked with axe."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import expect_heading, go, visit
from tests.e2e.journeys import sign_in_as
from tests.factories import council_with_people
from tests.tenders.test_bids_helpers import non_local_company
from tests.tenders.test_finder_scale import _add_tenders


def test_a_provider_pages_through_the_finder_and_the_portal_links_to_it(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to="published")
    _add_tenders(world, 24, closed=3)
    _, person = non_local_company()
    sign_in_as(page, person)

    visit(page, "/opportunities/")
    expect_heading(page, "Find an opportunity")
    main = page.get_by_role("main")
    expect(main).to_contain_text("25 opportunities")
    expect(main).to_contain_text("Open opportunities, closing soonest first.")
    expect(page.get_by_label("Open for bids (including those still open for questions)")).to_be_checked()
    expect(main.get_by_text("Open to you")).to_have_count(20)
    expect(main).to_contain_text("Yes: Nationwide Outsourcing plc")
    pages = page.get_by_role("navigation", name="Pages of opportunities")
    expect(pages.get_by_role("link", name="Previous page of opportunities")).to_have_count(0)

    go(page, pages.get_by_role("link", name="Next page of opportunities"))
    expect(main.get_by_text("Open to you")).to_have_count(5)
    expect(pages.get_by_role("link", name="Next page of opportunities")).to_have_count(0)
    go(page, pages.get_by_role("link", name="Previous page of opportunities"))
    expect(main.get_by_text("Open to you")).to_have_count(20)

    # Closed ones on request, most recently closed first.
    page.get_by_label("Closed", exact=True).check()
    go(page, page.get_by_role("button", name="Apply filters"))
    expect(main).to_contain_text("3 opportunities")
    expect(main).to_contain_text("Closed opportunities, most recently closed first.")

    # A page link cut short: the first page, and why.
    visit(page, "/opportunities/?after=MjAy")
    expect(main).to_contain_text("That page link was not one this site made")
    expect(main).to_contain_text("25 opportunities")

    # The council's portal shows the soonest 20 and links to the finder for the rest.
    visit(page, "/c/knowsley/")
    go(page, page.get_by_role("link", name="See all of Knowsley Council’s open opportunities"))
    expect_heading(page, "Find an opportunity")
    expect(main).to_contain_text("25 opportunities")
