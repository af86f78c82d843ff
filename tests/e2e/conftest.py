"""Browser journeys: Playwright (sync API) driving headless Debian Chromium against ``live_server``.

Every distinct page a journey lands on is checked with axe (WCAG 2.0, 2.1 and 2.2, levels A and
AA) exactly once per test, and a viewport screenshot of it is saved under
``var/e2e-screens/<test>/<n>-<slug>.png``. A page is "distinct" by its URL and title, so a form
shown again with its errors ("Error: ..." in the title) is checked as well as the form itself.

Journeys move between pages only through the helpers here, which run the check after each load:

- :func:`visit` goes to a URL,
- :func:`go` clicks something that loads a new page (a link, a submit button),
- :func:`log_in` drives the real allauth sign-in, including the authenticator code.

Steps that several journeys take (signing in as one of the test world's people, declaring no
conflict, approving and publishing, finishing a bid) are in ``tests/e2e/journeys.py``.

At teardown the test fails with every accessibility violation found (rule id, impact, help and
the nodes), with any page that loaded without being checked, and with any asset that failed to
load or script error, since those leave a page unstyled or broken for real people.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, Request, Response, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

if TYPE_CHECKING:
    from commissioning.models import User

# Playwright's sync API runs an event loop in this thread; without this Django refuses ORM calls
# made by the test itself (building data, reading it back) as "async unsafe". Django reads it at
# each call, so setting it when this conftest is imported (at collection) is early enough.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

E2E_DIR = Path(__file__).resolve().parent
SCREENS_DIR = E2E_DIR.parent.parent / "var" / "e2e-screens"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
TIMEOUT_MS = 10_000
# expect() assertions get the same patience: on two busy cores (xdist, the fuzz) a page can take
# longer than Playwright's default 5 s.
expect.set_options(timeout=TIMEOUT_MS)

_axe = Axe()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/e2e is a browser journey: ``-m "not e2e"`` skips them all."""
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


# --- The per-test record of pages, accessibility violations and broken assets ------------------


@dataclass
class Journey:
    """What one test's browser saw."""

    name: str
    screens: Path
    checked: set[tuple[str, str]] = field(default_factory=set)
    checked_urls: set[str] = field(default_factory=set)
    loaded: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    count: int = 0

    def check(self, page: Page) -> None:
        """Run axe and take a screenshot, once per distinct page (URL and title) in this test."""
        page.wait_for_load_state("load")
        url = _without_fragment(page.url)
        title = page.title()
        if (url, title) in self.checked:
            return
        self.checked.add((url, title))
        self.checked_urls.add(url)
        self.count += 1
        slug = _slug(urlsplit(url).path, title)
        self.screens.mkdir(parents=True, exist_ok=True)
        _screenshot(page, self.screens / f"{self.count:02d}-{slug}.png")
        results = _axe.run(page, options=AXE_OPTIONS)
        for violation in results.response["violations"]:
            nodes = "\n".join(
                f"      - {', '.join(map(str, node['target']))}: {_one_line(node.get('failureSummary', ''))[:400]}"
                f"\n        {_one_line(node.get('html', ''))[:300]}"
                for node in violation["nodes"]
            )
            self.violations.append(
                f"{url} ({title!r})\n"
                f"    {violation['id']} [{violation['impact']}] {violation['help']}\n"
                f"    {violation['helpUrl']}\n{nodes}"
            )

    def problems(self) -> str:
        sections = []
        if self.violations:
            sections.append("Accessibility violations (axe, WCAG A/AA):\n  " + "\n  ".join(self.violations))
        unchecked = [url for url in dict.fromkeys(self.loaded) if url not in self.checked_urls]
        if unchecked:
            sections.append(
                "Pages loaded but never axe-checked (navigate with visit/go/log_in):\n  " + "\n  ".join(unchecked)
            )
        if self.broken:
            sections.append("Broken assets or script errors:\n  " + "\n  ".join(dict.fromkeys(self.broken)))
        return "\n\n".join(sections)


def _without_fragment(url: str) -> str:
    return urldefrag(url)[0]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _screenshot(page: Page, path: Path, attempts: int = 3) -> None:
    """The page's screenshot, for people to look at. Chromium sometimes answers "Unable to capture
    screenshot" on a loaded machine (seen in CI mid-journey): try again after a moment before failing."""
    for attempt in range(1, attempts + 1):
        try:
            page.screenshot(path=str(path))
            return
        except PlaywrightError as error:
            if "Unable to capture screenshot" not in str(error) or attempt == attempts:
                raise
            page.wait_for_timeout(500 * attempt)


def _slug(path: str, title: str) -> str:
    words = path.strip("/") or "home"
    if title.startswith("Error:"):
        words += "-error"
    return re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")[:60] or "page"


_JOURNEYS: dict[int, Journey] = {}


def journey_of(page: Page) -> Journey:
    return _JOURNEYS[id(page)]


