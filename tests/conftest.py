from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection

from tests.factories import STAGE_NAMES, CouncilWorld, council_with_people

# How far the ``knowsley`` and ``southwark`` fixtures build their council's world (a stage of
# tests/factories/worlds.py) when the test, its class or its module does not say, with
# ``@pytest.mark.world("published")`` or ``pytestmark = pytest.mark.world(...)`` (the closest wins).
# A test asks for the least its assertions need; EVERYTHING is for the walks that need data in
# every model (the cross-council probe, the seal walks, the stored-XSS walk, the API fuzz) and for
# pages whose point is that nothing private shows.
DEFAULT_UP_TO = "people"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"world(up_to): how far the knowsley and southwark fixtures build their council's world: one of "
        f"{', '.join(STAGE_NAMES)} (tests/factories/worlds.py); {DEFAULT_UP_TO!r} without it.",
    )


def world_up_to(request: pytest.FixtureRequest) -> str:
    marker = request.node.get_closest_marker("world")
    return marker.args[0] if marker else DEFAULT_UP_TO


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker,  # noqa: ANN001
    django_db_keepdb: bool,
    django_db_createdb: bool,
    django_db_modify_db_settings: None,
) -> Iterator[None]:
    """pytest-django's set-up, with the test database created, migrated and dropped by its owner.

    The tests themselves then connect as the application's role (``DATABASE_URL``), which owns
    nothing: as in production, it cannot switch row-level security or the audit trigger off. It
    also gets TRUNCATE, which Django's flush between transactional tests needs (production does
    not grant it).
    """
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    from commissioning.database import database_owner

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    keepdb = django_db_keepdb and not django_db_createdb
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock(), database_owner(extra_grants=("TRUNCATE",)):
        db_cfg = setup_databases(
            verbosity=verbosity,
            interactive=False,
            aliases=aliases,
            serialized_aliases=serialized_aliases,
            keepdb=keepdb,
        )
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock(), database_owner(grant=False):
            teardown_databases(db_cfg, verbosity=verbosity)


@pytest.fixture
def postgres_only() -> None:
    """For the walls only PostgreSQL has (row-level security, triggers).

    CI always runs on PostgreSQL (the test settings refuse to start there without it), so these
    tests never skip in CI; on a laptop without PostgreSQL they skip with this reason.
    """
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI must run on PostgreSQL")
        pytest.skip("needs PostgreSQL (row-level security and triggers)")


@pytest.fixture
def redis_only() -> None:
    """For what only a network broker shows: an outage cut between the app and Redis, and a
    worker killed before it acknowledges (late acknowledgement as Redis's visibility timeout does it).

    The embedded default's filesystem broker has neither a connection to cut nor a redelivery
    after a lost worker, so these tests cannot run without Redis. CI always has Redis (the test
    settings refuse to start there without it): there they never skip, they fail.
    """
    if not settings.REDIS_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must run with Redis")
        pytest.skip("needs Redis: the filesystem broker has no connection to cut and no redelivery")


@pytest.fixture
def knowsley(db: None, request: pytest.FixtureRequest) -> CouncilWorld:
    return council_with_people(slug="knowsley", name="Knowsley Council", up_to=world_up_to(request))


@pytest.fixture
def southwark(db: None, request: pytest.FixtureRequest) -> CouncilWorld:
    return council_with_people(slug="southwark", name="Southwark Council", up_to=world_up_to(request))


@pytest.fixture(scope="session", autouse=True)
def _empty_task_queue() -> None:
    """Tasks left in the broker by an earlier run must not reach this run's workers."""
    from commissioning.celery import app

    with app.connection_for_write() as connection:
        app.control.purge(connection=connection)


@pytest.fixture(autouse=True)
def _fresh_kept_answers() -> None:
    """Each test starts with no answer kept (commissioning.kept): the database is rolled back
    between tests, but the cache (Redis) is not, so an answer kept by an earlier test would
    describe rows that no longer exist."""
    from commissioning.kept import shelves

    for shelf in shelves():
        shelf.forget()
