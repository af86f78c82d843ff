"""Query parameters of the API's lists are read strictly (commissioning.api.query): a parameter
given twice, or given with no value, is a 400 that names it, never the answer to another question."""

from __future__ import annotations

import pytest
from django.test import Client

from commissioning.models import Role
from tests.factories import CouncilWorld
from tests.helpers import signed_in

pytestmark = pytest.mark.world("social_value_framework")


def _refused(client: Client, url: str, name: str, query: str) -> str:
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400, (url, query, response.content[:200])
    error = response.json()["error"]
    assert error["status"] == 400 and list(error["fields"]) == [name], error
    return " ".join(error["fields"][name])


@pytest.mark.parametrize(
    ("path", "name", "good"),
    [
        ("/api/v1/councils/{slug}/social-value/accounts/", "year", "2026"),
        ("/api/v1/councils/{slug}/social-value/market/", "to_year", "2026"),
        ("/api/v1/me/agreements/", "page", "1"),
        ("/api/v1/bank-holidays/", "year", "2027"),
        ("/api/v1/thresholds/", "on", "2026-06-01"),
    ],
)
def test_a_parameter_given_twice_or_blank_is_refused_by_name(
    knowsley: CouncilWorld, path: str, name: str, good: str
) -> None:
    url = path.format(slug=knowsley.council.slug)
    client = signed_in(knowsley.people[Role.OFFICER]) if "market" in url else signed_in(knowsley.provider)
    assert client.get(f"{url}?{name}={good}").status_code == 200
    assert "once" in _refused(client, url, name, f"{name}={good}&{name}={good}")
    assert "value" in _refused(client, url, name, f"{name}=")


@pytest.mark.parametrize("number", ["²5", "①", "5²"])
@pytest.mark.parametrize("name", ["page", "page_size"])
def test_a_digit_that_is_no_decimal_number_is_a_400_not_a_500(knowsley: CouncilWorld, name: str, number: str) -> None:
    """'²' is a digit to Python's str.isdigit() but no number to int(): found by schemathesis."""
    client = signed_in(knowsley.people[Role.OFFICER])
    url = f"/api/v1/councils/{knowsley.council.slug}/social-value/agreements/"
    assert client.get(f"{url}?{name}=1").status_code == 200
    _refused(client, url, name, f"{name}={number}")


def test_a_page_of_a_page_that_is_no_decimal_number_shows_the_first(knowsley: CouncilWorld) -> None:
    from django.test import RequestFactory

    from tenders.views.opening import _asked_page

    assert _asked_page(RequestFactory().get("/", {"page": "²"})) is None
    assert _asked_page(RequestFactory().get("/", {"page": "2"})) == 2
