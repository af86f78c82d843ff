"""Bodies nested too deep or too large are refused with a 400 in the API's error shape, never a 500."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.parsers import JSONParser as DRFJSONParser

from commissioning.api.parsers import MAX_DEPTH, JSONParser, json_depth
from commissioning.models import Role
from tests.factories import CouncilWorld
from tests.helpers import api_as
from tests.tenders.test_bids_helpers import local_charity

DEEP = "[" * 1000 + "]" * 1000  # 2 KB, 1,000 levels: a RecursionError in DRF's own parser


def _assert_refused(response, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["status"] == 400 and error["code"] == "parse_error" and error["fields"] == {}
    assert expected in error["message"]


def test_a_deeply_nested_body_to_a_council_write_is_a_400(knowsley: CouncilWorld) -> None:
    client = api_as(knowsley.people[Role.COMMISSIONER])
    response = client.post("/api/v1/councils/knowsley/commissions/", DEEP, content_type="application/json")
    _assert_refused(response, f"nested more than {MAX_DEPTH} levels")


def test_a_deeply_nested_object_inside_a_field_is_a_400(knowsley: CouncilWorld) -> None:
    organisation, person = local_charity()
    deep_object = '{"a":' * 1000 + "1" + "}" * 1000
    body = f'{{"council": "knowsley", "tender": 1, "organisation": {organisation.pk}, "x": {deep_object}}}'
    _assert_refused(api_as(person).post("/api/v1/me/bids/", body, content_type="application/json"), "nested")


def test_a_body_larger_than_the_limit_is_a_400(knowsley: CouncilWorld, settings) -> None:  # noqa: ANN001
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = api_as(knowsley.people[Role.COMMISSIONER])
    body = '{"title": "' + "x" * 2000 + '"}'
    response = client.post("/api/v1/councils/knowsley/commissions/", body, content_type="application/json")
    _assert_refused(response, "larger than the 1,000 bytes")


def test_brackets_inside_strings_do_not_count_and_ordinary_bodies_still_parse(knowsley: CouncilWorld) -> None:
    assert json_depth(b'{"a": "[[[[[[[[[[{{{{{{{{ \\" [[[[", "b": [[1], {"c": []}]}') == 4
    assert json_depth(DEEP.encode()) == 1000
    client = api_as(knowsley.people[Role.COMMISSIONER])
    nested_in_text = '{"title": "' + "[" * 1000 + '"}'
    response = client.post("/api/v1/councils/knowsley/commissions/", nested_in_text, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"  # the fields were read: no parse error


def _api_views(resolver: URLResolver | None = None, prefix: str = "") -> list[tuple[str, type]]:
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            found += _api_views(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            view = getattr(entry.callback, "cls", None)
            if view is not None and (prefix + str(entry.pattern)).startswith("api/"):
                found.append((prefix + str(entry.pattern), view))
    return found


@pytest.mark.parametrize("path,view", _api_views(), ids=lambda value: value if isinstance(value, str) else "")
def test_every_api_view_parses_json_with_the_bounded_parser(path: str, view: type) -> None:
    """So a new endpoint that names its parsers cannot bring DRF's unbounded one back."""
    json_parsers = [p for p in view.parser_classes if issubclass(p, DRFJSONParser)]
    assert all(issubclass(p, JSONParser) for p in json_parsers), f"{path}: {json_parsers}"
