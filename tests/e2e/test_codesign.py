"""Co-design in the browser: a commissioner opens the draft specification for comment to residents,
a resident comments on a section, the commissioner replies, and the resident reads the reply."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import Page, expect

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders.models import CommentRound, Tender
from tests.e2e.conftest import expect_heading, go, log_out, visit
from tests.e2e.journeys import expect_success, open_for_comment_to_residents, sign_in_as
from tests.factories import EVERYTHING, council_with_people


def test_a_resident_comments_on_the_draft_and_reads_the_commissioners_reply(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    commissioner, citizen = world.people[Role.COMMISSIONER], world.people[Role.CITIZEN]
    with council_scope(world.council):
        tender = Tender.objects.get(council=world.council, title="knowsley-private-tender")
        # The test world's round is already open: close it, so the commissioner opens a new one.
        CommentRound.objects.filter(tender=tender).update(closed_at=timezone.now(), closed_reason="Earlier round")

    sign_in_as(page, commissioner)
    visit(page, f"/c/knowsley/tenders/{tender.pk}/")
    go(page, page.get_by_role("link", name="Open the draft for comment"))
    expect_heading(page, "Open the draft for comment")
    go(page, page.get_by_role("button", name="Open for comment and send the e-mails"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose who may comment")
    open_for_comment_to_residents(page)
    log_out(page)

    sign_in_as(page, citizen)
    visit(page, "/c/knowsley/consultations/")
    expect_heading(page, "Consultations")
    go(page, page.get_by_role("link", name="knowsley-private-tender", exact=True))
    expect_heading(page, "knowsley-private-tender")
    section = page.get_by_role("region", name="1. knowsley-private-section")
    expect(section).to_contain_text("knowsley-private-section-text about the service.")
    go(page, section.get_by_role("button", name="Send comment"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your comment")
    section = page.get_by_role("region", name="1. knowsley-private-section")
    section.get_by_label("Your comment on “knowsley-private-section”").fill("Please open on Saturday mornings.")
    go(page, section.get_by_role("button", name="Send comment"))
    expect_success(page, "Thank you")
    expect(page.get_by_role("region", name="1. knowsley-private-section")).to_contain_text("Waiting for a reply")
    log_out(page)

    sign_in_as(page, commissioner)
    visit(page, f"/c/knowsley/tenders/{tender.pk}/")
    expect(page.locator("#codesign ~ dl").first).to_contain_text("1 comment, 1 without a reply")
    go(page, page.get_by_role("link", name="Read and reply to the comments"))
    card = page.locator(".govuk-summary-card", has_text="Please open on Saturday mornings.")
    go(page, card.get_by_role("button", name="Reply and resolve"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a reply to the comment")
    card = page.locator(".govuk-summary-card", has_text="Please open on Saturday mornings.")
    card.get_by_label("Your reply").fill("Agreed: Saturday mornings are in the draft now.")
    go(page, card.get_by_role("button", name="Reply and resolve"))
    expect_success(page, "It is resolved")
    go(page, page.get_by_role("button", name="Close the round"))
    expect_success(page, "closed")
    log_out(page)

    sign_in_as(page, citizen)
    visit(page, "/c/knowsley/consultations/")
    expect(page.get_by_role("link", name="knowsley-private-tender", exact=True)).to_have_count(0)  # none open
    go(page, page.get_by_role("link", name="knowsley-private-tender, opened for comment").first)
    region = page.get_by_role("region", name="1. knowsley-private-section")
    expect(region).to_contain_text("Agreed: Saturday mornings are in the draft now.")
    expect(page.get_by_role("button", name="Send comment")).to_have_count(0)
