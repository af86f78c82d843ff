"""Moderation and prices in the browser: the commissioner opens moderation, sees the wide spread,
agrees each bid's scores (an error next to the field first), locks them, opens the prices, and
records the provider's explanation of an abnormally low price and accepts it. Every page is
checked with axe."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders.models import AbnormallyLowReview, Evaluation
from tests.e2e.conftest import expect_heading, go, visit
from tests.e2e.journeys import expect_success, sign_in_as
from tests.factories import council_with_people
from tests.factories.moderation_world import moderation_tender


def test_moderation_agrees_scores_then_prices_are_opened_and_a_low_price_accepted(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to="commissions")
    with council_scope(world.council):
        moderated = moderation_tender(world)
    tender = moderated.tender
    sign_in_as(page, world.people[Role.COMMISSIONER])

    visit(page, f"/c/knowsley/tenders/{tender.pk}/")
    go(page, page.get_by_role("link", name="Moderation", exact=True))
    expect_heading(page, "Moderation")
    go(page, page.get_by_role("button", name="Open moderation"))
    expect_success(page, "Moderation is open")
    board = page.locator("#moderation-board")
    expect(board.locator(".govuk-tag--red").first).to_contain_text("Spread 2")

    for index, bid in enumerate(moderated.bids):
        visit(page, f"/c/knowsley/tenders/{tender.pk}/moderation/bids/{bid.pk}/")
        expect_heading(page, f"Moderation of Knowsley Provider {index + 1}")
        expect(page.get_by_role("main")).to_contain_text(f"Justification by evaluator 2 on bid {index + 1}.")
        quality, social = moderated.scored
        page.get_by_label(f"Agreed score for “{quality.title}”").fill("3")
        if index == 0:
            # A score without its rationale: the error is next to the field.
            go(page, page.get_by_role("button", name="Save the agreed scores"))
            assert page.title().startswith("Error:"), page.title()
            expect(page.locator(".govuk-form-group--error .govuk-error-message").first).to_contain_text(
                "Enter the rationale for the agreed score"
            )
        page.get_by_label(f"Rationale for “{quality.title}”").fill("The panel agreed a sound plan.")
        page.get_by_label(f"Agreed score for “{social.title}”").fill("4")
        page.get_by_label(f"Rationale for “{social.title}”").fill("Clear local jobs commitments.")
        go(page, page.get_by_role("button", name="Save the agreed scores"))
        expect_success(page, "Agreed scores saved")

    go(page, page.get_by_role("link", name="Back to moderation"))
    go(page, page.get_by_role("button", name="Submit and lock the moderated scores"))
    expect_success(page, "The moderated scores are submitted and locked")
    with council_scope(world.council):
        assert Evaluation.objects.get(pk=moderated.evaluation.pk).moderation_locked_at is not None

    visit(page, f"/c/knowsley/tenders/{tender.pk}/prices/")
    expect_heading(page, "Prices")
    go(page, page.get_by_role("button", name="Open the prices"))
    expect_success(page, "The prices are open")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Price is scored relative to the lowest price")
    expect(main).to_contain_text("1 abnormally low price to decide")
    go(page, main.get_by_role("link", name="Record the explanation and decision for Knowsley Provider 3"))
    expect_heading(page, "Possibly abnormally low price from Knowsley Provider 3")
    page.get_by_label("Accept the price").check()
    go(page, page.get_by_role("button", name="Save the decision"))
    assert page.title().startswith("Error:"), page.title()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the provider's explanation of the price")
    page.get_by_label("The provider's explanation").fill("Volunteers deliver part of the service at no cost.")
    page.get_by_label("Reason for the decision").fill("The explanation is credible and the price sustainable.")
    go(page, page.get_by_role("button", name="Save the decision"))
    expect_success(page, "Decision recorded")
    expect(page.get_by_role("main")).to_contain_text("Accept the price: The explanation is credible")
    with council_scope(world.council):
        review = AbnormallyLowReview.objects.get(tender=tender)
    assert review.decision == "accept"
