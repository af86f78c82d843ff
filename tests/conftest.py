from __future__ import annotations

import os

import pytest
from django.db import connection

from tests.factories import CouncilWorld, council_with_people


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
def knowsley(db: None) -> CouncilWorld:
    return council_with_people(slug="knowsley", name="Knowsley Council")


@pytest.fixture
def southwark(db: None) -> CouncilWorld:
    return council_with_people(slug="southwark", name="Southwark Council")


@pytest.fixture(scope="session", autouse=True)
def _empty_task_queue() -> None:
    """Tasks left in the broker by an earlier run must not reach this run's workers."""
    from commissioning.celery import app

    with app.connection_for_write() as connection:
        app.control.purge(connection=connection)
