"""Evaluation in a browser, with axe on every page: the commissioner starts the evaluation and
assigns two evaluators; one declares a conflict and is recused (the officer decides the panel
stands); the other declares none, scores with the autosave, and submits; the commissioner sees
the counts, never the scores."""

from __future__ import annotations

import time

from playwright.sync_api import Page, expect

from commissioning.tenancy import council_scope
from tenders.models import Score, ScoreSheet
from tests.e2e.conftest import expect_heading, go, log_out, visit
from tests.e2e.journeys import expect_success, sign_in_as
from tests.factories import council_with_people
from tests.factories.scoring_world import JUSTIFICATION, scoring_world


def _saved_draft(world, bid, evaluator, criterion) -> tuple[str, int | None]:  # type: ignore[no-untyped-def]
    """The draft as saved, once the autosave has caught up with the typing (up to 10 seconds)."""
    for _ in range(40):
        with council_scope(world.council):
            saved = Score.objects.filter(sheet__bid=bid, sheet__evaluator=evaluator, criterion=criterion).first()
        if saved is not None and saved.justification and saved.score is not None:
            return saved.justification, int(saved.score)
        time.sleep(0.25)
    return ("", None)


def test_two_evaluators_declare_one_is_recused_the_other_scores_and_submits(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to="bids")
    sw = scoring_world(world)
    first, second = sw.evaluators
    quality, social = sw.criteria
    bid = sw.bids[0]

    # The commissioner starts the evaluation from the tender page and assigns both evaluators.
    sign_in_as(page, sw.commissioner)
    visit(page, f"/c/knowsley/tenders/{sw.tender.pk}/")
    go(page, page.get_by_role("link", name="Start the evaluation"))
    expect_heading(page, "Evaluation")
    go(page, page.get_by_role("button", name="Start the evaluation"))
    expect_success(page, "Evaluation started")
    go(page, page.get_by_role("button", name="Assign the evaluator"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the evaluator to assign")
    for evaluator in (first, second):
        page.get_by_label("Evaluator", exact=True).select_option(label=evaluator.name)
        go(page, page.get_by_role("button", name="Assign the evaluator"))
        expect_success(page, f"{evaluator.name} assigned.")
    expect(page.locator("#progress")).to_contain_text(second.name)
    log_out(page)

    # The second evaluator knows the bidder: declares a conflict and is recused from its bid.
    sign_in_as(page, second)
    visit(page, sw.url("mine/"))
    expect_heading(page, "Your evaluation")
    go(page, page.get_by_role("link", name="Declare your interests for Bid A"))
    expect_heading(page, "Declare your interests in Knowsley Community Trust")
    expect(page.get_by_role("main")).not_to_contain_text("private-bid-answer")
    page.get_by_label("Yes").check()
    go(page, page.get_by_role("button", name="Save the declaration"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Describe the conflict of interest")
    page.get_by_label("Describe the conflict").fill("My sister chairs its board.")
    go(page, page.get_by_role("button", name="Save the declaration"))
    expect_success(page, "Conflict declared")
    expect(page.locator("#my-bids")).to_contain_text("Recused")
    log_out(page)

    # The first declares no conflict, then scores beside the answers; the draft saves itself.
    sign_in_as(page, first)
    visit(page, sw.url("mine/"))
    go(page, page.get_by_role("link", name="Declare your interests for Bid A"))
    page.get_by_label("No").check()
    go(page, page.get_by_role("button", name="Save the declaration"))
    expect_success(page, "Declaration saved.")
    expect_heading(page, "Score Knowsley Community Trust")
    expect(page.get_by_role("main")).to_contain_text("knowsley-private-bid-answer")
    page.get_by_label(f"Justification for “{quality.title}”").fill(JUSTIFICATION)
    page.locator(f'input[name="criterion-{quality.pk}-score"][value="4"]').check()
    expect(page.locator("#score-status")).to_contain_text("Draft saved", timeout=15_000)
    assert _saved_draft(world, bid, first, quality) == (JUSTIFICATION, 4)

    # Submitting with a criterion unscored: the errors are next to it, and the typed text is kept.
    go(page, page.get_by_role("button", name="Submit scores"))
    assert page.title().startswith("Error:"), page.title()
    expect(page.locator(".govuk-error-summary")).to_contain_text(f"Choose a score from 0 to 5 for “{social.title}”")
    expect(page.get_by_label(f"Justification for “{quality.title}”")).to_have_value(JUSTIFICATION)
    page.locator(f'input[name="criterion-{social.pk}-score"][value="3"]').check()
    page.get_by_label(f"Justification for “{social.title}”").fill(JUSTIFICATION)
    go(page, page.get_by_role("button", name="Submit scores"))
    expect_success(page, "are submitted and locked")
    expect(page.locator("#my-bids")).to_contain_text("Submitted")
    go(page, page.get_by_role("link", name="See your scores Knowsley Community Trust"))
    expect(page.get_by_role("main")).to_contain_text("They are locked")
    with council_scope(world.council):
        assert ScoreSheet.objects.get(bid=bid, evaluator=first).submitted_at is not None
    log_out(page)

    # The officer decides the panel still stands.
    sign_in_as(page, sw.officer)
    visit(page, sw.url("recusals/"))
    expect_heading(page, "Recusals")
    go(page, page.get_by_role("link", name=f"Decide on the recusal of {second.name}"))
    page.get_by_label("The panel still stands").check()
    page.get_by_label("Reason").fill("Two evaluators score every other bid; one is enough for this bid.")
    go(page, page.get_by_role("button", name="Record the decision"))
    expect_success(page, "Decision recorded.")
    log_out(page)

    # The commissioner sees counts, never scores.
    sign_in_as(page, sw.commissioner)
    visit(page, sw.url())
    progress = page.locator("#progress")
    expect(progress).to_contain_text("1 of 2")
    expect(page.get_by_role("main")).not_to_contain_text(JUSTIFICATION)
