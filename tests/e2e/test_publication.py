"""Publication in the browser: an officer who did not draft the tender declares, approves and publishes
it; a local charity reads the notice and asks a question; the commissioner answers and publishes the
answer; the notice shows it without the asker. Then the other publication pages: the team, documents,
an eligibility override and its decision, and a published change."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders.models import ClarificationQuestion, Tender
from tests.e2e.conftest import expect_heading, fill_date, go, log_out, visit
from tests.e2e.journeys import approve_and_publish, declare_no_conflict, expect_success, sign_in_as
from tests.factories import EVERYTHING, council_with_people


def test_an_officer_publishes_a_provider_asks_and_the_commissioner_answers(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    officer, commissioner = world.people[Role.OFFICER], world.people[Role.COMMISSIONER]
    now = timezone.now()
    with council_scope(world.council):
        tender = Tender.objects.get(council=world.council, title="knowsley-private-tender")
        Tender.objects.filter(pk=tender.pk).update(
            title="Community navigation service",
            clarification_deadline=now + timedelta(days=10),
            submission_deadline=now + timedelta(days=20),
        )

    # The officer did not draft it: declares, approves, publishes.
    sign_in_as(page, officer)
    visit(page, f"/c/knowsley/tenders/{tender.pk}/")
    go(page, page.get_by_role("link", name="Approve or return"))
    expect_heading(page, "Approve the tender for publication")
    expect(page.get_by_role("main")).to_contain_text("Declare your interests before you decide")
    go(page, page.get_by_role("main").get_by_role("link", name="Declare your interests"))
    expect_heading(page, "Declare your interests")
    page.get_by_label("Yes, I have a conflict of interest").check()
    go(page, page.get_by_role("button", name="Save the declaration"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Describe the conflict of interest")
    declare_no_conflict(page)
    go(page, page.get_by_role("link", name="Approve or return"))
    approve_and_publish(page)
    log_out(page)

    # A local charity reads the notice from the portal and asks a question.
    sign_in_as(page, world.provider)
    visit(page, "/c/knowsley/")
    go(page, page.get_by_role("link", name="Community navigation service"))
    expect_heading(page, "Community navigation service")
    main = page.get_by_role("main")
    expect(main).to_contain_text("This opportunity is reserved for organisations based in Knowsley")
    expect(main).to_contain_text("You can bid as Knowsley Community Trust.")
    go(page, page.get_by_role("link", name="Ask a question"))
    expect_heading(page, "Ask a question")
    go(page, page.get_by_role("button", name="Send the question"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your question")
    page.get_by_label("Your question").fill("We are the Knowsley Community Trust. Can we bid with a partner?")
    go(page, page.get_by_role("button", name="Send the question"))
    expect(page.get_by_role("main")).to_contain_text("Waiting for an answer")
    log_out(page)

    # The commissioner sees who asked, rewords the question and publishes the answer.
    sign_in_as(page, commissioner)
    visit(page, f"/c/knowsley/tenders/{tender.pk}/")
    go(page, page.get_by_role("link", name="See the questions"))
    expect_heading(page, "Clarification questions")
    expect(page.get_by_role("main")).to_contain_text("Knowsley Community Trust")
    go(page, page.get_by_role("link", name="Answer question 1"))
    expect_heading(page, "Answer a question")
    page.get_by_label("The question as it will be published").fill("Can we bid with a partner?")
    go(page, page.get_by_role("button", name="Publish the answer"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the answer")  # not without an answer
    page.get_by_label("Answer").fill("Yes, as a consortium with a lead partner.")
    go(page, page.get_by_role("button", name="Publish the answer"))
    expect_success(page, "Answer published to every bidder.")

    # Anyone reads the answer on the notice, without who asked.
    visit(page, f"/c/knowsley/opportunities/{tender.pk}/")
    questions = page.locator("#questions + .govuk-summary-list")
    expect(questions).to_contain_text("Can we bid with a partner?")
    expect(questions).to_contain_text("Yes, as a consortium with a lead partner.")
    expect(page.get_by_role("main")).not_to_contain_text("Knowsley Community Trust. Can we")
    with council_scope(world.council):
        assert ClarificationQuestion.objects.get(tender=tender).published_at is not None


def test_team_documents_eligibility_override_and_a_published_change(page: Page, tmp_path) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    officer, commissioner = world.people[Role.OFFICER], world.people[Role.COMMISSIONER]
    with council_scope(world.council):
        draft = Tender.objects.get(council=world.council, title="knowsley-private-tender")
        live = Tender.objects.get(council=world.council, title="Knowsley community navigators")

    sign_in_as(page, commissioner)
    visit(page, f"/c/knowsley/tenders/{draft.pk}/")
    go(page, page.get_by_role("link", name="Change the team"))
    expect_heading(page, "Tender team")
    go(page, page.get_by_role("button", name="Add to the team"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose someone to add")
    page.get_by_label("Person and role").select_option(label=f"{world.people[Role.EVALUATOR].name} (evaluator)")
    go(page, page.get_by_role("button", name="Add to the team"))
    expect_success(page, "added to the team")

    visit(page, f"/c/knowsley/tenders/{draft.pk}/documents/")
    expect_heading(page, "Documents")
    page.get_by_label("Title").fill("Service map")
    bad = tmp_path / "map.exe"
    bad.write_bytes(b"MZ")
    page.get_by_label("Document").set_input_files(str(bad))
    go(page, page.get_by_role("button", name="Add the document"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("The document must be a PDF")
    expect(page.get_by_label("Title")).to_have_value("Service map")
    good = tmp_path / "map.pdf"
    good.write_bytes(b"%PDF-1.7\n%%EOF\n")
    page.get_by_label("Document").set_input_files(str(good))
    go(page, page.get_by_role("button", name="Add the document"))
    expect_success(page, "“Service map” added.")

    visit(page, f"/c/knowsley/tenders/{draft.pk}/eligibility/")
    expect_heading(page, "Eligibility")
    expect(page.get_by_role("main")).to_contain_text("Waiting for an officer")
    log_out(page)

    sign_in_as(page, officer)
    visit(page, f"/c/knowsley/tenders/{draft.pk}/eligibility/")
    go(page, page.get_by_role("link", name="Decide this request"))
    expect_heading(page, "Decide an eligibility override")
    page.get_by_label("Refuse the request").check()
    go(page, page.get_by_role("button", name="Save the decision"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why you refuse the request")
    page.get_by_label("Comment").fill("Local providers can deliver this.")
    go(page, page.get_by_role("button", name="Save the decision"))
    expect_success(page, "Decision saved.")

    visit(page, f"/c/knowsley/tenders/{live.pk}/")
    go(page, page.get_by_role("link", name="Publish a change"))
    expect_heading(page, "Publish a change")
    fill_date(page, "Submission deadline", live.submission_deadline + timedelta(days=7))
    go(page, page.get_by_role("button", name="Publish the change"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why the tender is changing")
    page.get_by_label("Why the tender is changing").fill("A week more for partnerships to form.")
    go(page, page.get_by_role("button", name="Publish the change"))
    expect_success(page, "Version 2 published.")
    visit(page, f"/c/knowsley/opportunities/{live.pk}/")
    expect(page.get_by_role("main")).to_contain_text("A week more for partnerships to form.")
