"""The award, end to end: the commissioner recommends the top-ranked bid, an officer approves it, the
award notice is public (and on the council portal's "Recent awards"), a losing bidder reads their
assessment summary and challenges, the standstill ends, and the officer enters the contract, which
shows its social value KPIs."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from commissioning.tenancy import council_scope
from tenders.models import AwardNotice
from tests.e2e.conftest import expect_heading, fill_date, go, log_out, visit
from tests.e2e.journeys import expect_success, sign_in_as
from tests.factories import council_with_people
from tests.factories.award_world import award_world


def test_recommend_approve_read_the_summary_and_enter_the_contract(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to="policies")
    with council_scope(world.council):
        aw = award_world(world)
    tender, winner, loser = aw.tender, aw.organisations[0].name, aw.organisations[2]

    # The commissioner recommends the top-ranked bid: it is chosen, no reason needed.
    sign_in_as(page, aw.commissioner)
    visit(page, f"/c/knowsley/tenders/{tender.pk}/")
    go(page, page.get_by_role("link", name="Recommend and approve the award"))
    expect_heading(page, "Award")
    expect(page.get_by_role("table")).to_contain_text(winner)
    go(page, page.get_by_role("link", name="Recommend the award of Whole borough"))
    expect_heading(page, "Recommend the award")
    expect(page.get_by_label(f"{winner}: rank 1", exact=False)).to_be_checked()
    go(page, page.get_by_role("button", name="Save the recommendation"))
    expect_success(page, "Recommendation saved")
    log_out(page)

    # An officer who did not evaluate approves: the notice is published.
    sign_in_as(page, aw.officer)
    visit(page, f"/c/knowsley/tenders/{tender.pk}/award/")
    go(page, page.get_by_role("link", name="Decide the recommendation for Whole borough"))
    expect_heading(page, "Decide the award")
    page.get_by_label("Approve the award and publish the award notice").check()
    go(page, page.get_by_role("button", name="Save the decision"))
    expect_success(page, "Award approved")
    expect(page.get_by_role("main")).to_contain_text("working days, ending on")
    go(page, page.get_by_role("link", name="The public award notice"))
    expect_heading(page, f"Award notice: {tender.title}")
    expect(page.get_by_role("main")).to_contain_text(winner)
    expect(page.get_by_role("main")).to_contain_text("£80,000")
    log_out(page)

    # Anyone reads the award on the council's portal, under "Recent awards", and follows it.
    visit(page, "/c/knowsley/")
    expect(page.get_by_role("heading", name="Recent awards")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(f"Awarded to {winner} for £80,000")
    go(page, page.get_by_role("link", name=f"{tender.title}: Whole borough"))
    expect_heading(page, f"Award notice: {tender.title}")

    # A losing bidder reads their own assessment summary, and challenges during standstill.
    sign_in_as(page, aw.providers[2])
    visit(page, "/bids/")
    go(page, page.get_by_role("link", name="Your assessment summaries"))
    expect_heading(page, "Your assessment summaries")
    go(page, page.get_by_role("link", name=tender.title))
    expect_heading(page, f"Assessment summary: {tender.title} (Whole borough)")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Your bid was not successful")
    expect(main).to_contain_text("Rationale for bidder C")
    expect(main).to_contain_text(loser.name)
    go(page, page.get_by_role("link", name="Challenge the award"))
    expect_heading(page, "Challenge the award")
    go(page, page.get_by_role("button", name="Send the challenge"))
    assert page.title().startswith("Error:"), page.title()
    expect(page.locator(".govuk-form-group--error .govuk-error-message")).to_contain_text(
        "Enter the reasons for your challenge"
    )
    page.get_by_label("Your reasons").fill("Our social value plan was not scored against the question.")
    go(page, page.get_by_role("button", name="Send the challenge"))
    expect_success(page, "Challenge sent")
    log_out(page)

    # The standstill ends (without suspension).
    with council_scope(world.council):
        AwardNotice.objects.filter(tender=tender).update(
            published_at=timezone.now() - timedelta(days=20), standstill_end=timezone.localdate() - timedelta(days=1)
        )

    # The officer sees the challenge, could suspend, and enters the contract.
    sign_in_as(page, aw.officer)
    visit(page, f"/c/knowsley/tenders/{tender.pk}/award/")
    expect(page.get_by_role("main")).to_contain_text("Our social value plan was not scored")
    go(page, page.get_by_role("link", name="Suspend the award of Whole borough"))
    expect_heading(page, "Suspend the award")
    go(page, page.get_by_role("link", name="Back to the award"))
    go(page, page.get_by_role("link", name="Enter the contract for Whole borough"))
    expect_heading(page, "Enter the contract")
    start = date.today() + timedelta(days=30)
    fill_date(page, "Start date", start)
    fill_date(page, "End date", start + timedelta(days=730))
    go(page, page.get_by_role("button", name="Enter the contract"))
    expect_success(page, "Contract entered")
    kpis = page.get_by_role("table", name="Social value KPIs (from the winning bid's commitments)")
    expect(kpis).to_contain_text("Local volunteering hours")
    expect(kpis).to_contain_text("Local apprentices")
