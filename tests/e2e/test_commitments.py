"""A bidder commits to two measures of the council's social value framework (the unit comes with each) and to
another measure in its own words (revealed when chosen, required when chosen); after the deadline the
commissioner reads them as a table with totals and the indicative proxy value, the other measure flagged."""

from __future__ import annotations

import re
from decimal import Decimal

from playwright.sync_api import Page, expect

from commissioning.models import Role
from commissioning.tenancy import council_scope
from social_value import framework
from social_value.models import FrameworkOutcome, Measure
from tenders.models import Criterion, CriterionFrameworkOutcome, TenderRevision
from tenders.selectors.publication import tender_content
from tenders.services import bids as services
from tests.e2e.conftest import expect_heading, fill_date, go, log_out, visit
from tests.e2e.journeys import sign_in_as
from tests.factories import EVERYTHING, council_with_people
from tests.factories.social_value import framework_rows
from tests.tenders.test_bids_helpers import complete_changes, local_charity
from tests.tenders.test_opening import open_bids, published_tender


def _commitment(number: int) -> re.Pattern[str]:
    """The fieldset of commitment ``number`` (a row not yet saved says "(optional)")."""
    return re.compile(rf"^Commitment {number}( \(optional\))?$")


def test_a_bidder_commits_to_framework_measures_and_another_and_the_commissioner_reads_the_totals(
    page: Page,
) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    tender = published_tender(world)
    organisation, person = local_charity()
    with council_scope(world.council):
        # A measure with a proxy value, published; the social value criterion asks about its outcome.
        (proxied,) = framework_rows(council=world.council, prefix="Local", measures=1)
        Measure.objects.filter(pk=proxied.pk).update(
            proxy_value=Decimal("12.50"), proxy_source="Council study", proxy_year=2025
        )
        framework.framework_publish(council=world.council, actor=world.people[Role.ADMIN])
        criterion = Criterion.objects.get(tender=tender, kind="social_value")
        CriterionFrameworkOutcome.objects.create(
            council=world.council, criterion=criterion, outcome=FrameworkOutcome.objects.get(pk=proxied.outcome_id)
        )
        TenderRevision.objects.filter(tender=tender).update(
            evaluation_model=tender_content(tender=tender)["evaluation_model"]
        )
        bid = services.bid_start(tender=tender, organisation=organisation, actor=person)
        services.bid_draft_save(
            bid=bid, actor=person, changes={**complete_changes(tender), "commitments": []}, expected_revision=1
        )
    sign_in_as(page, person)
    visit(page, f"/c/knowsley/opportunities/{tender.pk}/")
    expect(page.get_by_role("main")).to_contain_text("Local measure 1.1.1 (in hours)")

    visit(page, f"/c/knowsley/opportunities/{tender.pk}/bid/{bid.pk}/commitments/")
    expect_heading(page, "Social value commitments")
    first = page.get_by_role("group", name=_commitment(1))
    # The framework's measures, the one asked about first; "another measure" is hidden until chosen.
    expect(first.get_by_label("Your measure")).to_be_hidden()
    first.get_by_label("Measure", exact=True).select_option(label="Local measure 1.1.1 (in hours)")
    first.get_by_label("Quantity").fill("20")
    fill_date(first, "By when", "2027-12-31")
    first.get_by_role("group", name="Will it be delivered in the council's local area?").get_by_label("Yes").check()
    go(page, page.get_by_role("button", name="Save and add another commitment"))

    second = page.get_by_role("group", name=_commitment(2))
    second.get_by_label("Measure", exact=True).select_option(label="knowsley-private-measure (in hours)")
    second.get_by_label("Quantity").fill("15")
    fill_date(second, "By when", "2028-03-31")
    second.get_by_role("group", name="Will it be delivered in the council's local area?").get_by_label("Yes").check()
    go(page, page.get_by_role("button", name="Save and add another commitment"))

    third = page.get_by_role("group", name=_commitment(3))
    third.get_by_label("Another measure").check()
    expect(third.get_by_label("Your measure")).to_be_visible()
    third.get_by_label("Your measure").fill("Fruit trees planted in Kirkby's parks")
    third.get_by_label("Quantity").fill("40")
    fill_date(third, "By when", "2028-03-31")
    third.get_by_role("group", name="Will it be delivered in the council's local area?").get_by_label("No").check()
    go(page, page.get_by_role("button", name="Save and continue"))
    # The unit of another measure is required, with or without JavaScript.
    assert page.title().startswith("Error:"), page.title()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the unit of your measure for commitment 3")
    third = page.get_by_role("group", name=_commitment(3))
    expect(third.get_by_label("Your measure")).to_have_value("Fruit trees planted in Kirkby's parks")
    third.get_by_label("Its unit").fill("trees")
    go(page, page.get_by_role("button", name="Save and continue"))
    expect_heading(page, "Your bid")
    expect(page.get_by_role("main")).to_contain_text("You have completed 5 of 5 sections")

    go(page, page.get_by_role("link", name="Check your answers and submit"))
    main = page.get_by_role("main")
    expect(main).to_contain_text("Local measure 1.1.1")
    expect(main).to_contain_text("Not in the framework")
    page.get_by_label("I confirm that the information in this bid is true and complete").check()
    go(page, page.get_by_role("button", name="Submit your bid"))
    expect(page.get_by_role("heading", name="Bid received")).to_be_visible()
    log_out(page)

    open_bids(world)
    sign_in_as(page, world.people[Role.COMMISSIONER])
    visit(page, f"/c/knowsley/tenders/{tender.pk}/bids/")
    go(page, page.get_by_role("table").get_by_role("link", name="Kirkby Community Garden"))
    expect_heading(page, "Bid from Kirkby Community Garden")
    commitments = page.get_by_role("table", name="Social value commitments")
    expect(commitments).to_contain_text("Local theme 1: Local outcome 1.1")
    expect(commitments).to_contain_text("Fruit trees planted in Kirkby's parks")
    expect(commitments).to_contain_text("Not in the framework")
    totals = page.get_by_role("table", name="Totals per measure")
    expect(totals).to_contain_text("20 hours")
    expect(totals).to_contain_text("15 hours")
    expect(totals).to_contain_text("40 trees")
    expect(totals).to_contain_text("£250")
    expect(page.locator("#proxy-total")).to_contain_text("£250 (indicative, not the score)")
