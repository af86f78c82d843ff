"""Set-up the test modules share: clients signed in as someone, query counts."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient


def signed_in(user: Any) -> Client:
    """A browser-like client with ``user`` signed in (no sign-in form, no code)."""
    client = Client()
    client.force_login(user)
    return client


def api_as(user: Any) -> APIClient:
    """An API client authenticated as ``user`` without a token."""
    client = APIClient()
    client.force_authenticate(user)
    return client


def api_with_token(user: Any) -> APIClient:
    """An API client sending a fresh API token of ``user``, as a script would."""
    from tests.factories import api_token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    return client


def query_counts(client: Client, urls: Iterable[str]) -> dict[str, int]:
    """How many SQL queries each URL's page makes (each must answer 200)."""
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[url] = len(queries)
    return counts


def cold_query_counts(client: Client, urls: Iterable[str]) -> dict[str, int]:
    """As :func:`query_counts`, each page worked out in full: every kept answer (``commissioning.kept``)
    renewed before each URL, so the count is of a miss, the most a page costs (as ``make bench`` counts)."""
    from commissioning.kept import shelves

    counts = {}
    for url in urls:
        for shelf in shelves():
            shelf.renew()
        counts.update(query_counts(client, [url]))
    return counts


def wait_for(predicate: Callable[[], object], seconds: float = 20.0) -> bool:
    """Whether ``predicate()`` comes true within ``seconds`` (asked every 0.1 s): for work done by
    another process (a Celery worker, the outbox relay)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def count_renders(monkeypatch: Any, module: Any) -> list[str]:
    """The names of the templates ``module`` renders with its ``render_to_string`` from now on
    (the list fills as it renders), to show what a kept answer spares."""
    rendered: list[str] = []
    real = module.render_to_string

    def counting(name: str, context: dict) -> str:
        rendered.append(name)
        return real(name, context)

    monkeypatch.setattr(module, "render_to_string", counting)
    return rendered
