"""/health/: a plain status for anyone (load balancers, monitors), the detail for platform staff only."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from commissioning import health
from tests.factories import CouncilWorld, UserFactory, give_totp, sign_in


@pytest.fixture(autouse=True)
def _quick_worker_check(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(health, "WORKER_TIMEOUT_SECONDS", 0.3)  # no worker runs in these tests
    cache.clear()  # used TOTP codes live in the cache, which outlives the test database


def test_anyone_gets_the_status_without_the_detail(client, knowsley: CouncilWorld) -> None:
    answer = client.get("/health/", HTTP_ACCEPT="application/json")
    assert answer.status_code == 503  # no worker answered: the status still says so
    assert answer.json() == {"status": "failing"}
    page = client.get("/health/")
    assert page.status_code == 503 and "Failing" in page.content.decode()
    assert "answered" not in page.content.decode() and "Checks" not in page.content.decode()
    # A council member is not platform staff either.
    client.force_login(knowsley.people["admin"])
    assert client.get("/health/", HTTP_ACCEPT="application/json").json() == {"status": "failing"}


def test_platform_staff_get_each_part_and_why(client, db: None) -> None:
    staff = UserFactory(is_staff=True, is_superuser=True)
    sign_in(client, staff.email, totp_secret=give_totp(staff))
    body = client.get("/health/", HTTP_ACCEPT="application/json").json()
    assert body["status"] == "failing"
    assert body["checks"]["database"]["ok"] is True and "answered" in body["checks"]["database"]["detail"]
    assert body["checks"]["worker"]["ok"] is False
    page = client.get("/health/").content.decode()
    assert "Checks" in page and "answered" in page
