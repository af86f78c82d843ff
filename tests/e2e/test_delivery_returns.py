"""A provider submits a delivery return with evidence; the officer queries it; the provider answers
and resubmits; the officer accepts it; the council's agreement page and the public "Social value
accounted for" page show the delivered value. Every page is axe-checked on the way."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from playwright.sync_api import Page, expect

from commissioning.models import Role
from commissioning.tenancy import council_scope
from social_value.models import DeliveryReturn, MeasureVersion, ReturnStatus
from tests.e2e.conftest import expect_heading, go, log_out, visit
from tests.e2e.journeys import expect_success, sign_in_as
from tests.factories import council_with_people
from tests.factories.social_value import PDF, agreement_with_kpis


def test_a_return_is_submitted_queried_answered_accepted_and_accounted_for(page: Page, tmp_path: Path) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to="social_value_framework")
    with council_scope(world.council):
        version = MeasureVersion.objects.get(council=world.council)
        version.proxy_value, version.proxy_source, version.proxy_year = Decimal("15.00"), "Council proxies", 2025
        version.save()
        agreement = agreement_with_kpis(
            council=world.council,
            provider=world.organisation,  # type: ignore[arg-type]
            kpis=[("Apprentices", "people", 4, None), ("", "", 100, version)],
            title="Community navigation service",
        )
        first, second = agreement.kpis.order_by("position").values_list("pk", flat=True)
    evidence = tmp_path / "timesheets.pdf"
    evidence.write_bytes(PDF)

    # The provider finds the agreement from their organisations and submits period 1 with evidence
    sign_in_as(page, world.provider)  # type: ignore[arg-type]
    visit(page, "/organisations/")
    go(page, page.get_by_role("link", name="Your agreements and social value returns"))
    expect_heading(page, "Your agreements")
    go(page, page.get_by_role("link", name="Community navigation service"))
    expect_heading(page, "Community navigation service")
    go(page, page.get_by_role("link", name="Period 1", exact=True))
    expect_heading(page, "Return for period 1")
    page.locator(f"#id_kpi_{first}").fill("2")
    page.locator(f"#id_kpi_{second}").fill("40")
    page.get_by_label("What was delivered in this period").fill("Two apprentices from Huyton started with us.")
    page.get_by_label("Add evidence").set_input_files(str(evidence))
    go(page, page.get_by_role("button", name="Submit the return"))
    expect_success(page, "Return submitted")
    expect(page.get_by_role("main")).to_contain_text("timesheets.pdf")
    log_out(page)

    # The officer queries it from the queue
    sign_in_as(page, world.people[Role.OFFICER])
    visit(page, "/c/knowsley/social-value/agreements/")
    expect_heading(page, "Agreements and social value")
    go(page, page.get_by_role("link", name="Returns to verify"))
    expect_heading(page, "Returns to verify")
    go(page, page.get_by_role("link", name="Community navigation service, period 1"))
    expect_heading(page, "Return for period 1")
    page.get_by_label("Query: ask the provider a question").check()
    page.get_by_label("Your question or reason").fill("Were both apprentices Knowsley residents?")
    go(page, page.get_by_role("button", name="Record the decision"))
    expect_success(page, "Query sent")
    log_out(page)

    # The provider answers, changing nothing but the answer, and resubmits
    sign_in_as(page, world.provider)  # type: ignore[arg-type]
    visit(page, f"/c/knowsley/social-value/your-agreements/{agreement.pk}/returns/1/")
    expect(page.get_by_role("main")).to_contain_text("Were both apprentices Knowsley residents?")
    page.get_by_label("Your answer to the council's question").fill("Yes: both live in Huyton.")
    go(page, page.get_by_role("button", name="Answer and resubmit"))
    expect_success(page, "Return submitted")
    log_out(page)

    # The officer accepts it; the agreement page shows the verified figures
    sign_in_as(page, world.people[Role.OFFICER])
    visit(page, "/c/knowsley/social-value/returns/")
    go(page, page.get_by_role("link", name="Community navigation service, period 1"))
    expect(page.get_by_role("main")).to_contain_text("Yes: both live in Huyton.")
    page.get_by_label("Accept: the figures are verified").check()
    go(page, page.get_by_role("button", name="Record the decision"))
    expect_success(page, "Return accepted")
    visit(page, f"/c/knowsley/social-value/agreements/{agreement.pk}/")
    kpis = page.get_by_role("table", name="Social value KPIs: committed and delivered")
    expect(kpis.get_by_role("row", name="Apprentices")).to_contain_text("2 people")
    expect(kpis.get_by_role("row", name="Apprentices")).to_contain_text("100%")
    with council_scope(world.council):
        assert DeliveryReturn.objects.get(agreement=agreement, period=1).status == ReturnStatus.ACCEPTED
    log_out(page)

    # The public sees the story first, then the figures, with £ only where a proxy exists
    visit(page, "/c/knowsley/social-value/accounted-for/")
    expect_heading(page, "Social value accounted for")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Two apprentices from Huyton started with us.")
    expect(main).to_contain_text("2 people")
    expect(main).to_contain_text("£600")
    expect(main).to_contain_text("Council proxies, 2025")
