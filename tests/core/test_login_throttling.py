"""Log-in throttling: strict per account, generous per address, and the address is the person's, not the proxy's."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.factories import PASSWORD, UserFactory

TOO_MANY = "Too many failed login attempts"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()  # allauth keeps its rate limits in the cache, which outlives the test database


def _log_in(client, email: str, password: str, **headers: str):  # type: ignore[no-untyped-def]
    return client.post("/accounts/login/", {"login": email, "password": password}, **headers)


def _signed_in(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 302 and response["Location"] != "/accounts/login/"


def test_failures_for_made_up_addresses_do_not_lock_out_a_real_person_at_the_same_address(client, db: None) -> None:
    person = UserFactory(email="sam.patel@example.org")
    for number in range(10):
        refused = _log_in(client, f"made-up-{number}@example.org", "wrong-password-123")
        assert refused.status_code == 200 and TOO_MANY not in refused.content.decode()
    assert _signed_in(_log_in(client, person.email, PASSWORD))


def test_one_account_is_locked_after_five_failures_and_a_colleague_is_not(client, db: None) -> None:
    person = UserFactory(email="sam.patel@example.org")
    colleague = UserFactory(email="alex.jones@example.org")
    for _ in range(5):
        assert _log_in(client, person.email, "wrong-password-123").status_code == 200
    locked = _log_in(client, person.email, PASSWORD)
    assert locked.status_code == 200 and TOO_MANY in locked.content.decode()
    assert _signed_in(_log_in(client, colleague.email, PASSWORD))


@override_settings(ACCOUNT_RATE_LIMITS={"login": "120/m/ip", "login_failed": "3/10m/ip,5/5m/key"})
def test_behind_the_proxy_the_address_limit_counts_each_person_not_the_proxy(client, db: None) -> None:
    """Everyone arrives from the load balancer's address; X-Forwarded-For carries theirs."""
    person = UserFactory(email="sam.patel@example.org")
    prober = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    honest = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    with override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1):
        for number in range(3):
            _log_in(client, f"made-up-{number}@example.org", "wrong-password-123", **prober)
        assert TOO_MANY in _log_in(client, person.email, PASSWORD, **prober).content.decode()
        assert _signed_in(_log_in(client, person.email, PASSWORD, **honest))
    # Without the proxy count everyone shares the proxy's address, and the prober locks everyone out.
    client.logout()
    cache.clear()
    with override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=0):
        for number in range(3):
            _log_in(client, f"made-up-{number}@example.org", "wrong-password-123", **prober)
        assert TOO_MANY in _log_in(client, person.email, PASSWORD, **honest).content.decode()


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_an_address_a_client_writes_itself_into_the_header_is_not_believed(client, db: None) -> None:
    """The proxy appends the real address last; whatever the client sent before it is ignored."""
    person = UserFactory(email="sam.patel@example.org")
    with override_settings(ACCOUNT_RATE_LIMITS={"login": "120/m/ip", "login_failed": "3/10m/ip,5/5m/key"}):
        for number in range(3):
            spoofed = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": f"192.0.2.{number}, 203.0.113.5"}
            _log_in(client, f"made-up-{number}@example.org", "wrong-password-123", **spoofed)
        again = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "192.0.2.99, 203.0.113.5"}
        assert TOO_MANY in _log_in(client, person.email, PASSWORD, **again).content.decode()
