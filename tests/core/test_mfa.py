"""MFA: every council role except citizen must set up an authenticator before council pages."""

from __future__ import annotations

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
