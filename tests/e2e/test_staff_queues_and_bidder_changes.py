"""Browser journeys for issue 7's points 5-8: one status in the same words; a commissioner sends a
tender for approval and the officer finds it in their work queue; a provider answers the exclusion
grounds properly, is told what a published change did and confirms the bid in one step; the
commissioner reads the exclusion answer when the bids are opened."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders import services
from tenders.timetable import STATUS_LABELS, Status
from tests.e2e.conftest import check, expect_heading, go, journey_of, log_out, visit
from tests.e2e.journeys import expect_success, sign_in_as
from tests.factories import EVERYTHING, council_with_people
from tests.tenders.test_exclusion import CLEANING, DETAILS, _declare_yes
from tests.tenders.test_opening import published_tender
from tests.tenders.test_publication import make_ready


def recheck(page: Page) -> None:
    """Axe-check again a page this test saw before under the same address and title (now changed:
    another person's dashboard, a bid page with a change to confirm)."""
    journey_of(page).checked.discard((page.url.split("#")[0], page.title()))
    check(page)


def test_the_commissioner_sends_a_tender_for_approval_and_the_officer_finds_it_in_their_queue(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    commissioner, officer = world.people[Role.COMMISSIONER], world.people[Role.OFFICER]
    with council_scope(world.council):
        tender = make_ready(world)
    sign_in_as(page, commissioner)

    visit(page, "/c/knowsley/dashboard/")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Clarification questions waiting for an answer")).to_be_visible()
    expect(main).to_contain_text("Question asked on")

    visit(page, f"/c/knowsley/tenders/{tender.pk}/")
    # The factories' draft was sent once already: the button offers to send it again.
    go(page, page.get_by_role("link", name="Send for approval again"))
    expect_heading(page, "Send the tender for approval")
    expect(page.get_by_role("main")).to_contain_text(officer.name)
    page.get_by_label("Note to the officers (optional)").fill("Ready after the residents' comments.")
    go(page, page.get_by_role("button", name="Send for approval"))
    expect_success(page, f"We e-mailed {officer.name}")
    expect(page.locator("#approval-asked")).to_contain_text(f"Sent for approval by {commissioner.name}")
    expect(page.locator("#approval-asked")).to_contain_text(f"to {officer.name}")
    log_out(page)

    sign_in_as(page, officer)
    visit(page, "/c/knowsley/dashboard/")
    recheck(page)
    queue = page.get_by_role("list", name="Tenders waiting for approval")
    expect(queue).to_contain_text(tender.title)
    expect(page.get_by_role("list", name="Eligibility overrides waiting for a decision")).to_contain_text(tender.title)
    go(page, queue.get_by_role("link", name=tender.title))
    expect_heading(page, "Approve the tender for publication")
    visit(page, "/c/knowsley/dashboard/tenders-awaiting-approval/")
    expect_heading(page, "Tenders waiting for approval")
    expect(page.get_by_role("main")).to_contain_text(f"Sent for approval by {commissioner.name}")


def test_a_provider_answers_exclusion_grounds_and_confirms_the_bid_after_a_change(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    tender = published_tender(world)
    words = STATUS_LABELS[Status.OPEN_FOR_QUESTIONS]
    sign_in_as(page, world.provider)

    # The same status words in the finder, on the notice and on the bid page.
    visit(page, "/opportunities/")
    expect(page.get_by_role("main").locator(".govuk-tag", has_text=words).first).to_be_visible()
    visit(page, f"/c/knowsley/opportunities/{tender.pk}/")
    expect(page.get_by_role("main").locator(".govuk-tag").first).to_have_text(words)
    with council_scope(world.council):
        bid = tender.bids.get(organisation=world.organisation)
    bid_page = f"/c/knowsley/opportunities/{tender.pk}/bid/{bid.pk}/"
    visit(page, bid_page)
    expect(page.get_by_role("main").locator(".govuk-tag", has_text=words)).to_be_visible()

    # Exclusion grounds: a bare yes is refused beside the fields; the typed evidence is kept.
    go(page, page.get_by_role("link", name="Declarations"))
    expect_heading(page, "Declarations")
    exclusion = page.get_by_role("group", name="Do any of the exclusion grounds apply")
    exclusion.get_by_label("Yes").check()
    page.get_by_label("What you have done so that it will not happen again (self-cleaning)").fill(CLEANING)
    page.get_by_role("group", name="conflict of interest").get_by_label("No").check()
    go(page, page.get_by_role("button", name="Save and continue"))
    assert page.title().startswith("Error:"), page.title()
    errors = page.locator(".govuk-form-group--error .govuk-error-message")
    expect(errors.first).to_contain_text("Choose the exclusion grounds that apply")
    expect(errors.nth(1)).to_contain_text("Describe what happened")
    expect(page.get_by_label("What you have done so that it will not happen again (self-cleaning)")).to_have_value(
        CLEANING
    )
    page.get_by_label("Theft, fraud and bribery").check()
    page.get_by_label("What happened").fill(DETAILS)
    go(page, page.get_by_role("button", name="Save and continue"))
    expect_heading(page, "Your bid")

    # A published change: the bid page says what changed and confirms the bid in one step.
    with council_scope(world.council):
        services.tender_change_publish(
            tender=tender,
            actor=world.people[Role.OFFICER],
            reason="The deadline is a week later after the residents' meeting.",
            submission_deadline=tender.submission_deadline + timedelta(days=7),
        )
    visit(page, bid_page)
    recheck(page)
    banner = page.locator("#tender-changed")
    expect(banner).to_contain_text("changed this tender after you submitted your bid")
    expect(banner).to_contain_text("The deadline is a week later after the residents' meeting.")
    expect(banner.get_by_role("table")).to_contain_text("Submission deadline")
    go(page, banner.get_by_role("button", name="Confirm your bid as submitted"))
    expect_heading(page, "Bid received")
    expect_success(page, "confirmed against version 2")
    visit(page, bid_page)
    expect(page.locator("#tender-changed")).to_have_count(0)


def test_the_commissioner_reads_the_exclusion_answer_when_opening_the_bids(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    bid = _declare_yes(world)
    tender = published_tender(world)
    commissioner = world.people[Role.COMMISSIONER]
    sign_in_as(page, commissioner)
    visit(page, f"/c/knowsley/tenders/{tender.pk}/bids/{bid.pk}/")
    answer = page.locator("#exclusion-answer")
    expect(answer).to_contain_text("Tax offences")
    expect(answer).to_contain_text("Breach of contract and poor performance")
    expect(answer).to_contain_text(DETAILS)
    expect(answer).to_contain_text(CLEANING)
    visit(page, "/c/knowsley/dashboard/")
    expect(page.get_by_role("list", name="Closed tenders with bids to open")).to_contain_text(tender.title)
