"""The person's API token, and Django admin for platform staff only."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import CouncilWorld, UserFactory


def test_a_person_creates_and_replaces_an_api_token(client, knowsley: CouncilWorld) -> None:
    admin = knowsley.people["admin"]
    client.force_login(admin)
    assert "You do not have a token" in client.get("/accounts/api-token/").content.decode()
    client.post("/accounts/api-token/")
    first = Token.objects.get(user=admin).key
    assert first in client.get("/accounts/api-token/").content.decode()
    client.post("/accounts/api-token/")
    second = Token.objects.get(user=admin).key
    assert second != first
    script = APIClient()  # no session: only the token speaks
    assert script.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {first}").status_code == 401
    assert script.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {second}").status_code == 200


def test_council_staff_need_mfa_before_a_token(client, knowsley: CouncilWorld) -> None:
    officer = knowsley.people["officer"]
    Authenticator.objects.filter(user=officer).delete()
    client.force_login(officer)
    response = client.post("/accounts/api-token/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/totp/activate/")
    assert not Token.objects.filter(user=officer).exists()


def test_council_members_cannot_use_django_admin(client, knowsley: CouncilWorld) -> None:
    client.force_login(knowsley.people["admin"])
    response = client.get("/platform-admin/")
    assert response.status_code == 302 and "/platform-admin/login/" in response["Location"]


def test_platform_staff_see_every_council_in_django_admin(
    client, knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    councils = client.get("/platform-admin/commissioning/council/").content.decode()
    assert "Knowsley Council" in councils and "Southwark Council" in councils
    memberships = client.get(f"/platform-admin/commissioning/council/{southwark.council.pk}/change/")
    assert memberships.status_code == 200
    trail = client.get("/platform-admin/commissioning/auditevent/")
    assert trail.status_code == 200
