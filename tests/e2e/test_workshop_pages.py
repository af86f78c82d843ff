"""What a room of new people meets in `make run`: GOV.UK error pages, the accounts pages (sign up with a
name, confirm the address, reset a password) and GOV.UK date inputs whose errors say which part is wrong."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core import mail
from django.template import loader
from playwright.sync_api import Page, Route, expect

from commissioning.models import Role, User
from commissioning.tenancy import council_scope
from tenders.models import Tender
from tests.e2e.conftest import expect_heading, fill_date, go, log_in, log_out, visit
from tests.e2e.journeys import sign_in_as
from tests.factories import EVERYTHING, council_with_people

NEW_PASSWORD = "a-long-new-password-2027"


def _link_in_last_email() -> str:
    found = re.search(r"https?://\S+", mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(0)


def _serve(body: str, status: int) -> Callable[[Route], None]:
    def fulfil(route: Route) -> None:
        route.fulfill(status=status, body=body, content_type="text/html; charset=utf-8")

    return fulfil


def test_error_pages_are_govuk_pages(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)

    visit(page, "/no-such-page/")
    expect_heading(page, "Page not found")
    expect(page.get_by_role("link", name="Go to the Collaborative Commissioning home page")).to_be_visible()

    # A form posted after its session changed (here: the cookies cleared) is refused in words.
    visit(page, "/accounts/login/")
    page.context.clear_cookies()
    page.locator("#id_login").fill("someone@example.org")
    page.locator("#id_password").fill("whatever-it-is")
    go(page, page.get_by_role("main").get_by_role("button", name="Sign in"))
    expect_heading(page, "Sorry, we could not accept that form")
    expect(page.get_by_role("main")).to_contain_text("reload the page")

    # A council page a signed-in member may not use.
    citizen = world.people[Role.CITIZEN]
    sign_in_as(page, citizen)
    visit(page, "/c/knowsley/members/invite/")
    expect_heading(page, "You do not have permission to view this page")
    expect(page.get_by_role("main")).to_contain_text(f"You are signed in as {citizen.email}")

    # The 500 and 400 pages are rendered without the database or the request: served as they are.
    for path, template, heading in (
        ("/test-500/", "500.html", "Sorry, there is a problem with the service"),
        ("/test-400/", "400.html", "Sorry, there is a problem with this request"),
    ):
        page.route(f"**{path}", _serve(loader.get_template(template).render(), int(template[:3])))
        visit(page, path)
        expect_heading(page, heading)
        # Styled: the GOV.UK stylesheet loaded (whitenoise serves it with DEBUG off).
        assert page.evaluate("getComputedStyle(document.body).margin") == "0px"


def test_a_new_person_signs_up_with_their_name_confirms_and_resets_the_password(  # type: ignore[no-untyped-def]
    page: Page, settings, live_server
) -> None:
    # The e-mails' links must lead to where the site is served: here, the test's live server.
    settings.SITE_URL = live_server.url
    council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    visit(page, "/")
    go(page, page.get_by_role("navigation", name="Account", exact=True).get_by_role("link", name="Create an account"))
    expect_heading(page, "Create an account")
    page.get_by_label("Email").fill("amira.hassan@example.org")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Password (again)").fill(NEW_PASSWORD)
    go(page, page.get_by_role("button", name="Create account"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter your full name")
    # Nothing typed is lost.
    expect(page.get_by_label("Email")).to_have_value("amira.hassan@example.org")
    page.get_by_label("Full name").fill("Amira Hassan")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Password (again)").fill(NEW_PASSWORD)
    go(page, page.get_by_role("button", name="Create account"))
    expect_heading(page, "Check your email")

    message = mail.outbox[-1]
    assert message.subject == "[Collaborative Commissioning] Confirm your email address"
    assert "Hello from" not in message.body and "127.0.0.1:8000" not in message.body
    link = _link_in_last_email()
    assert link.startswith(settings.SITE_URL + "/accounts/confirm-email/")
    visit(page, link)
    expect_heading(page, "Confirm your email address")
    expect(page.get_by_role("main")).to_contain_text("Amira Hassan")
    go(page, page.get_by_role("button", name="Confirm email address"))
    expect(page.get_by_role("navigation", name="Account", exact=True)).to_contain_text("amira.hassan@example.org")
    assert User.objects.get(email="amira.hassan@example.org").name == "Amira Hassan"
    log_out(page)

    visit(page, "/accounts/login/")
    go(page, page.get_by_role("link", name="Forgot your password?"))
    expect_heading(page, "Reset your password")
    page.get_by_label("Email").fill("amira.hassan@example.org")
    go(page, page.get_by_role("button", name="Send the link"))
    expect_heading(page, "Check your email")
    assert mail.outbox[-1].subject == "[Collaborative Commissioning] Reset your password"
    visit(page, _link_in_last_email())
    expect_heading(page, "Choose a new password")
    page.get_by_label("New password", exact=True).fill("another-long-password-2028")
    page.get_by_label("New password (again)").fill("another-long-password-2028")
    go(page, page.get_by_role("button", name="Save the new password"))
    expect_heading(page, "Your password has been changed")
    log_in(page, "amira.hassan@example.org", "another-long-password-2028")

    # Not a member of Knowsley: its portal does not offer the council dashboard.
    visit(page, "/c/knowsley/")
    expect(page.get_by_role("link", name="Go to the council dashboard")).to_have_count(0)


def test_dates_are_typed_in_govuk_date_inputs_and_errors_name_the_wrong_part(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    commissioner = world.people[Role.COMMISSIONER]
    with council_scope(world.council):
        tender = Tender.objects.get(council=world.council, title="knowsley-private-tender")
    sign_in_as(page, commissioner)

    # A member sees the dashboard link on the portal.
    visit(page, "/c/knowsley/")
    expect(page.get_by_role("link", name="Go to the council dashboard")).to_be_visible()

    visit(page, f"/c/knowsley/tenders/{tender.pk}/timetable/")
    expect_heading(page, "Set the timetable")
    deadline = page.get_by_role("group", name="Clarification deadline")
    deadline.get_by_label("Day", exact=True).fill("11")
    deadline.get_by_label("Year", exact=True).fill("2026")
    deadline.get_by_label("Time", exact=True).fill("12:00")
    fill_date(page, "Submission deadline", "2027-01-08T12:00")
    fill_date(page, "Planned award date", "2027-02-15")
    go(page, page.get_by_role("button", name="Save the timetable"))

    assert page.title().startswith("Error:"), page.title()
    summary = page.locator(".govuk-error-summary")
    message = "Clarification deadline must include a month"
    expect(summary.get_by_role("link", name=message)).to_be_visible()
    deadline = page.get_by_role("group", name="Clarification deadline")
    expect(deadline.locator(".govuk-error-message")).to_contain_text(message)
    # Only the month box is marked, and the summary takes you to it; what was typed is kept.
    expect(deadline.get_by_label("Month", exact=True)).to_have_class(re.compile("govuk-input--error"))
    expect(deadline.get_by_label("Day", exact=True)).not_to_have_class(re.compile("govuk-input--error"))
    expect(deadline.get_by_label("Day", exact=True)).to_have_value("11")
    summary.get_by_role("link", name=message).click()
    expect(deadline.get_by_label("Month", exact=True)).to_be_focused()

    deadline.get_by_label("Month", exact=True).fill("Dec")
    go(page, page.get_by_role("button", name="Save the timetable"))
    main = page.get_by_role("main")
    expect(main).to_contain_text("11 December 2026, 12:00")
    expect(main).to_contain_text("8 January 2027, 12:00")
    expect(main).to_contain_text("15 February 2027")
