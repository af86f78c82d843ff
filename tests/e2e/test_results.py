"""The commissioner reads the results of an evaluated tender (the ranking, what blocks the award,
the sensitivity chart and its table) and the officer reads why the bidder won; every page axe-checked."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tests.e2e.conftest import expect_heading, go, log_out, visit
from tests.e2e.journeys import sign_in_as
from tests.factories import council_with_people
from tests.factories.results import results_tender


def test_the_commissioner_reads_the_results_and_the_officer_why_the_bidder_won(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to="commissions")
    with council_scope(world.council):
        built = results_tender(world, scores=[(5, 1, 100000), (4, 5, 80000), (1, 5, 50000)], individual_scores=True)
    sign_in_as(page, world.people[Role.COMMISSIONER])

    visit(page, f"/c/knowsley/tenders/{built.tender.pk}/")
    go(page, page.get_by_role("link", name="See the results and their sensitivity to the social value weight"))
    expect_heading(page, "Results")
    ranking = page.get_by_role("table", name="Ranking, Whole borough (points out of 100)")
    expect(ranking).to_contain_text("Bidder 2 Community navigation")
    expect(ranking).to_contain_text("78.63")
    expect(ranking).to_contain_text("below the minimum pass score of 2 out of 5")
    chart = page.get_by_role("img", name="Total score against the social value weight, Whole borough")
    expect(chart).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text(
        "At the council's minimum social value weight of 10%, Bidder 1 Community navigation would have won"
    )
    expect(main).to_contain_text("(exactly 1420/123%) the winner changes from Bidder 1 Community navigation")
    expect(page.get_by_role("table", name="Total score at each social value weight, Whole borough")).to_contain_text(
        "15% (set)"
    )

    log_out(page)
    sign_in_as(page, world.people[Role.OFFICER])
    visit(page, f"/c/knowsley/tenders/{built.tender.pk}/why/")
    expect_heading(page, "Why this bidder won")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Scored 5: the answer names local partners and a plan.")
    expect(main).to_contain_text("Price is scored relative to the lowest price")
    expect(main).to_contain_text("No award has been recommended yet.")
    expect(page.get_by_role("img", name="Total score against the social value weight, Whole borough")).to_be_visible()


def test_blockers_show_as_a_warning_in_a_blind_evaluation(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to="commissions")
    with council_scope(world.council):
        built = results_tender(
            world, scores=[(4, 4, 90000), (3, 5, 70000)], blind=True, locked=False, prices_opened=False
        )
    sign_in_as(page, world.people[Role.COMMISSIONER])
    visit(page, f"/c/knowsley/tenders/{built.tender.pk}/results/")
    expect_heading(page, "Results")
    warning = page.locator(".govuk-warning-text")
    expect(warning).to_contain_text("Moderation is not locked")
    expect(warning).to_contain_text("Prices have not been opened.")
    expect(page.get_by_role("table", name="Ranking, Whole borough (points out of 100)")).to_contain_text("Bid A")
    expect(page.get_by_role("main")).not_to_contain_text("Bidder 1")
