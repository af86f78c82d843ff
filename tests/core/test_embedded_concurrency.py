"""Twenty people at once on the embedded default: a real server on a real SQLite file.

`make run` serves SQLite. With Django's default deferred transactions, three people signing in and
saving at once got 500 "database is locked". This starts the server the way `make run` does
(runserver, commissioning.settings.base, a SQLite file, DEBUG off), whatever database the rest of
the suite uses, and drives twenty concurrent sign-ins, bid starts and answer saves through it.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 20
# What would point the server elsewhere than the embedded default (the suite's own PostgreSQL,
# Redis, settings).
DROPPED = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "SITE_URL", "HOST", "PORT", "ALLOWED_HOSTS"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def workshop(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A migrated, seeded SQLite file and `runserver` on it, as `make run` starts it."""
    folder = tmp_path_factory.mktemp("workshop")
    database = folder / "db.sqlite3"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in DROPPED}
    env.update(
        DJANGO_SETTINGS_MODULE="commissioning.settings.base",
        DATABASE_URL=f"sqlite:///{database}",
        PORT=str(port),
        COMMISSIONING_REQUIRE_MFA="false",
        # No broker messages left behind in var/celery by this test's server.
        CELERY_TASK_ALWAYS_EAGER="true",
        MEDIA_ROOT=str(folder / "media"),
        LOG_LEVEL="WARNING",
    )
    _manage(env, "migrate", "--no-input", "-v", "0")
    seeded = json.loads(
        _manage(env, "shell", "-c", f"from tests.core.workshop_seed import seed; seed({PEOPLE})")
        .strip()
        .splitlines()[-1]
    )
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                requests.get(f"{base}/health/", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        else:
            pytest.fail("the server did not start: " + (folder / "server.log").read_text())
        yield {"base": base, "database": database, "log": folder / "server.log", **seeded}
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _csrf(page: requests.Response) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


class Person:
    """One workshop participant: signs in, starts a bid and saves an answer, noting every status."""

    def __init__(self, base: str, email: str) -> None:
        self.base = base
        self.email = email
        self.session = requests.Session()
        self.statuses: list[tuple[str, int]] = []
        self.bid_url = ""
        self.error: BaseException | None = None

    def _record(self, what: str, response: requests.Response) -> requests.Response:
        self.statuses.append((what, response.status_code))
        return response

    def get(self, what: str, path: str) -> requests.Response:
        return self._record(what, self.session.get(self.base + path, timeout=120))

    def post(self, what: str, path: str, data: dict, referer: str) -> requests.Response:
        response = self.session.post(
            self.base + path, data=data, headers={"Referer": self.base + referer}, timeout=120, allow_redirects=False
        )
        return self._record(what, response)

    def sign_in(self, password: str) -> None:
        page = self.get("log-in page", "/accounts/login/")
        data = {"csrfmiddlewaretoken": _csrf(page), "login": self.email, "password": password}
        self.post("sign in", "/accounts/login/", data, "/accounts/login/")

    def start_bid(self, path: str) -> None:
        page = self.get("bid start page", path)
        organisation = re.search(r'name="organisation" value="(\d+)"', page.text)
        assert organisation, page.text[:500]
        data = {"csrfmiddlewaretoken": _csrf(page), "organisation": organisation.group(1)}
        response = self.post("start bid", path, data, path)
        self.bid_url = response.headers.get("Location", "")

    def save_answer(self, question_id: int, answer: str) -> None:
        path = f"{self.bid_url}questions/{question_id}/"
        page = self.get("question page", path)
        revision = re.search(r'name="revision" value="(\d+)"', page.text)
        assert revision, page.text[:500]
        data = {"csrfmiddlewaretoken": _csrf(page), "revision": revision.group(1), "answer": answer}
        self.post("save answer", path, data, path)


def _answer(person: Person) -> str:
    return f"Our volunteers in Huyton answer for {person.email}: marker {abs(hash(person.email))}"


def test_twenty_people_sign_in_and_save_bids_at_once_with_no_error_and_nothing_lost(workshop) -> None:  # type: ignore[no-untyped-def]
    people = [Person(workshop["base"], email) for email in workshop["emails"]]
    assert len(people) >= 20
    start = threading.Barrier(len(people))

    def journey(person: Person) -> None:
        try:
            person.session.get(workshop["base"] + "/accounts/login/", timeout=120)  # warm the connection
            start.wait(timeout=120)
            person.sign_in(workshop["password"])
            person.start_bid(workshop["bid_start"])
            person.save_answer(workshop["question_id"], _answer(person))
        except BaseException as error:  # noqa: BLE001 - reported below, with the person
            person.error = error

    threads = [threading.Thread(target=journey, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)

    log = workshop["log"].read_text()
    assert [(p.email, p.error) for p in people if p.error] == [], log[-3000:]
    failures = [(p.email, what, status) for p in people for what, status in p.statuses if status >= 500]
    assert failures == [], log[-3000:]
    assert "database is locked" not in log
    # Each step did what it should: signed in (a redirect), started a bid, saved the answer.
    for person in people:
        steps = dict(person.statuses)
        assert steps["sign in"] == 302, (person.email, person.statuses)
        assert steps["start bid"] == 302 and person.bid_url, (person.email, person.statuses)
        assert steps["save answer"] == 302, (person.email, person.statuses)

    # Nothing lost: every bid is in the database, and every person reads back their own answer.
    with sqlite3.connect(workshop["database"]) as database:
        (bids,) = database.execute(
            "SELECT count(*) FROM tenders_bid JOIN commissioning_organisation ON organisation_id = "
            "commissioning_organisation.id WHERE commissioning_organisation.name LIKE 'Workshop Charity %'"
        ).fetchone()
        (sessions,) = database.execute("SELECT count(*) FROM django_session").fetchone()
    assert bids == len(people)
    assert sessions >= len(people)
    for person in people:
        page = person.get("read back", f"{person.bid_url}questions/{workshop['question_id']}/")
        assert page.status_code == 200
        assert _answer(person) in page.text, person.email


def test_the_server_runs_sqlite_in_wal_mode(workshop) -> None:  # type: ignore[no-untyped-def]
    with sqlite3.connect(workshop["database"]) as database:
        (mode,) = database.execute("PRAGMA journal_mode").fetchone()
    assert mode == "wal"


def test_the_server_shows_govuk_error_pages_not_debug_pages(workshop) -> None:  # type: ignore[no-untyped-def]
    missing = requests.get(workshop["base"] + "/no-such-page/", timeout=30)
    assert missing.status_code == 404
    assert "Page not found" in missing.text and "Using the URLconf" not in missing.text
    # Static files are still served with DEBUG off (whitenoise).
    css = requests.get(workshop["base"] + "/static/build/app.css", timeout=30)
    assert css.status_code == 200 and "govuk" in css.text
