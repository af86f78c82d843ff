"""Steps several browser journeys take, written once: each moves only through the helpers of
``tests/e2e/conftest.py`` (so every page it lands on is axe-checked) and asserts what the journeys
asserted where they wrote the step out."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from playwright.sync_api import Page, expect

from tests.e2e.conftest import expect_heading, fill_date, go, log_in, totp_secret_of

if TYPE_CHECKING:
    from commissioning.models import User
    from tests.factories import CouncilWorld


def sign_in_as(page: Page, person: User) -> None:
    """:func:`log_in` as one of the test world's people (the factories' password; their code if they have TOTP)."""
    from tests.factories import PASSWORD

    log_in(page, person.email, PASSWORD, totp_secret=totp_secret_of(person))


def open_from_menu(page: Page, name: str) -> None:
    """Follow the link ``name`` in the council's menu."""
    menu = page.get_by_role("navigation", name="Menu", exact=True)
    go(page, menu.get_by_role("link", name=name, exact=True))


def expect_success(page: Page, text: str) -> None:
    """The green notification banner says ``text``."""
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def declare_no_conflict(page: Page) -> None:
    """On the declaration page: no conflict of interest, saved."""
    page.get_by_label("No, I have no conflict of interest").check()
    go(page, page.get_by_role("button", name="Save the declaration"))
    expect_success(page, "Declaration saved.")


def approve_and_publish(page: Page) -> None:
    """On the approval page: approve the tender, then publish it."""
    page.get_by_label("Approve it for publication").check()
    go(page, page.get_by_role("button", name="Save the decision"))
    expect_success(page, "Tender approved for publication.")
    go(page, page.get_by_role("link", name="Publish the tender"))
    expect_heading(page, "Publish the tender")
    go(page, page.get_by_role("button", name="Publish the tender"))
    expect_success(page, "is published")


def open_for_comment_to_residents(page: Page) -> None:
    """On "Open the draft for comment": residents, one prompt, opened and e-mailed."""
    page.get_by_label("The council's residents").check()
    page.get_by_label("What would you like people to think about?").fill("Are the opening hours right?")
    go(page, page.get_by_role("button", name="Open for comment and send the e-mails"))
    expect_heading(page, "Comments on the draft")
    expect_success(page, "open for comment")


def complete_price_commitments_and_declarations(page: Page) -> None:
    """From the bid's task list, after its questions: price the one lot, one commitment, no to both declarations."""
    go(page, page.get_by_role("link", name="Your price"))
    page.get_by_label("Your price for Whole borough").fill("145,000")
    go(page, page.get_by_role("button", name="Save and continue"))

    go(page, page.get_by_role("link", name="Social value commitments"))
    commitment = page.get_by_role("group", name=re.compile(r"^Commitment 1( \(optional\))?$"))
    another = commitment.get_by_label("Another measure")
    if another.count():  # the council has published a social value framework: a measure not in it
        another.check()
        commitment.get_by_label("Your measure").fill("Local people employed")
        commitment.get_by_label("Its unit").fill("jobs")
    else:
        commitment.get_by_label("Measure", exact=True).fill("Local people employed")
        commitment.get_by_label("Unit", exact=True).fill("jobs")
    commitment.get_by_label("Quantity").fill("12")
    fill_date(commitment, "By when", "2027-12-31")
    commitment.get_by_role("group", name="Will it be delivered in the council's local area?").get_by_label(
        "Yes"
    ).check()
    go(page, page.get_by_role("button", name="Save and continue"))

    go(page, page.get_by_role("link", name="Declarations"))
    page.get_by_role("group", name="Do any of the exclusion grounds apply").get_by_label("No").check()
    page.get_by_role("group", name="Do you have a conflict of interest").get_by_label("No").check()
    go(page, page.get_by_role("button", name="Save and continue"))
    expect(page.get_by_role("main")).to_contain_text("You have completed 5 of 5 sections")


def wait_until_saved(page: Page, world: CouncilWorld, section_id: int, words: str) -> None:
    """Autosave fires 2 seconds after the last key: poll (up to 10 s) until the words reach the database."""
    from commissioning.tenancy import council_scope
    from tenders.models import SpecificationSection

    for _ in range(40):
        with council_scope(world.council):
            if words in SpecificationSection.objects.get(pk=section_id).body:
                return
        page.wait_for_timeout(250)
    raise AssertionError(f"autosave never saved {words!r}")
