"""Each council role signs in, finds their dashboard, sees what their role allows, and signs out."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from commissioning.models import Role
from tests.e2e.conftest import expect_heading, go, log_in, log_out, totp_secret_of, visit
from tests.factories import EVERYTHING, PASSWORD, council_with_people

# Which service navigation links each role has (README, "Roles and permissions").
NAVIGATION = {
    Role.ADMIN: {"Members": True, "Audit trail": True, "Settings": True},
    Role.COMMISSIONER: {"Members": False, "Audit trail": False, "Settings": False},
    Role.EVALUATOR: {"Members": False, "Audit trail": False, "Settings": False},
    Role.OFFICER: {"Members": False, "Audit trail": True, "Settings": False},
    Role.CITIZEN: {"Members": False, "Audit trail": False, "Settings": False},
}


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_a_council_member_signs_in_works_on_their_dashboard_and_signs_out(page: Page, role: Role) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    person = world.people[role]
    # council_with_people gives staff roles an authenticator app; citizens need none.
    secret = totp_secret_of(person)
    assert (secret is None) == (role == Role.CITIZEN)

    # After signing in, someone with one council is sent from / straight to its dashboard.
    log_in(page, person.email, PASSWORD, totp_secret=secret)
    assert page.url.endswith("/c/knowsley/dashboard/"), page.url
    expect_heading(page, "What needs your attention")
    main = page.get_by_role("main")
    expect(main).to_contain_text(role.label)

    # The header says which council this is, and the person's role in it.
    banner = page.get_by_role("banner")
    expect(banner).to_contain_text("You are in: Knowsley Council")
    expect(banner).to_contain_text(f"Your role is: {role.label}")

    # The service navigation offers what the role allows, and nothing more.
    menu = page.get_by_role("navigation", name="Menu", exact=True)
    expect(menu.get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")
    for text, allowed in NAVIGATION[role].items():
        expect(menu.get_by_role("link", name=text, exact=True)).to_have_count(1 if allowed else 0)

    if role == Role.ADMIN:
        expect(main.get_by_role("heading", name="Council admin")).to_be_visible()
        go(page, menu.get_by_role("link", name="Members", exact=True))
        expect_heading(page, "Members")
        expect(page.get_by_role("table").first).to_contain_text(world.people[Role.CITIZEN].email)
        go(page, menu.get_by_role("link", name="Audit trail", exact=True))
        expect_heading(page, "Audit trail")
        go(page, menu.get_by_role("link", name="Settings", exact=True))
        expect_heading(page, "Council settings")
        expect(page.get_by_label("Display name")).to_have_value("Knowsley Council")
    else:
        expect(main.get_by_role("heading", name="Council admin")).to_have_count(0)
    if role == Role.OFFICER:
        go(page, menu.get_by_role("link", name="Audit trail", exact=True))
        expect_heading(page, "Audit trail")
    if role == Role.CITIZEN:
        # Typing the address of an admin page does not help: the page says why not.
        response = visit(page, "/c/knowsley/members/")
        assert response is not None and response.status == 403
        expect_heading(page, "You do not have permission to view this page")

    log_out(page)
    assert urlsplit(page.url).path == "/"
    expect_heading(page, "Collaborative commissioning")
    # Signed out for real: the server sends the dashboard's address to the sign-in page.
    response = page.request.get("/c/knowsley/dashboard/", max_redirects=0)
    assert response.status == 302 and "/accounts/login/" in response.headers["location"]
