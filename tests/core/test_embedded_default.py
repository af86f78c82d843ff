"""The embedded default (`make run`) is safe to put in front of a room: no debug pages, GOV.UK error
pages, SQLite that queues writers instead of failing, and links that carry the site's real address."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client, override_settings

from tests.factories import CouncilWorld

ROOT = Path(__file__).resolve().parents[2]
# What the embedded default reads; dropped so the subprocess sees what `make run` sees.
EMBEDDED_VARIABLES = {
    "DATABASE_URL",
    "REDIS_URL",
    "DEBUG",
    "SITE_URL",
    "HOST",
    "PORT",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DJANGO_SETTINGS_MODULE",
}


def _embedded_settings(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in EMBEDDED_VARIABLES}
    clean.update(env, DJANGO_SETTINGS_MODULE="commissioning.settings.base")
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'DEBUG': s.DEBUG, 'SITE_URL': s.SITE_URL, 'ALLOWED_HOSTS': s.ALLOWED_HOSTS, "
        "'CSRF_TRUSTED_ORIGINS': s.CSRF_TRUSTED_ORIGINS, 'DB': s.DATABASES['default']}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_embedded_default_has_debug_off_and_sqlite_that_waits_for_the_lock() -> None:
    embedded = _embedded_settings()
    assert embedded["DEBUG"] is False
    database = embedded["DB"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"].endswith("var/db.sqlite3")
    assert database["ATOMIC_REQUESTS"] is True
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] >= 20
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_the_site_address_defaults_from_host_and_port() -> None:
    assert _embedded_settings()["SITE_URL"] == "http://127.0.0.1:8000"
    served = _embedded_settings(HOST="192.168.1.20", PORT="8123")
    assert served["SITE_URL"] == "http://192.168.1.20:8123"
    # The address people are given must be accepted by the server and by its CSRF check.
    assert "192.168.1.20" in served["ALLOWED_HOSTS"]
    assert served["CSRF_TRUSTED_ORIGINS"] == ["http://192.168.1.20:8123"]
    named = _embedded_settings(HOST="0.0.0.0", SITE_URL="http://workshop.local:8000/")  # noqa: S104
    assert named["SITE_URL"] == "http://workshop.local:8000"
    assert "workshop.local" in named["ALLOWED_HOSTS"]


def test_debug_can_still_be_asked_for() -> None:
    assert _embedded_settings(DEBUG="true")["DEBUG"] is True


def test_no_hard_coded_local_address_in_links() -> None:
    """Links and e-mails come from SITE_URL (commissioning.links), never from a literal address."""
    offenders = []
    for folder in ("commissioning", "tenders", "social_value", "citizens", "grants", "templates"):
        for file in (ROOT / folder).rglob("*"):
            if file.suffix in {".py", ".html", ".txt"} and "settings" not in file.parts:
                if "127.0.0.1:8000" in file.read_text(encoding="utf-8"):
                    offenders.append(str(file.relative_to(ROOT)))
    assert offenders == []


@override_settings(SITE_URL="https://commissioning.knowsley.example.gov.uk")
def test_invitation_emails_link_to_the_site_url_not_the_request_host(
    client, knowsley: CouncilWorld, django_capture_on_commit_callbacks
) -> None:
    from commissioning.celery import app

    app.conf.task_always_eager = True
    try:
        client.force_login(knowsley.people["admin"])
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/c/knowsley/members/invite/", {"email": "new.person@example.org", "role": "evaluator"})
    finally:
        app.conf.task_always_eager = False
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "https://commissioning.knowsley.example.gov.uk/invitations/" in body
    assert "testserver" not in body


@override_settings(SITE_URL="https://commissioning.example.gov.uk")
def test_api_links_use_the_site_url(client, knowsley: CouncilWorld) -> None:
    client.force_login(knowsley.people["citizen"])
    response = client.get("/api/v1/councils/knowsley/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["portal_url"] == "https://commissioning.example.gov.uk/c/knowsley/"


# --- error pages -------------------------------------------------------------------------------


def _assert_govuk_page(response, heading: str) -> str:
    page = response.content.decode()
    assert '<html lang="en-GB"' in page
    assert "govuk-template__body" in page
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in page
    assert "Traceback" not in page and "DEBUG = True" not in page
    return page


@pytest.mark.django_db
def test_a_missing_page_is_a_govuk_404(client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    _assert_govuk_page(response, "Page not found")


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.core.error_urls")
def test_a_refusal_is_a_govuk_403(client) -> None:
    response = client.get("/test-errors/forbidden/")
    assert response.status_code == 403
    page = _assert_govuk_page(response, "You do not have permission to view this page")
    assert "Only the council&#x27;s officers may do this" in page


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.core.error_urls")
def test_a_failure_is_a_govuk_500_that_reveals_nothing() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/test-errors/broken/")
    assert response.status_code == 500
    page = _assert_govuk_page(response, "Sorry, there is a problem with the service")
    assert "boom" not in page and "secret" not in page
    assert "/static/build/app.css" in page


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.core.error_urls")
def test_a_bad_request_is_a_govuk_400(client) -> None:
    response = client.get("/test-errors/suspicious/")
    assert response.status_code == 400
    page = _assert_govuk_page(response, "Sorry, there is a problem with this request")
    assert "tampered" not in page


@pytest.mark.django_db
def test_a_host_the_site_does_not_serve_gets_a_govuk_400(client) -> None:
    response = client.get("/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    _assert_govuk_page(response, "Sorry, there is a problem with this request")


@pytest.mark.django_db
def test_a_form_posted_without_its_csrf_token_gets_a_govuk_403_that_says_what_to_do() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "someone@example.org", "password": "whatever-it-is"})
    assert response.status_code == 403
    page = _assert_govuk_page(response, "Sorry, we could not accept that form")
    assert "reload the page" in page
    assert "CSRF verification failed" not in page


@pytest.mark.django_db
def test_council_logos_are_served_but_nothing_else_under_media(client, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "council-logos").mkdir()
    (tmp_path / "council-logos" / "knowsley.png").write_bytes(b"\x89PNG\r\n\x1a\nlogo")
    (tmp_path / "councils" / "1" / "bids").mkdir(parents=True)
    (tmp_path / "councils" / "1" / "bids" / "x.sealed").write_bytes(b"sealed")
    assert client.get("/media/council-logos/knowsley.png").status_code == 200
    assert client.get("/media/councils/1/bids/x.sealed").status_code == 404
    assert client.get("/media/council-logos/../councils/1/bids/x.sealed").status_code == 404
