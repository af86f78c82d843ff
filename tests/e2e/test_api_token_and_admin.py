"""A person's API token, shown once; platform staff reach the admin only through log-in with their code."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Page, expect
from rest_framework.test import APIClient

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tests.e2e.conftest import enter_totp_code, expect_heading, go, log_in, visit
from tests.factories import PASSWORD, CouncilFactory, MembershipFactory, UserFactory, give_totp


def test_an_officer_creates_a_token_sees_it_once_uses_it_and_revokes_it(page: Page) -> None:
    council = CouncilFactory(slug="knowsley", name="Knowsley Council")
    officer = UserFactory(email="sam.patel@knowsley.example.org", name="Sam Patel")
    with council_scope(council):
        MembershipFactory(council=council, user=officer, role=Role.OFFICER)
    log_in(page, officer.email, PASSWORD, totp_secret=give_totp(officer))

    visit(page, "/accounts/api-token/")
    expect_heading(page, "API token")
    expect(page.get_by_role("main")).to_contain_text("You do not have a token.")
    go(page, page.get_by_role("button", name="Create a token"))
    expect(page.get_by_role("status")).to_contain_text("Your new API token")
    token = page.locator("#new-api-token").inner_text().strip()
    assert len(token) == 64, token
    expect(page.get_by_role("main")).to_contain_text("it is shown only once")

    script = APIClient()  # a script with the token alone, no browser session
    me = script.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200 and me.json()["email"] == officer.email

    go(page, page.get_by_role("link", name="I have copied my token"))
    main = page.get_by_role("main")
    expect(main).to_contain_text("Works until")
    expect(main).not_to_contain_text(token)
    go(page, page.get_by_role("button", name="Revoke token"))
    expect(page.get_by_role("main")).to_contain_text("Your API token has been revoked")
    expect(page.get_by_role("main")).to_contain_text("You do not have a token.")
    assert script.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401


def test_platform_staff_reach_the_admin_only_with_their_code(page: Page) -> None:
    staff = UserFactory(email="platform.staff@example.org", name="Pat Platform", is_staff=True, is_superuser=True)
    secret = give_totp(staff)

    visit(page, "/platform-admin/")
    assert urlsplit(page.url).path == "/accounts/login/", page.url  # the accounts log-in, not the admin's
    expect_heading(page, "Sign in")
    page.locator("#id_login").fill(staff.email)
    page.locator("#id_password").fill(PASSWORD)
    go(page, page.get_by_role("main").get_by_role("button", name="Sign in"))
    expect_heading(page, "Enter your security code")
    # The password alone opens nothing: the admin sends them back to the code prompt.
    visit(page, "/platform-admin/")
    assert urlsplit(page.url).path == "/accounts/2fa/authenticate/", page.url
    expect_heading(page, "Enter your security code")
    enter_totp_code(page, secret, "Continue")
    assert urlsplit(page.url).path == "/platform-admin/", page.url
    expect(page.locator("body")).to_contain_text("Platform administration")
