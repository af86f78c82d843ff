"""The officer reads the audit trail in words: before the deadline a bidder's activity is one sealed
line; after it, who did what ("Quilla Sealedbidder knowsley submitted a bid")."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from commissioning.models import Role
from tests.e2e.conftest import expect_heading, go, visit
from tests.e2e.journeys import sign_in_as
from tests.factories import EVERYTHING, council_with_people
from tests.tenders.test_opening import open_bids
from tests.tenders.test_sealed import sealed_bidder


def test_the_officer_reads_sealed_bid_events_only_after_the_deadline(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    bidder = sealed_bidder(world)
    officer = world.people[Role.OFFICER]
    sign_in_as(page, officer)

    visit(page, "/c/knowsley/dashboard/")
    recent = page.get_by_role("heading", name="Recent activity").locator("xpath=..")
    expect(recent).to_contain_text("sealed bid events, shown after the deadline")
    go(page, page.get_by_role("link", name="Full audit trail"))
    expect_heading(page, "Audit trail")
    table = page.get_by_role("table")
    expect(table).to_contain_text("9 sealed bid events, shown after the deadline")
    expect(table).not_to_contain_text(bidder.person.name)
    expect(table).not_to_contain_text(bidder.organisation.name)

    open_bids(world)
    visit(page, "/c/knowsley/audit/?page=1")  # a new address, so this page is checked and pictured too
    table = page.get_by_role("table")
    expect(table).to_contain_text(f"{bidder.person.name} submitted a bid")
    expect(table).to_contain_text(f"{bidder.person.name} withdrew a bid")
    expect(table).not_to_contain_text("sealed bid events")
    # Filter by what happened, in words.
    visit(page, "/c/knowsley/audit/")
    page.get_by_text("Filter events").click()
    page.get_by_label("Action").select_option(label="Withdrew a bid")
    go(page, page.get_by_role("button", name="Apply filters"))
    expect(page.get_by_role("table")).to_contain_text(f"{bidder.person.name} withdrew a bid")
    expect(page.get_by_role("table")).not_to_contain_text("submitted a bid")
