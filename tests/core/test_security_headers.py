"""Security headers on every kind of response, a policy the templates can meet, HSTS in production.

The browser journeys (tests/e2e) check the other half: Chromium reports no Content-Security-Policy
refusal on any page they visit (tests/e2e/conftest.py fails a journey on one).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.helpers import api_with_token, signed_in

ROOT = Path(settings.BASE_DIR)


def _directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_secure(response) -> None:  # type: ignore[no-untyped-def]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[directive], directive
        assert "'unsafe-eval'" not in policy[directive], directive
    # Scripts: this origin, and an inline element only with this response's nonce.
    assert [v for v in policy["script-src"] if not v.startswith("'nonce-")] == ["'self'"]


@pytest.mark.django_db
def test_every_kind_of_response_carries_the_security_headers(client, knowsley, southwark) -> None:
    commissioner = knowsley.people["commissioner"]
    responses = {
        "public page": client.get("/accessibility/"),
        "council portal": client.get("/c/knowsley/"),
        "page not found": client.get("/no-such-page/"),
        "redirect to sign in": client.get("/c/knowsley/dashboard/"),
        "another council's page (404)": signed_in(southwark.people["admin"]).get("/c/knowsley/dashboard/"),
        "member's page": signed_in(knowsley.people["citizen"]).get("/c/knowsley/dashboard/"),
        "form with errors": client.post("/accounts/login/", {"login": "nobody@example.org", "password": "x"}),
        "API list": api_with_token(commissioner).get("/api/v1/councils/knowsley/commissions/"),
        "API error": client.get("/api/v1/councils/knowsley/commissions/"),
        "API docs": client.get("/api/docs/"),
        "API docs' script": client.get("/api/docs/?script="),
    }
    expected = {
        "public page": 200,
        "council portal": 200,
        "page not found": 404,
        "redirect to sign in": 302,
        "another council's page (404)": 404,
        "member's page": 200,
        "form with errors": 200,
        "API list": 200,
        "API error": 404,  # to anyone not a member, a council's API says nothing exists
        "API docs": 200,
        "API docs' script": 200,
    }
    assert {name: r.status_code for name, r in responses.items()} == expected
    for name, response in responses.items():
        try:
            assert_secure(response)
        except (AssertionError, KeyError) as error:
            raise AssertionError(f"{name}: {error!r}") from error


@pytest.mark.django_db
def test_the_councils_colour_comes_in_a_style_element_with_the_responses_nonce(client, knowsley) -> None:
    response = client.get("/c/knowsley/")
    nonces = set(re.findall(r"'nonce-([^']+)'", response["Content-Security-Policy"]))
    assert len(nonces) == 1
    (nonce,) = nonces
    page = response.content.decode()
    assert f'<style nonce="{nonce}">' in page
    assert f"--council-colour: {knowsley.council.colour};" in page
    # A second response has a nonce of its own.
    again = client.get("/c/knowsley/")
    assert nonce not in again["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_api_docs_script_is_served_as_a_file_of_its_own(client) -> None:
    page = client.get("/api/docs/").content.decode()
    assert '<script src="/api/docs/?script="></script>' in page
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


# --- What the templates may contain --------------------------------------------------------

TEMPLATE_DIRS = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style(?P<attributes>[^>]*)>", re.IGNORECASE)


def _templates() -> list[Path]:
    found = [path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html")]
    assert len(found) > 100, TEMPLATE_DIRS  # the walk found the templates
    return found


def test_no_template_has_an_inline_script_a_style_attribute_or_an_event_handler() -> None:
    problems = []
    for path in _templates():
        text = path.read_text()
        for name, pattern in (
            ("inline script", INLINE_SCRIPT),
            ("style attribute", STYLE_ATTRIBUTE),
            ("event handler attribute", EVENT_HANDLER),
        ):
            problems += [f"{path.relative_to(ROOT)}: {name}: {m.group(0)[:80]}" for m in pattern.finditer(text)]
        for element in STYLE_ELEMENT.finditer(text):
            if "csp_nonce" not in element.group("attributes"):
                problems.append(f"{path.relative_to(ROOT)}: <style> without the nonce")
    assert problems == []


def test_the_template_check_finds_what_it_looks_for() -> None:
    assert INLINE_SCRIPT.search('<script type="module">let a = 1</script>')
    assert not INLINE_SCRIPT.search('<script type="module" src="/static/build/app.js"></script>')
    assert not INLINE_SCRIPT.search('<script data-x="y" type="application/json">{}</script>')
    assert STYLE_ATTRIBUTE.search('<div class="a" style="color: red">')
    assert not STYLE_ATTRIBUTE.search('<p class="govuk-body">The style="x" of it</p>')
    assert EVENT_HANDLER.search('<button onclick="go()">')
    assert not EVENT_HANDLER.search('<button data-module="govuk-button">')


# --- Production -----------------------------------------------------------------------------

PRODUCTION_PROBE = """
import django
django.setup()
from django.test import Client, override_settings
storages = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
with override_settings(STORAGES=storages):
    over_tls = Client().get("/accessibility/", secure=True, HTTP_HOST="council.example")
    plain = Client().get("/accessibility/", HTTP_HOST="council.example")
print(over_tls.status_code)
print(over_tls["Strict-Transport-Security"])
print(over_tls["Content-Security-Policy"])
print(plain.status_code, plain["Location"])
"""


def test_production_sends_hsts_and_upgrades_insecure_requests(tmp_path) -> None:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "commissioning.settings.production",
        "SECRET_KEY": "probe-only",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:1",
        "ALLOWED_HOSTS": "council.example",
        "COMMISSIONING_BID_KEYS": "probe",
        "COMMISSIONING_AUDIT_KEYS": "probe",
        "COMMISSIONING_MFA_KEYS": "probe",
        "SITE_URL": "https://council.example",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and settings
        [sys.executable, "-c", PRODUCTION_PROBE], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    status, hsts, policy, redirect = result.stdout.strip().splitlines()
    assert status == "200"
    assert hsts == "max-age=31536000; includeSubDomains; preload"
    assert "upgrade-insecure-requests" in _directives(policy)
    assert redirect == "301 https://council.example/accessibility/"
