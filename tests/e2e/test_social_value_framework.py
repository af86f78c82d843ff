"""A council admin imports a social value framework CSV with one bad row, sees the error, fixes it,
and the measures appear; then retires one and publishes a version."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from commissioning.models import Role
from commissioning.tenancy import council_scope
from social_value.models import FrameworkVersion, Measure
from tests.e2e.conftest import expect_heading, go, visit
from tests.e2e.journeys import expect_success, sign_in_as
from tests.factories import council_with_people

HEADER = "theme,outcome,code,name,unit,evidence,proxy_value,proxy_source,proxy_year"
GOOD = "Local economy,More local jobs,LJ-1,Local people hired,people,Payroll,,,"
BAD = "Local economy,More local jobs,LJ-2,Apprentices taken on,apprenticeships,Agreements,12.50,Council study,20X5"


def test_an_admin_imports_a_framework_fixes_the_bad_row_and_publishes(page: Page, tmp_path: Path) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to="social_value_framework")
    sign_in_as(page, world.people[Role.ADMIN])
    visit(page, "/c/knowsley/dashboard/")
    go(page, page.get_by_role("main").get_by_role("link", name="Social value framework"))
    expect_heading(page, "Social value framework")
    expect(page.locator("#attribution")).to_contain_text("Test attribution")

    # A file with one bad row (a year that is not one): nothing is imported, the row is named
    bad = tmp_path / "framework.csv"
    bad.write_text(f"{HEADER}\n{GOOD}\n{BAD}\n")
    go(page, page.get_by_role("link", name="Import a CSV file"))
    expect_heading(page, "Import a framework CSV file")
    page.get_by_label("CSV file").set_input_files(str(bad))
    go(page, page.get_by_role("button", name="Import the file"))
    assert page.title().startswith("Error:"), page.title()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Nothing was imported")
    problems = page.locator("#import-problems")
    expect(problems).to_contain_text("proxy_year")
    expect(problems.get_by_role("row").nth(1)).to_contain_text("3")
    with council_scope(world.council):
        assert not Measure.objects.filter(council=world.council, code__startswith="LJ").exists()

    # Fixed, it imports, and the measures appear under their new theme and outcome
    fixed = tmp_path / "fixed.csv"
    fixed.write_text(f"{HEADER}\n{GOOD}\n{BAD.replace('20X5', '2025')}\n")
    page.get_by_label("CSV file").set_input_files(str(fixed))
    go(page, page.get_by_role("button", name="Import the file"))
    expect_heading(page, "Social value framework")
    expect_success(page, "2 measures added")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Local economy")).to_be_visible()
    expect(main).to_contain_text("Local people hired")
    expect(main).to_contain_text("£12.50 per unit (Council study, 2025)")

    # Retire one, from its confirmation page, and publish version 2
    go(page, main.get_by_role("link", name="Retire LJ-1"))
    expect_heading(page, "Are you sure you want to retire the measure LJ-1 “Local people hired”?")
    go(page, page.get_by_role("button", name="Yes, retire the measure"))
    expect_success(page, "Measure LJ-1 retired")
    go(page, page.get_by_role("link", name="Publish a version"))
    expect_heading(page, "Publish a version of the framework")
    page.get_by_label("What changed (optional)").fill("Local jobs measures")
    go(page, page.get_by_role("button", name="Publish the version"))
    expect_success(page, "Version 2 of the framework published")
    expect(page.locator("#latest-version")).to_contain_text("Version 2 published")
    with council_scope(world.council):
        assert FrameworkVersion.objects.filter(council=world.council).count() == 2
