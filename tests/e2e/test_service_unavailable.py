"""The page shown while the database is away (commissioning.errors.service_unavailable): a GOV.UK
"Sorry, the service is unavailable" page that meets WCAG 2.2 AA. tests/workers/test_database_outage.py
shows a real server answering with it during an outage; here the browser checks the page itself."""

from __future__ import annotations

from django.test import RequestFactory
from playwright.sync_api import Page, Route, expect

from commissioning.errors import service_unavailable
from tests.e2e.conftest import expect_heading, visit


def test_the_service_unavailable_page_is_a_govuk_page(page: Page, db: None) -> None:
    answer = service_unavailable(RequestFactory().get("/"))
    assert answer.status_code == 503 and answer["Retry-After"] == "30"

    def fulfil(route: Route) -> None:
        route.fulfill(status=503, body=answer.content, content_type=answer["Content-Type"])

    page.route("**/test-503/", fulfil)
    visit(page, "/test-503/")  # checked with axe
    expect_heading(page, "Sorry, the service is unavailable")
    expect(page.get_by_role("main")).to_contain_text("Try again later")
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"  # the GOV.UK stylesheet loaded


def test_the_health_page_shows_an_outbox_that_holds_tasks_back(page: Page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from django.utils import timezone

    from commissioning import health
    from commissioning.models import OutboxMessage
    from commissioning.tasks import send_invitation_email
    from commissioning.tenancy import council_scope
    from tests.e2e.conftest import log_in
    from tests.factories import PASSWORD, UserFactory, council_with_people, give_totp

    for name in ("check_broker", "check_worker"):  # only the outbox is under test
        monkeypatch.setattr(health, name, lambda: "answered")
    world = council_with_people(slug="knowsley", up_to="people")
    with council_scope(world.council):
        OutboxMessage.objects.create(
            council=world.council,
            task=send_invitation_email.name,
            created_at=timezone.now() - timedelta(minutes=3),
        )
    staff = UserFactory(email="platform.staff@example.org", is_staff=True, is_superuser=True)
    log_in(page, staff.email, PASSWORD, totp_secret=give_totp(staff))
    visit(page, "/health/")  # checked with axe
    expect_heading(page, "Service health")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Warning")
    expect(main.get_by_role("row", name="Outbox")).to_contain_text("1 task waiting for the broker")
