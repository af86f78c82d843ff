"""Before the deadline the commissioner sees only how many bids arrived; after it, they open the bids,
read one, and mark it non-compliant with a reason."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders.models import Bid, Compliance
from tests.e2e.conftest import expect_heading, go, visit
from tests.e2e.journeys import expect_success, sign_in_as
from tests.factories import EVERYTHING, council_with_people
from tests.tenders.test_opening import add_bids, open_bids, published_tender


def test_the_commissioner_opens_the_bids_after_the_deadline(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    commissioner = world.people[Role.COMMISSIONER]
    tender = published_tender(world)
    sign_in_as(page, commissioner)

    # Sealed: the count and when they open, nothing else.
    visit(page, f"/c/knowsley/tenders/{tender.pk}/")
    expect(page.get_by_role("main")).to_contain_text("Bids open at")
    visit(page, f"/c/knowsley/tenders/{tender.pk}/bids/")
    expect_heading(page, "Bids are sealed")
    expect(page.get_by_role("main")).to_contain_text("1 bid received")
    expect(page.get_by_role("main")).not_to_contain_text("Knowsley Community Trust")

    # The deadline passes.
    open_bids(world)
    visit(page, f"/c/knowsley/tenders/{tender.pk}/")
    go(page, page.get_by_role("link", name="Open the bids (1 received)"))
    expect_heading(page, "Bids received")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Knowsley Community Trust")
    expect(table).to_contain_text("Not checked")

    go(page, table.get_by_role("link", name="Knowsley Community Trust"))
    expect_heading(page, "Bid from Knowsley Community Trust")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="How will you reach residents?")).to_be_visible()
    expect(main).to_contain_text("knowsley-private-bid-answer: we are a Knowsley charity with local navigators.")
    expect(main).to_contain_text("knowsley-private local jobs")
    expect(main.get_by_role("link", name="knowsley-private-safeguarding.pdf").first).to_be_visible()

    # Non-compliant without a reason: the error is next to the field, the choice is kept.
    page.get_by_label("Non-compliant: the bid will not be evaluated").check()
    go(page, page.get_by_role("button", name="Save the decision"))
    assert page.title().startswith("Error:"), page.title()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason the bid is not compliant")
    next_to_field = page.locator(".govuk-form-group--error .govuk-error-message")
    expect(next_to_field).to_contain_text("Enter the reason the bid is not compliant")
    expect(page.get_by_label("Non-compliant: the bid will not be evaluated")).to_be_checked()

    page.get_by_label("Reason").fill("The conflicts declaration is not signed by a trustee.")
    go(page, page.get_by_role("button", name="Save the decision"))
    expect_success(page, "Compliance recorded for the bid from Knowsley Community Trust")
    expect(page.get_by_role("main")).to_contain_text("The conflicts declaration is not signed by a trustee.")

    go(page, page.get_by_role("link", name="Back to the bids received"))
    expect(page.get_by_role("table")).to_contain_text("Non-compliant")
    with council_scope(world.council):
        bid = Bid.objects.get(council=world.council, tender=tender)
    assert bid.compliance == Compliance.NON_COMPLIANT


def test_the_officer_pages_through_the_bids(page: Page, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tenders.views.opening.BIDS_PAGE", 2)  # 5 bids: 3 pages
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    tender = open_bids(world)
    extra = add_bids(world, 4)
    sign_in_as(page, world.people[Role.OFFICER])

    visit(page, f"/c/knowsley/tenders/{tender.pk}/bids/")
    expect_heading(page, "Bids received")
    assert page.title().startswith("Bids received (page 1 of 3)"), page.title()
    table = page.get_by_role("table")
    expect(table).to_contain_text("5 bids received")
    expect(table).to_contain_text("Knowsley Community Trust")
    pages = page.get_by_role("navigation", name="Pages of bids")
    expect(pages.get_by_role("link", name="Page 1")).to_have_attribute("aria-current", "page")

    go(page, pages.get_by_role("link", name="Next page"))
    assert page.title().startswith("Bids received (page 2 of 3)"), page.title()
    expect(page.get_by_role("table")).to_contain_text(extra[1].organisation.name)
    expect(page.get_by_role("table")).not_to_contain_text("Knowsley Community Trust")

    go(page, page.get_by_role("navigation", name="Pages of bids").get_by_role("link", name="Page 3"))
    expect(page.get_by_role("table")).to_contain_text(extra[3].organisation.name)
    expect(page.get_by_role("navigation", name="Pages of bids").get_by_role("link", name="Next page")).to_have_count(0)

    # A page that is not there: the nearest one, saying so.
    visit(page, f"/c/knowsley/tenders/{tender.pk}/bids/?page=7")
    expect(page.get_by_role("main")).to_contain_text("There is no page “7” of bids: this is page 3 of 3.")

    go(page, page.get_by_role("table").get_by_role("link", name=extra[3].organisation.name))
    expect_heading(page, f"Bid from {extra[3].organisation.name}")
