"""The accounts library's pages and e-mails: GOV.UK words, the person's name, the site's own address."""

from __future__ import annotations

import re
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import override_settings

from commissioning.models import User
from tests.factories import UserFactory

SITE = "https://commissioning.example.gov.uk"


def _fresh_email() -> str:
    # allauth rate-limits e-mails per address in the cache, which (Redis) outlives a test run.
    return f"sam.{uuid.uuid4().hex[:12]}@example.org"


PASSWORD = "a-long-new-password-2027"


def _link(body: str) -> str:
    found = re.search(r"https?://\S+", body)
    assert found, body
    return found.group(0)


@pytest.mark.django_db
@override_settings(SITE_URL=SITE)
def test_sign_up_asks_for_the_name_and_the_email_links_to_the_site_url(
    client, django_capture_on_commit_callbacks
) -> None:
    page = client.get("/accounts/signup/").content.decode()
    assert page.index('name="name"') < page.index('name="email"')
    assert 'autocomplete="name"' in page
    email = _fresh_email()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {"name": "  Sam   Patel ", "email": email, "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    assert User.objects.get(email=email).name == "Sam Patel"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "[Collaborative Commissioning] Confirm your email address"
    assert message.body.startswith("Hello,")
    assert "Hello from" not in message.body and "testserver" not in message.body
    assert "127.0.0.1" not in message.body
    assert _link(message.body).startswith(f"{SITE}/accounts/confirm-email/")
    assert message.body.rstrip().endswith(f"Collaborative Commissioning\n{SITE}/")

    sent = client.get(response["Location"]).content.decode()
    assert '<h1 class="govuk-heading-l">Check your email</h1>' in sent
    # Following the link (on this test server) confirms the address.
    path = _link(message.body).removeprefix(SITE)
    confirm = client.get(path).content.decode()
    assert '<h1 class="govuk-heading-l">Confirm your email address</h1>' in confirm
    assert "Sam Patel" in confirm
    assert client.post(path).status_code == 302
    assert EmailAddress.objects.get(email=email).verified


@pytest.mark.django_db
def test_sign_up_without_a_name_says_so_beside_the_field_and_keeps_the_rest(client) -> None:
    response = client.post(
        "/accounts/signup/", {"name": "   ", "email": "sam@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "Enter your full name" in page
    assert 'value="sam@example.org"' in page
    assert not User.objects.filter(email="sam@example.org").exists()


@pytest.mark.django_db
@override_settings(SITE_URL=SITE)
def test_the_password_reset_email_links_to_the_site_url(client) -> None:
    email = _fresh_email()
    UserFactory(email=email)
    page = client.get("/accounts/password/reset/").content.decode()
    assert '<h1 class="govuk-heading-l">Reset your password</h1>' in page
    response = client.post("/accounts/password/reset/", {"email": email})
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    assert '<h1 class="govuk-heading-l">Check your email</h1>' in done
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "[Collaborative Commissioning] Reset your password"
    assert _link(body).startswith(f"{SITE}/accounts/password/reset/key/")
    assert "Hello from" not in body and "testserver" not in body

    key_page = client.get(_link(body).removeprefix(SITE), follow=True).content.decode()
    assert '<h1 class="govuk-heading-l">Choose a new password</h1>' in key_page


@pytest.mark.django_db
def test_an_expired_confirmation_link_says_what_to_do(client) -> None:
    page = client.get("/accounts/confirm-email/not-a-real-key/").content.decode()
    assert '<h1 class="govuk-heading-l">This link has expired</h1>' in page


@pytest.mark.django_db
def test_the_portal_offers_the_dashboard_only_to_the_councils_members(client, knowsley, southwark) -> None:
    link = "Go to the council dashboard"
    client.force_login(knowsley.people["citizen"])
    assert link in client.get("/c/knowsley/").content.decode()
    client.force_login(southwark.people["admin"])
    assert link not in client.get("/c/knowsley/").content.decode()
    client.force_login(knowsley.provider)
    assert link not in client.get("/c/knowsley/").content.decode()
    client.logout()
    page = client.get("/c/knowsley/").content.decode()
    assert link not in page
    assert "/accounts/login/?next=/c/knowsley/dashboard/" in page.replace("%2F", "/")


@pytest.mark.django_db
def test_the_api_docs_page_says_its_language(client) -> None:
    page = client.get("/api/docs/").content.decode()
    assert '<html lang="en-GB">' in page


@pytest.mark.django_db
def test_changing_the_password_and_confirming_it_is_you_are_govuk_pages(client) -> None:
    person = UserFactory(email=_fresh_email())
    client.force_login(person)
    page = client.get("/accounts/password/change/").content.decode()
    assert '<h1 class="govuk-heading-l">Change your password</h1>' in page
    assert "Change Password" not in page
    page = client.get("/accounts/reauthenticate/").content.decode()
    assert '<h1 class="govuk-heading-l">Confirm it is you</h1>' in page
    assert 'name="password"' in page
