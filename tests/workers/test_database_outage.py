"""A PostgreSQL restart while the site is in use: clear 503 pages (not 500s), and the site comes
back by itself. A real gunicorn serves the site through a proxy to the database that this test cuts
(the shared PostgreSQL keeps running for everyone else)."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from knox.models import AuthToken

from tests.factories import UserFactory
from tests.workers.proxy import Proxy


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


@dataclass
class Site:
    port: int
    database: Proxy
    process: subprocess.Popen[bytes]

    def get(self, path: str, **headers: str) -> Answer:
        client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            client.request("GET", path, headers=headers)
            response = client.getresponse()
            return Answer(response.status, dict(response.getheaders()), response.read().decode())
        finally:
            client.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def site(transactional_db: None, postgres_only: None, tmp_path: Path) -> Iterator[Site]:
    db = connection.settings_dict
    with Proxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)) as database:
        port = _free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.workers.live_settings",
            "DATABASE_URL": f"postgres://{db['USER']}@127.0.0.1:{database.port}/{db['NAME']}",
        }
        env.pop("MIGRATION_DATABASE_URL", None)
        log = tmp_path / "gunicorn.log"
        command = [sys.executable, "-m", "gunicorn", "commissioning.wsgi:application"]
        command += ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60"]
        process = subprocess.Popen(
            command, env=env, cwd=settings.BASE_DIR, stdout=log.open("ab"), stderr=subprocess.STDOUT
        )
        site = Site(port, database, process)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if site.get("/").status == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline and process.poll() is None, log.read_text()
                time.sleep(0.2)
            yield site
        finally:
            process.terminate()
            process.wait(15)


def test_a_database_restart_gives_503_pages_and_the_site_recovers_by_itself(site: Site) -> None:
    _, token = AuthToken.objects.create(UserFactory(email="api.client@example.org"))
    api = {"Authorization": f"Token {token}", "Accept": "application/json"}
    assert site.get("/").status == 200
    assert site.get("/api/v1/me/", **api).status == 200

    # The database restarts between two requests: the kept connection is dead, but the health
    # check (CONN_HEALTH_CHECKS) finds it so and connects again, and nobody sees an error.
    site.database.cut()
    site.database.restore()
    assert site.get("/").status == 200

    site.database.cut()  # and now it stays down for a while
    page = site.get("/")
    assert page.status == 503
    assert "Sorry, the service is unavailable" in page.body
    assert "<title>Sorry, the service is unavailable" in page.body
    assert page.headers["Retry-After"] == "30"
    council_page = site.get("/c/nowhere/")  # fails in the council middleware, before any view
    assert council_page.status == 503 and "Sorry, the service is unavailable" in council_page.body
    answer = site.get("/api/v1/me/", **api)
    assert answer.status == 503 and answer.headers["Retry-After"] == "30"
    assert json.loads(answer.body)["error"]["code"] == "service_unavailable"

    site.database.restore()  # back: the same server answers again, with no restart
    assert site.get("/").status == 200
    assert site.get("/api/v1/me/", **api).status == 200
    assert site.process.poll() is None
