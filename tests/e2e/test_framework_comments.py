"""The social value framework opened for comment in the browser: an admin opens it to a local
voluntary group, a member of the group comments on a measure, the admin replies, and the member
reads the reply (the seed: "the local voluntary sector has been involved in shaping the indicators")."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from commissioning.models import Role
from commissioning.tenancy import council_scope
from social_value.models import Measure
from tests.e2e.conftest import expect_heading, go, log_out, visit
from tests.e2e.journeys import expect_success, sign_in_as
from tests.factories import council_with_people


def test_a_voluntary_group_comments_on_a_measure_and_reads_the_admins_reply(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to="social_value_framework")
    admin, member, group = world.people[Role.ADMIN], world.provider, world.organisation
    assert member is not None and group is not None
    with council_scope(world.council):
        measure = Measure.objects.get(council=world.council, code="SV-1")
    measure_title = f"SV-1 {measure.name}"

    # The admin opens the framework for comment to the voluntary group.
    sign_in_as(page, admin)
    visit(page, "/c/knowsley/social-value/framework/")
    expect_heading(page, "Social value framework")
    go(page, page.get_by_role("link", name="Open for comment", exact=True))
    expect_heading(page, "Open the framework for comment")
    go(page, page.get_by_role("button", name="Open the framework for comment"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose who may comment")
    page.get_by_label(group.name).check()
    page.get_by_label("What would you like people to think about?").fill("Do these measures count what you do?")
    go(page, page.get_by_role("button", name="Open the framework for comment"))
    expect_heading(page, "Comments on the framework")
    expect_success(page, "open for comment")
    log_out(page)

    # A member of the group finds it among the consultations and comments on a measure.
    sign_in_as(page, member)
    visit(page, "/c/knowsley/consultations/")
    go(page, page.get_by_role("link", name="knowsley-private-framework", exact=True))
    expect_heading(page, "knowsley-private-framework")
    expect(page.get_by_role("main")).to_contain_text("Do these measures count what you do?")
    region = page.locator(f"#measure-{measure.pk}")
    region.get_by_text("Comment on this measure").click()
    go(page, region.get_by_role("button", name="Send comment"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your comment")
    region = page.locator(f"#measure-{measure.pk}")
    region.get_by_label(f"Your comment on “{measure_title}”").fill("Count regular volunteers, not only hours.")
    go(page, region.get_by_role("button", name="Send comment"))
    expect_success(page, "Thank you")
    expect(page.locator(f"#measure-{measure.pk}")).to_contain_text("Waiting for a reply")
    log_out(page)

    # The admin sees the comment on the measure and replies.
    sign_in_as(page, admin)
    visit(page, "/c/knowsley/social-value/framework/")
    expect(page.locator("#comment-round-status")).to_contain_text("1 comment, 1 without a reply")
    go(page, page.get_by_role("link", name=f"1 comment, 1 without a reply on {measure}"))
    expect_heading(page, "Comments on the framework")
    expect(page.get_by_role("heading", name=f"Comments on “{measure_title}”")).to_be_visible()
    card = page.locator(".govuk-summary-card", has_text="Count regular volunteers")
    expect(card).to_contain_text(f"Comment from {group.name}")
    go(page, card.get_by_role("button", name="Reply and resolve"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a reply to the comment")
    card = page.locator(".govuk-summary-card", has_text="Count regular volunteers")
    card.get_by_label("Your reply").fill("Agreed: the measure now counts regular volunteers too.")
    go(page, card.get_by_role("button", name="Reply and resolve"))
    expect_success(page, "It is resolved")
    log_out(page)

    # The member reads the reply.
    sign_in_as(page, member)
    visit(page, "/c/knowsley/consultations/")
    go(page, page.get_by_role("link", name="knowsley-private-framework", exact=True))
    region = page.locator(f"#measure-{measure.pk}")
    expect(region).to_contain_text("Replied")
    expect(region).to_contain_text("Agreed: the measure now counts regular volunteers too.")
