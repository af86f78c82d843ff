"""The accessibility check itself: it must catch real violations, or every journey passes vacuously."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser

from tests.e2e.conftest import Journey

BROKEN = """<!DOCTYPE html><html lang="en-GB"><head><title>Broken</title></head><body><main>
<h1>Broken on purpose</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#bbb;background:#fff">Pale grey text on white.</p>
<input type="text" id="nameless">
</main></body></html>"""
CLEAN = """<!DOCTYPE html><html lang="en-GB"><head><title>Clean</title></head><body><main>
<h1>Clean</h1><label for="name">Name</label><input type="text" id="name"></main></body></html>"""


def test_the_axe_check_reports_violations_with_rule_impact_and_nodes(browser: Browser, tmp_path: Path) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        journey = Journey(name="harness", screens=tmp_path)
        page.set_content(BROKEN)
        journey.check(page)
        journey.check(page)  # the same page again is not checked twice
        report = journey.problems()
        for rule in ("image-alt", "color-contrast", "label"):
            assert f" {rule} [" in report, report
        assert "img" in report and "#nameless" in report, report
        assert len(list(tmp_path.glob("*.png"))) == 1

        clean = Journey(name="harness-clean", screens=tmp_path / "clean")
        page.set_content(CLEAN)
        clean.check(page)
        assert clean.problems() == ""
    finally:
        context.close()
