"""MFA: every council role except citizen must set up an authenticator before council pages."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.test import override_settings

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tests.factories import CouncilWorld, MembershipFactory, UserFactory, give_totp


def test_staff_without_mfa_are_sent_to_set_it_up(client, knowsley: CouncilWorld) -> None:
    officer = knowsley.people["officer"]
    Authenticator.objects.filter(user=officer).delete()
    client.force_login(officer)
    response = client.get("/c/knowsley/members/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_staff_with_mfa_get_in(client, knowsley: CouncilWorld) -> None:
    client.force_login(knowsley.people["officer"])
    assert client.get("/c/knowsley/dashboard/").status_code == 200


def test_citizens_need_no_mfa(client, knowsley: CouncilWorld) -> None:
    citizen = knowsley.people["citizen"]
    assert not Authenticator.objects.filter(user=citizen).exists()
    client.force_login(citizen)
    assert client.get("/c/knowsley/dashboard/").status_code == 200


def test_a_citizen_who_is_also_an_evaluator_needs_mfa(client, knowsley: CouncilWorld) -> None:
    person = UserFactory()
    with council_scope(knowsley.council):
        MembershipFactory(council=knowsley.council, user=person, role=Role.CITIZEN)
        MembershipFactory(council=knowsley.council, user=person, role=Role.EVALUATOR)
    client.force_login(person)
    assert client.get("/c/knowsley/dashboard/").status_code == 302
    give_totp(person)
    assert client.get("/c/knowsley/dashboard/").status_code == 200


def test_the_public_portal_needs_no_mfa(client, knowsley: CouncilWorld) -> None:
    officer = knowsley.people["officer"]
    Authenticator.objects.filter(user=officer).delete()
    client.force_login(officer)
    assert client.get("/c/knowsley/").status_code == 200


@override_settings(COMMISSIONING_REQUIRE_MFA=False)
def test_the_demo_switch_turns_enforcement_off_and_the_login_page_says_so(client, knowsley: CouncilWorld) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert "two-factor authentication is switched off" in page
    officer = knowsley.people["officer"]
    Authenticator.objects.filter(user=officer).delete()
    client.force_login(officer)
    assert client.get("/c/knowsley/dashboard/").status_code == 200


def test_with_enforcement_on_the_login_page_has_no_demo_warning(client, db: None) -> None:
    assert "switched off" not in client.get("/accounts/login/").content.decode()


def test_staff_with_an_authenticator_are_asked_for_a_code_after_the_password(client, knowsley: CouncilWorld) -> None:
    from tests.factories import PASSWORD

    response = client.post("/accounts/login/", {"login": "admin@knowsley.example.org", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    page = client.get(response["Location"]).content.decode()
    assert "Enter your security code" in page
    # A short field that password managers and phones fill from the authenticator.
    assert 'autocomplete="one-time-code"' in page and "govuk-input--width-10" in page
    # Not signed in until the code is given.
    assert client.get("/c/knowsley/dashboard/").status_code == 302


# --- The same rule at the API's door: session or token, read or write ------------------------------

COMMISSIONS = "/api/v1/councils/knowsley/commissions/"


def _new_commission(world: CouncilWorld) -> dict:  # type: ignore[type-arg]
    from commissioning.models import Outcome

    with council_scope(world.council):
        outcome = Outcome.objects.get(council=world.council)
    return {
        "title": "Warm spaces",
        "need": "Places to keep warm.",
        "outcome_ids": [outcome.pk],
        "estimated_annual_value": "25000",
        "whole_life_value": "50000",
    }


def _assert_mfa_required(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 403, response.content
    error = response.json()["error"]
    assert error["code"] == "mfa_required" and error["status"] == 403 and error["fields"] == {}
    assert "Set up two-factor authentication" in error["message"]


def _commission_titles(world: CouncilWorld) -> list[str]:
    from commissioning.models import Commission

    with council_scope(world.council):
        return list(Commission.objects.values_list("title", flat=True))


@pytest.mark.world("commissions")
def test_the_api_refuses_council_data_to_a_session_without_mfa(knowsley: CouncilWorld) -> None:
    from rest_framework.test import APIClient

    commissioner = knowsley.people["commissioner"]
    Authenticator.objects.filter(user=commissioner).delete()
    client = APIClient()
    client.force_login(commissioner)
    _assert_mfa_required(client.get(COMMISSIONS))
    _assert_mfa_required(client.get("/api/v1/councils/knowsley/tenders/"))
    _assert_mfa_required(client.post(COMMISSIONS, _new_commission(knowsley), format="json"))
    assert "Warm spaces" not in _commission_titles(knowsley)
    # The council's public data stays public, as the portal does on the pages.
    assert client.get("/api/v1/councils/knowsley/").status_code == 200


@pytest.mark.world("commissions")
def test_the_api_refuses_council_data_to_a_token_without_mfa(knowsley: CouncilWorld) -> None:
    """A provider's token, from before they were invited as an officer, opens no council data until MFA."""
    from rest_framework.test import APIClient

    from commissioning import services
    from tests.factories import api_token

    provider = knowsley.provider
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(provider)}")
    assert client.get("/api/v1/me/").status_code == 200
    with council_scope(knowsley.council):
        services.membership_add(council=knowsley.council, user=provider, role=Role.COMMISSIONER, actor=None)
    _assert_mfa_required(client.get(COMMISSIONS))
    _assert_mfa_required(client.post(COMMISSIONS, _new_commission(knowsley), format="json"))
    assert "Warm spaces" not in _commission_titles(knowsley)
    give_totp(provider)
    assert client.get(COMMISSIONS).status_code == 200
    assert client.post(COMMISSIONS, _new_commission(knowsley), format="json").status_code == 201