@pytest.fixture
def page(browser: Browser, live_server, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser context per test, at 1280x900 in en-GB, on the live server."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    screens = SCREENS_DIR / name
    shutil.rmtree(screens, ignore_errors=True)
    journey = Journey(name=name, screens=screens)

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    _JOURNEYS[id(page)] = journey
    page.on("load", lambda loaded: journey.loaded.append(_without_fragment(loaded.url)))
    page.on("pageerror", lambda error: journey.broken.append(f"script error on {page.url}: {error}"))

    def on_console(message: ConsoleMessage) -> None:
        # Chromium reports every Content-Security-Policy refusal (an inline script or style, an
        # eval, a source from elsewhere) on the console: each one is a page the policy breaks.
        if "Content Security Policy" in message.text:
            journey.broken.append(f"CSP violation on {page.url}: {_one_line(message.text)[:1000]}")

    page.on("console", on_console)

    def on_request_failed(request_: Request) -> None:
        # Leaving a page cancels what it was still fetching (net::ERR_ABORTED): not a fault.
        if "ERR_ABORTED" not in (request_.failure or ""):
            journey.broken.append(f"request failed: {request_.method} {request_.url} ({request_.failure})")

    page.on("requestfailed", on_request_failed)

    def on_response(response: Response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            journey.broken.append(f"{response.status} for {response.request.resource_type} {response.url}")

    page.on("response", on_response)
    try:
        yield page
    finally:
        _JOURNEYS.pop(id(page), None)
        context.close()
    problems = journey.problems()
    if problems:
        pytest.fail(f"{request.node.nodeid}\n{problems}", pytrace=False)


# --- Moving around ----------------------------------------------------------------------------


def check(page: Page) -> None:
    """Axe-check (and screenshot) the page now shown, unless this test already checked it."""
    journey_of(page).check(page)


def visit(page: Page, url: str) -> Response | None:
    """Go to ``url`` (absolute, or a path on the live server), then check the page."""
    response = page.goto(url)
    check(page)
    return response


def go(page: Page, target: Locator) -> None:
    """Click something that loads a new page (a link, a submit button), then check that page."""
    with page.expect_navigation(wait_until="load"):
        target.click()
    check(page)


def expect_heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


# --- Signing in ---------------------------------------------------------------------------------

_codes_used: set[tuple[str, int]] = set()


def totp_code(secret: str) -> str:
    """The authenticator code for now, as an app would show it.

    allauth accepts only the current 30-second window and refuses a code used before, so: never
    hand out a window this process already used for the secret, and when the window is about to
    close, wait for the next one rather than race it.
    """
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    while True:
        now = time.time()
        counter = int(now) // period
        left = period - (now % period)
        if left < 3 or (secret, counter) in _codes_used:
            time.sleep(left + 0.1)
            continue
        _codes_used.add((secret, counter))
        return format_hotp_value(hotp_value(secret, counter))


def totp_secret_of(user: User) -> str | None:
    """The secret of the person's authenticator app (as their phone holds it), or None."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return decrypt(authenticator.data["secret"]) if authenticator else None


def enter_totp_code(page: Page, secret: str, button: str) -> None:
    """Type the current code into ``#id_code`` and submit; one retry in the next window if refused.

    A retry is needed only when the same user signed in with this code in this window from an
    earlier run (allauth remembers used codes in the cache, which outlives the test database).
    """
    for _attempt in range(2):
        before = page.url
        page.locator("#id_code").fill(totp_code(secret))
        go(page, page.get_by_role("button", name=button))
        if page.url != before or not page.title().startswith("Error:"):
            return
    pytest.fail(f"the authenticator code was refused twice at {page.url}")


def log_in(page: Page, email: str, password: str, totp_secret: str | None = None) -> None:
    """Sign in through the real allauth form (and its code prompt when the person has TOTP)."""
    visit(page, "/accounts/login/")
    expect_heading(page, "Sign in")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    go(page, page.get_by_role("main").get_by_role("button", name="Sign in"))
    if totp_secret:
        expect_heading(page, "Enter your security code")
        enter_totp_code(page, totp_secret, "Continue")
    expect(page.get_by_role("navigation", name="Account", exact=True)).to_contain_text(email)


def log_out(page: Page) -> None:
    """Through the header's "Sign out" link and allauth's confirmation page."""
    go(page, page.get_by_role("navigation", name="Account", exact=True).get_by_role("link", name="Sign out"))
    expect_heading(page, "Sign out")
    go(page, page.get_by_role("main").get_by_role("button", name="Sign out"))
    account = page.get_by_role("navigation", name="Account", exact=True)
    expect(account.get_by_role("link", name="Sign in")).to_be_visible()
    expect(account.get_by_role("link", name="Sign out")).to_have_count(0)


# --- GOV.UK date inputs ---------------------------------------------------------------------------


def _date_parts(value: str | date | datetime) -> dict[str, str]:
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
    parts = {"Day": str(value.day), "Month": str(value.month), "Year": str(value.year)}
    if isinstance(value, datetime):
        parts["Time"] = value.strftime("%H:%M")
    return parts


def fill_date(scope: Page | Locator, legend: str, value: str | date | datetime) -> None:
    """Type a date (a ``datetime`` also fills the time box) into the GOV.UK date input named by its legend.

    A ``datetime`` is typed as given (aware ones in UK time, as a person there would read it).
    """
    if isinstance(value, datetime) and value.tzinfo is not None:
        from django.utils import timezone

        value = timezone.localtime(value)
    group = scope.get_by_role("group", name=legend)
    for label, text in _date_parts(value).items():
        group.get_by_label(label, exact=True).fill(text)


def expect_date(scope: Page | Locator, legend: str, value: str | date | datetime) -> None:
    """The GOV.UK date input named by ``legend`` shows ``value``."""
    group = scope.get_by_role("group", name=legend)
    for label, text in _date_parts(value).items():
        expect(group.get_by_label(label, exact=True)).to_have_value(text)


# The editor's caret at the end of its text, set on the page rather than by Ctrl+End: on a busy CI
# core a click's caret (mid-text) sometimes outlived the key press, and the typing landed mid-word.
_CARET_TO_END = """el => {
  el.focus();
  const range = document.createRange();
  range.selectNodeContents(el);
  range.collapse(false);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}"""


def type_new_paragraph(editor: Locator, words: str) -> None:
    """Type ``words`` as a new paragraph at the end of a rich-text editor (django-prose-editor)."""
    editor.click()
    editor.evaluate(_CARET_TO_END)
    expect(editor).to_be_focused()
    editor.press("End")
    editor.press("Enter")
    editor.press_sequentially(words)
