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
