"""A council admin invites a new member from the Members page."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from commissioning.models import Role
from tests.e2e.conftest import expect_heading, go
from tests.e2e.journeys import expect_success, open_from_menu, sign_in_as
from tests.factories import EVERYTHING, council_with_people


def test_an_admin_invites_someone_and_sees_the_invitation_pending(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    admin = world.people[Role.ADMIN]
    sign_in_as(page, admin)
    expect_heading(page, "What needs your attention")

    open_from_menu(page, "Members")
    expect_heading(page, "Members")
    go(page, page.get_by_role("link", name="Invite someone"))
    expect_heading(page, "Invite someone")

    # An address that is not one is refused, with the GOV.UK error summary.
    page.get_by_label("Email address").fill("not-an-email")
    page.get_by_role("radio", name="Evaluator").check()
    go(page, page.get_by_role("button", name="Send invitation"))
    assert page.title().startswith("Error:"), page.title()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter a valid email address")).to_be_visible()
    expect(page.locator("form .govuk-error-message")).to_contain_text("Enter a valid email address")
    # What was chosen is kept.
    expect(page.get_by_role("radio", name="Evaluator")).to_be_checked()

    page.get_by_label("Email address").fill("new.evaluator@knowsley.example.org")
    go(page, page.get_by_role("button", name="Send invitation"))

    expect_heading(page, "Members")
    expect_success(page, "Invitation sent to new.evaluator@knowsley.example.org")
    row = page.get_by_role("row", name="new.evaluator@knowsley.example.org")
    expect(row).to_contain_text("Evaluator")
    expect(row.locator(".govuk-tag")).to_have_text("Pending")
