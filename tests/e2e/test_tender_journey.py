"""The whole life of one tender in a real browser, from the first draft to opening the bids.

1. A Knowsley commissioner drafts the specification: inserts a clause into a section, types into the
   rich-text editor, and autosave says "Saved".
2. They open the draft for comment to the council's residents; 3. a Knowsley resident comments on the
   section; 4. the commissioner replies.
5. The commissioner sets the timetable and the evaluation model (in the browser), saves a version of
   the specification and declares no conflict of interest, so every readiness check passes.
6. An officer who did not draft it declares, approves and publishes it.
7. A local charity asks a clarification question on the notice, drafts and submits a bid, and gets a
   receipt with its SHA-256.
8. A non-local company's submission is refused with the eligibility message; its draft is kept.
9. The deadline passes and the commissioner opens the bids and reads the charity's answer.

Set up directly, because the browser already covers it elsewhere and it is long:
- the draft tender is the test world's (tests/factories/tenders.py), renamed into plain words; its
  earlier comment round is closed and its evaluation model removed, so the commissioner opens a new
  round and sets the model here (creating a tender: test_tenders.py);
- the clause to insert is made with ``clause_create`` (the clause library: its own pages);
- the organisations and their members (registering an organisation: test_providers.py);
- the non-local company's complete draft bid (filling in a bid: step 7 here and test_bids.py);
- the passing of the deadline (a queryset update: nobody can wait for a real deadline).
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders import services
from tenders.models import (
    Bid,
    BidStatus,
    BidSubmission,
    CommentRound,
    Criterion,
    Lot,
    SectionComment,
    SpecificationSection,
    Tender,
)
from tenders.services import bids as bid_services
from tests.e2e.conftest import expect_heading, fill_date, go, log_out, type_new_paragraph, visit
from tests.e2e.journeys import (
    approve_and_publish,
    complete_price_commitments_and_declarations,
    declare_no_conflict,
    expect_success,
    open_for_comment_to_residents,
    sign_in_as,
    wait_until_saved,
)
from tests.factories import EVERYTHING, council_with_people
from tests.tenders.test_bids_helpers import complete_changes, local_charity, non_local_company

TITLE = "Community navigation service"
SECTION = "1. The service"
CHARITY_ANSWER = "Our navigators live on the estates they serve and knock on doors."
QUESTION = "How will you reach residents who are not online?"


def test_the_whole_life_of_one_tender(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    commissioner, officer = world.people[Role.COMMISSIONER], world.people[Role.OFFICER]
    citizen = world.people[Role.CITIZEN]
    charity, charity_member = local_charity()
    company, company_member = non_local_company()
    with council_scope(world.council):
        tender = Tender.objects.get(council=world.council, title="knowsley-private-tender")
        Tender.objects.filter(pk=tender.pk).update(
            title=TITLE,
            description="Navigators who help residents find local support.",
            weighting_rationale="",
            clarification_deadline=None,
            submission_deadline=None,
        )
        CommentRound.objects.filter(tender=tender).update(closed_at=timezone.now(), closed_reason="Earlier round")
        Criterion.objects.filter(tender=tender, parent__isnull=False).delete()
        Criterion.objects.filter(tender=tender).delete()
        Lot.objects.filter(tender=tender).update(title="Whole borough")
        section = SpecificationSection.objects.get(tender=tender)
        SpecificationSection.objects.filter(pk=section.pk).update(
            title="The service", body="<p>Navigators help residents find local support.</p>"
        )
        services.clause_create(
            council=world.council,
            actor=commissioner,
            title="Located within the community",
            body="<p>The service is located within the community and fosters community connections.</p>",
        )

    # 1. The commissioner drafts the specification: a clause, then typing with autosave.
    sign_in_as(page, commissioner)
    visit(page, f"/c/knowsley/tenders/{tender.pk}/")
    expect_heading(page, TITLE)
    go(page, page.get_by_role("link", name="Draft the specification"))
    expect_heading(page, "Specification")
    region = page.get_by_role("region", name=SECTION)
    region.get_by_label("Clause to insert at the end of this section").select_option(
        label="Located within the community"
    )
    go(page, region.get_by_role("button", name="Insert clause"))
    expect_success(page, "Clause “Located within the community”")
    text = page.get_by_role("region", name=SECTION).get_by_role("textbox", name="Text")
    expect(text).to_contain_text("fosters community connections.")
    type_new_paragraph(text, "Navigators open on Saturday mornings.")
    expect(page.locator(f"#section-{section.pk}-status")).to_contain_text("Saved")
    wait_until_saved(page, world, section.pk, "Navigators open on Saturday mornings.")

    # 2. Open the draft for comment to the council's residents.
    visit(page, f"/c/knowsley/tenders/{tender.pk}/")
    go(page, page.get_by_role("link", name="Open the draft for comment"))
    expect_heading(page, "Open the draft for comment")
    open_for_comment_to_residents(page)
    log_out(page)

    # 3. A Knowsley resident comments on the section, and sees the autosaved text.
    sign_in_as(page, citizen)
    visit(page, "/c/knowsley/consultations/")
    expect_heading(page, "Consultations")
    go(page, page.get_by_role("link", name=TITLE, exact=True))
    expect_heading(page, TITLE)
    region = page.get_by_role("region", name=SECTION)
    expect(region).to_contain_text("Navigators open on Saturday mornings.")
    region.get_by_label("Your comment on “The service”").fill("Please open on weekday evenings too.")
    go(page, region.get_by_role("button", name="Send comment"))
    expect_success(page, "Thank you")
    expect(page.get_by_role("region", name=SECTION)).to_contain_text("Waiting for a reply")
    log_out(page)

    # 4. The commissioner replies.
    sign_in_as(page, commissioner)
    visit(page, f"/c/knowsley/tenders/{tender.pk}/")
    go(page, page.get_by_role("link", name="Read and reply to the comments"))
    card = page.locator(".govuk-summary-card", has_text="Please open on weekday evenings too.")
    card.get_by_label("Your reply").fill("Agreed: weekday evenings are in the draft now.")
    go(page, card.get_by_role("button", name="Reply and resolve"))
    expect_success(page, "It is resolved")
    with council_scope(world.council):
        comment = SectionComment.objects.get(round__tender=tender, body="Please open on weekday evenings too.")
        assert comment.reply == "Agreed: weekday evenings are in the draft now."

    # 5. Timetable, evaluation model, a version of the specification, a declaration: ready.
    visit(page, f"/c/knowsley/tenders/{tender.pk}/")
    publication = page.locator("#publication ~ ul").first
    expect(publication).to_contain_text("Set the evaluation model")
    go(page, page.get_by_role("link", name="Change the clarification deadline"))
    expect_heading(page, "Set the timetable")
    now = timezone.now()
    fill_date(page, "Clarification deadline", (now + timedelta(days=10)).replace(second=0, microsecond=0))
    fill_date(page, "Submission deadline", (now + timedelta(days=20)).replace(second=0, microsecond=0))
    fill_date(page, "Planned award date", timezone.localdate(now + timedelta(days=60)))
    go(page, page.get_by_role("button", name="Save the timetable"))
    expect_heading(page, TITLE)

    go(page, page.get_by_role("link", name="Set the evaluation model"))
    expect_heading(page, "Evaluation model")
    rows = [
        ("How will you reach residents?", "Quality", "60"),
        ("Price", "Price", "30"),
        ("Local jobs and volunteering", "Social value", "10"),
    ]
    for number, (title, kind, weight) in enumerate(rows, start=1):
        group = page.get_by_role("group", name=f"Criterion {number}")
        group.get_by_label("Name").fill(title)
        group.get_by_label("Kind").select_option(label=kind)
        group.get_by_label("Weight, in percent of the whole score").fill(weight)
    # The question bidders answer, its word limit and what the scores mean, for the quality criterion
    first = page.get_by_role("group", name="Criterion 1")
    first.get_by_text("Question for bidders, word limit and scoring").click()
    first.get_by_label("The question bidders answer").fill(QUESTION)
    first.get_by_label("Guidance for bidders and evaluators").fill("Name the places <b>and</b> partners.")
    first.get_by_label("Word limit").fill("12")
    first.get_by_label("What a score of 0 means").fill("No answer, or nothing about reaching residents")
    first.get_by_label("What a score of 5 means").fill("A clear plan with named places and partners")
    page.get_by_label("Why these weights").fill("Quality matters most to residents; social value at the minimum.")
    go(page, page.get_by_role("button", name="Save the evaluation model"))
    expect_heading(page, TITLE)
    expect_success(page, "Evaluation model saved")
    # Saved weights read as written, never "6E+1"
    expect(page.get_by_role("main")).to_contain_text("60%")
    expect(page.get_by_role("main")).not_to_contain_text("E+1")

    go(page, page.get_by_role("link", name="Draft the specification"))
    page.get_by_label("What changed in this version").fill("Opening hours from the residents' comments")
    go(page, page.get_by_role("button", name="Save a version"))
    expect_success(page, "Version 2 saved.")

    visit(page, f"/c/knowsley/tenders/{tender.pk}/")
    go(page, page.get_by_role("link", name="Change your declaration"))
    expect_heading(page, "Declare your interests")
    declare_no_conflict(page)
    visit(page, f"/c/knowsley/tenders/{tender.pk}/")
    checklist = page.locator("#publication ~ ul").first
    expect(checklist).not_to_contain_text("To do:")
    expect(checklist.locator("li", has_text="Done:")).to_have_count(5)
    log_out(page)

    # 6. An officer who did not draft it declares, approves and publishes.
    sign_in_as(page, officer)
    visit(page, f"/c/knowsley/tenders/{tender.pk}/")
    go(page, page.get_by_role("link", name="Declare your interests"))
    expect_heading(page, "Declare your interests")
    declare_no_conflict(page)
    go(page, page.get_by_role("link", name="Approve or return"))
    expect_heading(page, "Approve the tender for publication")
    approve_and_publish(page)
    log_out(page)

    # 7. A local charity reads the notice, asks a question, drafts and submits a bid.
    sign_in_as(page, charity_member)
    visit(page, "/c/knowsley/")
    go(page, page.get_by_role("link", name=TITLE, exact=True))
    expect_heading(page, TITLE)
    main = page.get_by_role("main")
    expect(main).to_contain_text("Navigators open on Saturday mornings.")
    expect(main).to_contain_text(f"Question: {QUESTION}")
    expect(main).to_contain_text(f"You can bid as {charity.name}.")
    go(page, page.get_by_role("link", name="Ask a question"))
    expect_heading(page, "Ask a question")
    page.get_by_label("Your question").fill("Can volunteers count towards the local jobs commitment?")
    go(page, page.get_by_role("button", name="Send the question"))
    expect(page.get_by_role("main")).to_contain_text("Waiting for an answer")

    go(page, page.get_by_role("link", name="Back to the notice"))
    go(page, page.get_by_role("link", name="Start or continue your bid"))
    expect_heading(page, f"Bid for {TITLE}")
    go(page, page.get_by_role("button", name="Start your bid"))
    expect_heading(page, "Your bid")
    expect(page.get_by_role("main")).to_contain_text("You have completed 0 of 5 sections")

    go(page, page.get_by_role("link", name="Question 1: How will you reach residents?"))
    # The provider reads the commissioner's question, guidance (as text) and scoring, and the live count
    answer = page.get_by_label(QUESTION)
    expect(page.get_by_role("main")).to_contain_text("Name the places <b>and</b> partners.")
    page.get_by_text("How answers to this question are scored").click()
    expect(page.get_by_role("main")).to_contain_text("A clear plan with named places and partners")
    answer.fill(CHARITY_ANSWER + " Every week, in every ward, all year.")
    expect(page.locator(".govuk-character-count__status")).to_have_text("You have 7 words too many")
    go(page, page.get_by_role("button", name="Save and continue"))
    assert page.title().startswith("Error:"), page.title()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Your answer has 19 words: the limit is 12. Remove 7 words and save again."
    )
    expect(page.get_by_label(QUESTION)).to_have_value(CHARITY_ANSWER + " Every week, in every ward, all year.")
    page.get_by_label(QUESTION).fill(CHARITY_ANSWER)
    expect(page.locator(".govuk-character-count__status")).to_have_text("You have 0 words remaining")
    go(page, page.get_by_role("button", name="Save and continue"))
    go(page, page.get_by_role("link", name="Question 2: Local jobs and volunteering"))
    page.get_by_label("Local jobs and volunteering").fill(
        "We will recruit twelve local people as navigators and train thirty volunteers."
    )
    go(page, page.get_by_role("button", name="Save and continue"))
    complete_price_commitments_and_declarations(page)

    go(page, page.get_by_role("link", name="Check your answers and submit"))
    expect_heading(page, "Check your answers before submitting your bid")
    expect(page.get_by_role("main")).to_contain_text(CHARITY_ANSWER)
    page.get_by_label("I confirm that the information in this bid is true and complete").check()
    go(page, page.get_by_role("button", name="Submit your bid"))
    expect(page.get_by_role("heading", name="Bid received")).to_be_visible()
    with council_scope(world.council):
        submission = BidSubmission.objects.get(bid__tender=tender, bid__organisation=charity)
    assert re.fullmatch(r"[0-9a-f]{64}", submission.sha256), submission.sha256
    expect(page.locator(".govuk-panel")).to_contain_text(submission.reference)
    expect(page.locator("#sha256")).to_have_text(submission.sha256)
    log_out(page)

    # 8. A non-local company tries to submit and is refused; its draft is kept.
    with council_scope(world.council):
        bid = bid_services.bid_start(tender=tender, organisation=company, actor=company_member)
        bid_services.bid_draft_save(
            bid=bid, actor=company_member, changes=complete_changes(tender), expected_revision=bid.draft_revision
        )
        revision = Bid.objects.get(pk=bid.pk).draft_revision
    sign_in_as(page, company_member)
    visit(page, "/bids/")
    expect_heading(page, "Your bids")
    go(page, page.get_by_role("link", name=TITLE))
    expect_heading(page, "Your bid")
    go(page, page.get_by_role("link", name="Check your answers and submit"))
    page.get_by_label("I confirm that the information in this bid is true and complete").check()
    go(page, page.get_by_role("button", name="Submit your bid"))
    assert page.title().startswith("Error:"), page.title()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        f"{company.name} cannot bid for this opportunity, so the bid was not submitted. Your draft is kept."
    )
    with council_scope(world.council):
        assert not BidSubmission.objects.filter(bid=bid).exists()
        kept = Bid.objects.get(pk=bid.pk)
        assert kept.status == BidStatus.DRAFT
        assert kept.draft and kept.draft_revision == revision
    log_out(page)

    # 9. The deadline passes (the PostgreSQL deadline check already ran when the charity submitted);
    #    the commissioner opens the bids and reads the charity's answer.
    now = timezone.now()
    with council_scope(world.council):
        Tender.objects.filter(council=world.council, pk=tender.pk).update(
            clarification_deadline=now - timedelta(days=2), submission_deadline=now - timedelta(hours=1)
        )
    sign_in_as(page, commissioner)
    visit(page, f"/c/knowsley/tenders/{tender.pk}/")
    go(page, page.get_by_role("link", name="Open the bids (1 received)"))
    expect_heading(page, "Bids received")
    table = page.get_by_role("table")
    expect(table).to_contain_text(charity.name)
    expect(table).not_to_contain_text(company.name)
    go(page, table.get_by_role("link", name=charity.name))
    expect_heading(page, f"Bid from {charity.name}")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="How will you reach residents?")).to_be_visible()
    expect(main).to_contain_text(CHARITY_ANSWER)
    expect(main).to_contain_text("Local people employed")
