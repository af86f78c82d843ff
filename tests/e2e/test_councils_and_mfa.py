"""People who work for two councils, and staff who have not set up two-factor authentication yet."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tests.e2e.conftest import enter_totp_code, expect_heading, go, log_in, visit
from tests.factories import PASSWORD, CouncilFactory, MembershipFactory, UserFactory, give_totp


def test_someone_in_two_councils_chooses_one_then_switches_to_the_other(page: Page) -> None:
    knowsley = CouncilFactory(slug="knowsley", name="Knowsley Council")
    southwark = CouncilFactory(slug="southwark", name="Southwark Council", colour="#1d4f91")
    CouncilFactory(slug="elsewhere", name="Elsewhere Council")
    morgan = UserFactory(email="morgan@example.org", name="Morgan Shared")
    with council_scope(knowsley):
        MembershipFactory(council=knowsley, user=morgan, role=Role.COMMISSIONER)
    with council_scope(southwark):
        MembershipFactory(council=southwark, user=morgan, role=Role.OFFICER)
    secret = give_totp(morgan)

    # With two councils there is no single place to go: the home page offers the list.
    log_in(page, "morgan@example.org", PASSWORD, totp_secret=secret)
    assert urlsplit(page.url).path in {"/", "/councils/"}, page.url
    if urlsplit(page.url).path == "/":
        go(page, page.get_by_role("main").get_by_role("link", name="Your councils"))
    expect_heading(page, "Your councils")
    councils = page.get_by_role("main").get_by_role("listitem")
    expect(councils).to_have_count(2)
    expect(councils.nth(0)).to_contain_text("Knowsley Council")
    expect(councils.nth(0)).to_contain_text("Commissioner")
    expect(councils.nth(1)).to_contain_text("Southwark Council")
    expect(councils.nth(1)).to_contain_text("Officer")
    expect(page.get_by_role("main")).not_to_contain_text("Elsewhere Council")

    go(page, page.get_by_role("link", name="Knowsley Council"))
    assert urlsplit(page.url).path == "/c/knowsley/dashboard/"
    banner = page.get_by_role("banner")
    expect(banner).to_contain_text("You are in: Knowsley Council")
    expect(banner).to_contain_text("Your role is: Commissioner")

    go(page, banner.get_by_role("link", name="Switch council"))
    expect_heading(page, "Your councils")
    go(page, page.get_by_role("link", name="Southwark Council"))
    assert urlsplit(page.url).path == "/c/southwark/dashboard/"
    banner = page.get_by_role("banner")
    expect(banner).to_contain_text("You are in: Southwark Council")
    expect(banner).to_contain_text("Your role is: Officer")
    expect(banner).not_to_contain_text("Knowsley")
    expect_heading(page, "What needs your attention")

    # A council Morgan does not belong to is not there at all (404, not 403: existence stays private).
    response = visit(page, "/c/elsewhere/dashboard/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")


def test_staff_without_an_authenticator_must_set_one_up_before_any_council_page(page: Page) -> None:
    council = CouncilFactory(slug="knowsley", name="Knowsley Council")
    newcomer = UserFactory(email="new.evaluator@knowsley.example.org", name="Nia Newcomer")
    with council_scope(council):
        MembershipFactory(council=council, user=newcomer, role=Role.EVALUATOR)

    # No authenticator yet, so no code prompt; the council page sends them to set one up.
    log_in(page, "new.evaluator@knowsley.example.org", PASSWORD)
    # Having just signed in, they are not asked for their password again (AccountAdapter).
    assert urlsplit(page.url).path == "/accounts/2fa/totp/activate/", page.url
    expect_heading(page, "Set up an authenticator app")
    expect(page.get_by_role("img", name="QR code", exact=False)).to_be_visible()

    # The secret key is shown as text for people who cannot scan the QR code.
    secret = "".join(page.locator("code.app-secret").inner_text().split())
    assert len(secret) >= 16, secret
    enter_totp_code(page, secret, "Turn on two-factor authentication")
    assert urlsplit(page.url).path == "/accounts/2fa/recovery-codes/", "the code was not accepted"
    expect_heading(page, "Recovery codes")
    expect(page.get_by_label("Your unused codes")).not_to_be_empty()

    # "Continue" leads back to the council page they were going to; now it opens.
    go(page, page.get_by_role("link", name="Continue"))
    assert urlsplit(page.url).path == "/c/knowsley/dashboard/"
    expect_heading(page, "What needs your attention")
    expect(page.get_by_role("main")).to_contain_text("Evaluator")
    expect(page.get_by_role("main")).not_to_contain_text("Your roles need two-factor authentication")
