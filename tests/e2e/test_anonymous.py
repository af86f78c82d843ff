"""Someone who has not signed in: the public pages, and what they say when a page is missing."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import expect_heading, go, visit
from tests.factories import EVERYTHING, council_with_people


def test_anyone_can_read_the_public_pages(page: Page) -> None:
    council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)

    # The home page lists the councils' portals and offers to sign in.
    visit(page, "/")
    expect_heading(page, "Collaborative commissioning")
    account = page.get_by_role("navigation", name="Account", exact=True)
    expect(account.get_by_role("link", name="Sign in")).to_be_visible()
    # The GOV.UK styles really apply (not unstyled HTML): the body has no margin and the start
    # "button" (a link) has a filled background.
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
    start = page.get_by_role("button", name="Sign in")
    assert start.evaluate("e => getComputedStyle(e).backgroundColor") not in {"rgba(0, 0, 0, 0)", "transparent"}

    # A council's public portal, reached from the home page.
    go(page, page.get_by_role("link", name="Knowsley Council"))
    assert page.url.endswith("/c/knowsley/")
    expect_heading(page, "Opportunities to provide services")
    expect(page.get_by_role("banner")).to_contain_text("Knowsley Council")
    # The audit trail's published head, for anyone to keep a copy of.
    fingerprint = page.get_by_role("region", name="Audit trail fingerprint")
    expect(fingerprint).to_contain_text("verify_audit --council knowsley")

    # The statements every public service must publish, from the footer.
    footer = page.get_by_role("contentinfo")
    go(page, footer.get_by_role("link", name="Accessibility statement"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accessibility")
    go(page, page.get_by_role("contentinfo").get_by_role("link", name="Privacy notice"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Privacy")

    # Creating an account and signing in.
    go(page, page.get_by_role("navigation", name="Account", exact=True).get_by_role("link", name="Create an account"))
    assert "/accounts/signup/" in page.url
    go(page, page.get_by_role("navigation", name="Account", exact=True).get_by_role("link", name="Sign in"))
    expect_heading(page, "Sign in")

    # A page that does not exist says so, with a 404.
    response = visit(page, "/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_contain_text("not found", ignore_case=True)