@pytest.mark.world("commissions")
def test_the_api_serves_members_with_mfa_and_citizens_without(knowsley: CouncilWorld) -> None:
    from rest_framework.test import APIClient

    from tests.factories import api_token

    staff = APIClient()
    staff.credentials(HTTP_AUTHORIZATION=f"Token {api_token(knowsley.people['commissioner'])}")
    assert staff.get(COMMISSIONS).status_code == 200
    assert staff.post(COMMISSIONS, _new_commission(knowsley), format="json").status_code == 201
    citizen = APIClient()
    citizen.force_login(knowsley.people["citizen"])
    assert not Authenticator.objects.filter(user=knowsley.people["citizen"]).exists()
    # A citizen needs no MFA: what the API then says is their role's answer, not mfa_required.
    assert citizen.get(COMMISSIONS).json()["error"]["code"] == "permission_denied"
    assert citizen.get("/api/v1/councils/knowsley/members/").json()["error"]["code"] != "mfa_required"


@override_settings(COMMISSIONING_REQUIRE_MFA=False)
def test_the_demo_switch_turns_api_enforcement_off_too(knowsley: CouncilWorld) -> None:
    from rest_framework.test import APIClient

    commissioner = knowsley.people["commissioner"]
    Authenticator.objects.filter(user=commissioner).delete()
    client = APIClient()
    client.force_login(commissioner)
    assert client.get(COMMISSIONS).status_code == 200


def test_removing_the_last_authenticator_revokes_the_api_token(client, knowsley: CouncilWorld) -> None:
    from django.core.cache import cache
    from knox.models import AuthToken
    from rest_framework.test import APIClient

    from tests.factories import sign_in, totp_secret_of

    cache.clear()  # used codes and rate limits live in the cache, which outlives the test database
    officer = knowsley.people["officer"]
    sign_in(client, officer.email, totp_secret=totp_secret_of(officer))
    page = client.post("/accounts/api-token/", {"action": "create"}).content.decode()
    token = page.split('id="new-api-token">', 1)[1].split("<", 1)[0]
    script = APIClient()
    script.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert script.get("/api/v1/me/").status_code == 200
    removed = client.post("/accounts/2fa/totp/deactivate/", follow=True)
    assert removed.status_code == 200
    assert not Authenticator.objects.filter(user=officer).exists()
    assert "Your API token was revoked" in removed.content.decode()
    assert not AuthToken.objects.filter(user=officer).exists()
    assert script.get("/api/v1/me/").status_code == 401
