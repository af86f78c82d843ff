"""The person's API token, and Django admin for platform staff only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import PASSWORD, CouncilWorld, UserFactory, give_totp, sign_in, totp_code_now


@pytest.fixture(autouse=True)
def _fresh_rate_limits_and_used_codes() -> None:
    # allauth keeps log-in rate limits and used TOTP codes in the cache, which outlives the test database.
    cache.clear()


def _new_token_on(page: str) -> str:
    marker = 'id="new-api-token">'
    assert marker in page
    return page.split(marker, 1)[1].split("<", 1)[0]


def test_a_person_creates_and_replaces_an_api_token_shown_only_once(client, knowsley: CouncilWorld) -> None:
    admin = knowsley.people["admin"]
    client.force_login(admin)
    assert "You do not have a token" in client.get("/accounts/api-token/").content.decode()
    created = client.post("/accounts/api-token/", {"action": "create"})
    assert created.status_code == 200 and "no-store" in created["Cache-Control"]
    first = _new_token_on(created.content.decode())
    later = client.get("/accounts/api-token/").content.decode()
    assert first not in later and "not shown again" in later
    second = _new_token_on(client.post("/accounts/api-token/", {"action": "create"}).content.decode())
    assert second != first
    script = APIClient()  # no session: only the token speaks
    assert script.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {first}").status_code == 401
    assert script.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {second}").status_code == 200


def test_the_database_holds_only_a_hash_of_the_token(client, knowsley: CouncilWorld) -> None:
    client.force_login(knowsley.people["admin"])
    token = _new_token_on(client.post("/accounts/api-token/", {"action": "create"}).content.decode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT digest, token_key FROM knox_authtoken")
        rows = cursor.fetchall()
    assert len(rows) == 1
    digest, key_prefix = rows[0]
    assert token not in digest and len(digest) == 128  # SHA-512, hex
    assert token.startswith(key_prefix) and len(key_prefix) < len(token) // 2  # a lookup prefix, not the token
    # DRF's plain-text token table is gone (its tokens were revoked by the migration).
    assert "authtoken_token" not in connection.introspection.table_names()


def test_a_token_expires(client, knowsley: CouncilWorld, settings) -> None:
    client.force_login(knowsley.people["admin"])
    token = _new_token_on(client.post("/accounts/api-token/", {"action": "create"}).content.decode())
    stored = AuthToken.objects.get(user=knowsley.people["admin"])
    days = settings.COMMISSIONING_API_TOKEN_DAYS
    assert abs(stored.expiry - (timezone.now() + timedelta(days=days))) < timedelta(minutes=1)
    AuthToken.objects.filter(pk=stored.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    assert APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    assert "You do not have a token" in client.get("/accounts/api-token/").content.decode()


def test_a_person_revokes_their_token(client, knowsley: CouncilWorld) -> None:
    client.force_login(knowsley.people["admin"])
    token = _new_token_on(client.post("/accounts/api-token/", {"action": "create"}).content.decode())
    response = client.post("/accounts/api-token/", {"action": "revoke"}, follow=True)
    assert "has been revoked" in response.content.decode()
    assert APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401


def test_council_staff_need_mfa_before_a_token(client, knowsley: CouncilWorld) -> None:
    officer = knowsley.people["officer"]
    Authenticator.objects.filter(user=officer).delete()
    client.force_login(officer)
    response = client.post("/accounts/api-token/", {"action": "create"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/totp/activate/")
    assert not AuthToken.objects.filter(user=officer).exists()


def test_council_members_cannot_use_django_admin(client, knowsley: CouncilWorld) -> None:
    client.force_login(knowsley.people["admin"])
    response = client.get("/platform-admin/")
    assert response.status_code == 302 and "/platform-admin/login/" in response["Location"]
    # Signed in but not platform staff: refused, not sent round between two log-in pages.
    assert client.get(response["Location"]).status_code == 403


def _platform_staff(*, totp: bool = True) -> tuple:  # type: ignore[type-arg]
    staff = UserFactory(email="platform.staff@example.org", is_staff=True, is_superuser=True)
    return staff, (give_totp(staff) if totp else None)


def test_the_admin_log_in_is_the_accounts_log_in(client, db: None) -> None:
    response = client.get("/platform-admin/login/?next=/platform-admin/commissioning/council/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fplatform-admin%2Fcommissioning%2Fcouncil%2F"
    # The admin's own form no longer signs anyone in: a POST of its fields is only redirected.
    staff, _secret = _platform_staff()
    posted = client.post("/platform-admin/login/", {"username": staff.email, "password": PASSWORD})
    assert posted.status_code == 302 and posted["Location"].startswith("/accounts/login/")
    assert client.get("/platform-admin/").status_code == 302


def test_staff_with_totp_cannot_get_into_the_admin_with_the_password_alone(client, db: None) -> None:
    staff, secret = _platform_staff()
    response = client.post("/accounts/login/?next=/platform-admin/", {"login": staff.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/platform-admin/").status_code == 302  # the password alone is not enough
    answered = client.post("/accounts/2fa/authenticate/", {"code": totp_code_now(secret)})
    assert answered.status_code == 302 and answered["Location"] == "/platform-admin/"
    assert client.get("/platform-admin/").status_code == 200


def test_wrong_codes_at_the_admin_log_in_are_rate_limited(client, db: None) -> None:
    staff, secret = _platform_staff()
    sign_in(client, staff.email)
    for _ in range(5):
        refused = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
        assert refused.status_code == 200
    client.post("/accounts/2fa/authenticate/", {"code": totp_code_now(secret)})
    # The right code after five wrong ones is refused too: no thirty guesses, then in.
    assert client.get("/platform-admin/").status_code == 302


def test_a_staff_session_without_a_second_factor_is_asked_for_one(client, db: None) -> None:
    staff, secret = _platform_staff()
    client.force_login(staff)  # a session that never gave a code (e.g. signed in before TOTP was set up)
    to_login = client.get("/platform-admin/")
    assert to_login.status_code == 302
    asked = client.get(to_login["Location"])
    assert asked.status_code == 302 and asked["Location"].startswith("/accounts/2fa/reauthenticate/")
    prompt = client.get(asked["Location"])
    assert prompt.status_code == 200 and 'name="code"' in prompt.content.decode()
    answered = client.post(asked["Location"], {"code": totp_code_now(secret)})
    assert answered.status_code == 302 and answered["Location"] == "/platform-admin/"
    assert client.get("/platform-admin/").status_code == 200


def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, db: None) -> None:
    staff, _ = _platform_staff(totp=False)
    client.force_login(staff)
    asked = client.get(client.get("/platform-admin/")["Location"])
    assert asked.status_code == 302 and asked["Location"].startswith("/accounts/2fa/totp/activate/")


def test_platform_staff_see_every_council_in_django_admin(
    client, knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    staff, secret = _platform_staff()
    sign_in(client, staff.email, totp_secret=secret)
    councils = client.get("/platform-admin/commissioning/council/").content.decode()
    assert "Knowsley Council" in councils and "Southwark Council" in councils
    memberships = client.get(f"/platform-admin/commissioning/council/{southwark.council.pk}/change/")
    assert memberships.status_code == 200
    trail = client.get("/platform-admin/commissioning/auditevent/")
    assert trail.status_code == 200


def test_a_request_reads_only_the_token_it_presents_and_expired_ones_are_pruned(knowsley: CouncilWorld) -> None:
    """knox would read every token of the person on each request to sweep the expired ones; here
    the presented token alone is checked (an expired one is still refused), and the sweep is
    services.api_tokens_prune, which Celery beat runs daily."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from commissioning import services
    from commissioning.settings import base

    admin, officer = knowsley.people["admin"], knowsley.people["officer"]
    _, token = AuthToken.objects.create(user=admin)
    stale, _ = AuthToken.objects.create(user=admin)
    other_stale, _ = AuthToken.objects.create(user=officer)
    kept, _ = AuthToken.objects.create(user=officer)
    past = timezone.now() - timedelta(seconds=1)
    AuthToken.objects.filter(pk__in=[stale.pk, other_stale.pk]).update(expiry=past)
    client = APIClient()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    assert len([q for q in queries.captured_queries if "knox_authtoken" in q["sql"]]) == 1
    assert AuthToken.objects.filter(pk=stale.pk).exists()  # not swept by the request
    assert services.api_tokens_prune() == 2
    assert set(AuthToken.objects.filter(user__in=[admin, officer]).values_list("pk", flat=True)) == {
        AuthToken.objects.get(user=admin).pk,
        kept.pk,
    }
    assert base.CELERY_BEAT_SCHEDULE["prune-api-tokens"]["task"] == "commissioning.tasks.api_tokens_prune"
