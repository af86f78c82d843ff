"""A local charity finds an opportunity, drafts its bid, checks it, submits it and gets a receipt;
a non-local company's submission is refused with a clear message."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from commissioning.tenancy import council_scope
from tenders.models import BidSubmission
from tenders.services import bids as services
from tests.e2e.conftest import expect_heading, go, visit
from tests.e2e.journeys import complete_price_commitments_and_declarations, sign_in_as
from tests.factories import EVERYTHING, council_with_people
from tests.tenders.test_bids_helpers import complete_changes, local_charity, non_local_company, published_tender


def test_a_local_charity_finds_drafts_and_submits_a_bid(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    council_with_people(slug="southwark", name="Southwark Council", up_to=EVERYTHING)
    organisation, person = local_charity()
    sign_in_as(page, person)

    # Find it: only what the charity can bid for.
    visit(page, "/opportunities/")
    expect_heading(page, "Find an opportunity")
    expect(page.get_by_role("main")).to_contain_text("Southwark community navigators")
    page.get_by_label("Only opportunities my organisation can bid for").check()
    page.get_by_label("Council").select_option("knowsley")
    go(page, page.get_by_role("button", name="Apply filters"))
    main = page.get_by_role("main")
    expect(main).to_contain_text("1 opportunity")
    expect(main).not_to_contain_text("Southwark community navigators")
    expect(main).to_contain_text("Yes: Kirkby Community Garden")
    go(page, page.get_by_role("link", name="Bid for Knowsley community navigators"))

    expect_heading(page, "Bid for Knowsley community navigators")
    go(page, page.get_by_role("button", name="Start your bid"))
    expect_heading(page, "Your bid")
    expect(page.get_by_role("main")).to_contain_text("You have completed 0 of 5 sections")

    # Question 1, saved for later.
    go(page, page.get_by_role("link", name="Question 1: How will you reach residents?"))
    expect_heading(page, "Question 1: How will you reach residents?")
    # No question written for it: the criterion's name is the question
    page.get_by_label("How will you reach residents?", exact=True).fill(
        "Our navigators live on the estates they serve and knock on doors."
    )
    go(page, page.get_by_role("button", name="Save and come back later"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your bid is saved")

    # Question 2: too long at first; the text stays, the error is beside it.
    go(page, page.get_by_role("link", name="Question 2: Local jobs and volunteering"))
    answer = page.get_by_label("Local jobs and volunteering", exact=True)
    answer.fill("volunteers " * 301)
    go(page, page.get_by_role("button", name="Save and continue"))
    assert page.title().startswith("Error:"), page.title()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Your answer has 301 words: the limit is 300")
    expect(page.locator("#id_answer-error")).to_contain_text("the limit is 300")
    # GOV.UK's character count now runs on the field (it needs govuk-js-character-count) and says it live
    expect(page.locator(".govuk-character-count__status")).to_have_text("You have 1 word too many")
    expect(answer).to_have_value("volunteers " * 301)
    # The count is said on the page too (without JavaScript it is the only count)
    expect(page.locator("#id_answer-info")).to_contain_text("The answer above has 301 words, 1 too many.")
    answer.fill("We will recruit twelve local people as navigators and train thirty volunteers.")
    go(page, page.get_by_role("button", name="Save and continue"))
    expect_heading(page, "Your bid")

    complete_price_commitments_and_declarations(page)

    # Check, confirm, submit.
    go(page, page.get_by_role("link", name="Check your answers and submit"))
    expect_heading(page, "Check your answers before submitting your bid")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Our navigators live on the estates they serve")
    expect(main).to_contain_text("£145,000")
    page.get_by_label("I confirm that the information in this bid is true and complete").check()
    go(page, page.get_by_role("button", name="Submit your bid"))

    expect(page.get_by_role("heading", name="Bid received")).to_be_visible()
    with council_scope(world.council):
        submission = BidSubmission.objects.get(bid__organisation=organisation)
    expect(page.locator(".govuk-panel")).to_contain_text(submission.reference)
    expect(page.locator("#sha256")).to_have_text(submission.sha256)
    expect(page.get_by_role("main")).to_contain_text("Local people employed")

    visit(page, "/bids/")
    expect_heading(page, "Your bids")
    expect(page.get_by_role("main")).to_contain_text(submission.reference)


def test_a_non_local_company_is_refused_with_a_clear_message(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    organisation, person = non_local_company()
    with council_scope(world.council):
        tender = published_tender(world)
        bid = services.bid_start(tender=tender, organisation=organisation, actor=person)
        services.bid_draft_save(
            bid=bid, actor=person, changes=complete_changes(tender), expected_revision=bid.draft_revision
        )
    sign_in_as(page, person)
    visit(page, "/bids/")
    go(page, page.get_by_role("link", name="Knowsley community navigators"))
    expect_heading(page, "Your bid")
    expect(page.get_by_role("main")).to_contain_text("cannot bid for this opportunity under Knowsley Council's")
    go(page, page.get_by_role("link", name="Check your answers and submit"))
    page.get_by_label("I confirm that the information in this bid is true and complete").check()
    go(page, page.get_by_role("button", name="Submit your bid"))

    assert page.title().startswith("Error:"), page.title()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(
        "Nationwide Outsourcing plc cannot bid for this opportunity, so the bid was not submitted. Your draft is kept."
    )
    expect(summary).to_contain_text("What would make it eligible")
    with council_scope(world.council):
        assert not BidSubmission.objects.filter(bid=bid).exists()
