"""Nothing destroyed in one click: a commissioner removes a section (and restores it from its saved
version), a lot and a criterion, each after "Are you sure?"; a provider removes a document from an
answer after the same question. Every page is checked with axe and works without JavaScript (plain
forms and links)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders import services
from tenders.models import Criterion, Lot, SpecificationSection, Tender
from tests.e2e.conftest import expect_heading, go, visit
from tests.e2e.journeys import expect_success, sign_in_as
from tests.factories import EVERYTHING, council_with_people
from tests.tenders.test_bids_helpers import local_charity, published_tender


def test_a_commissioner_removes_a_section_a_lot_and_a_criterion_only_after_confirming(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    commissioner = world.people[Role.COMMISSIONER]
    with council_scope(world.council):
        tender = Tender.objects.get(council=world.council, title=f"{world.council.slug}-private-tender")
        services.section_add(tender=tender, actor=commissioner, title="Opening hours", body="<p>Saturdays too.</p>")
        lot = Lot.objects.filter(tender=tender).first() or services.lot_add(
            tender=tender, actor=commissioner, title="Huyton"
        )
    sign_in_as(page, commissioner)

    # The section: "Remove" asks first; "No, keep the section" keeps it
    visit(page, f"/c/knowsley/tenders/{tender.pk}/specification/")
    region = page.get_by_role("region", name="2. Opening hours")
    go(page, region.get_by_role("button", name="Remove section Opening hours"))
    expect_heading(page, "Are you sure you want to remove the section “Opening hours”?")
    go(page, page.get_by_role("link", name="No, keep the section"))
    expect(page.get_by_role("region", name="2. Opening hours")).to_be_visible()
    go(page, page.get_by_role("region", name="2. Opening hours").get_by_role("button", name="Remove section"))
    go(page, page.get_by_role("button", name="Yes, remove the section"))
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Section “Opening hours” removed. Its text is kept in version")
    expect(page.get_by_role("region", name="2. Opening hours")).to_have_count(0)
    # Restored from the version that keeps it
    with council_scope(world.council):
        version = tender.specification_versions.order_by("-number").first()
    visit(page, f"/c/knowsley/tenders/{tender.pk}/specification/versions/{version.pk}/")
    go(page, page.get_by_role("button", name=re.compile(r"Restore this section\W+Opening hours")))
    expect_success(page, f"Section “Opening hours” restored from version {version.number}")
    with council_scope(world.council):
        assert SpecificationSection.objects.filter(tender=tender, title="Opening hours").count() == 1

    # The lot
    visit(page, f"/c/knowsley/tenders/{tender.pk}/lots/{lot.pk}/")
    go(page, page.get_by_role("link", name="Remove the lot"))
    expect_heading(page, f"Are you sure you want to remove the lot “{lot.title}”?")
    go(page, page.get_by_role("button", name="Yes, remove the lot"))
    expect_success(page, f"Lot “{lot.title}” removed.")

    # A saved criterion: ticking "Remove" and saving asks first, with the page as typed
    with council_scope(world.council):
        saved = list(Criterion.objects.filter(tender=tender, parent=None).order_by("position"))
    visit(page, f"/c/knowsley/tenders/{tender.pk}/evaluation-model/")
    removed = saved[-1]
    page.locator(f"#id_criteria-{_row_of(page, removed.title)}-DELETE").check()
    go(page, page.get_by_role("button", name="Save the evaluation model"))
    expect(page.locator(".govuk-notification-banner").first).to_contain_text(f"“{removed.title}”?")
    with council_scope(world.council):
        assert Criterion.objects.filter(tender=tender, title=removed.title).exists()


def _row_of(page: Page, title: str) -> int:
    """The formset row whose name is ``title``."""
    for index in range(30):
        field = page.locator(f"#id_criteria-{index}-title")
        if field.count() and field.input_value() == title:
            return index
    raise AssertionError(f"no criterion {title!r}")


def test_a_provider_removes_a_document_only_after_confirming(page: Page) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to=EVERYTHING)
    _, person = local_charity()
    with council_scope(world.council):
        tender = published_tender(world)
        question = Criterion.objects.filter(tender=tender, kind="quality", children__isnull=True).first()
    sign_in_as(page, person)
    visit(page, f"/c/knowsley/opportunities/{tender.pk}/bid/")
    go(page, page.get_by_role("button", name="Start your bid"))
    go(page, page.get_by_role("link", name=f"Question 1: {question.title}"))
    page.get_by_label(question.question_text).fill("Our answer.")
    page.get_by_label("Attach a document").set_input_files(
        files=[{"name": "policy.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 our policy"}]
    )
    go(page, page.get_by_role("button", name="Save and continue"))
    expect(page.get_by_role("main")).to_contain_text("policy.pdf is attached.")
    go(page, page.get_by_role("link", name="Remove policy.pdf"))
    expect_heading(page, "Are you sure you want to remove policy.pdf?")
    go(page, page.get_by_role("link", name="No, keep it"))
    expect(page.get_by_role("link", name="policy.pdf", exact=True)).to_be_visible()
    go(page, page.get_by_role("link", name="Remove policy.pdf"))
    go(page, page.get_by_role("button", name="Yes, remove the document"))
    expect_success(page, "policy.pdf is removed from your bid.")
    expect(page.get_by_role("link", name="policy.pdf", exact=True)).to_have_count(0)
