"""Late acknowledgement: a worker killed in the middle of a task leaves it to run again, once,
with the same result (a real worker process, on the real broker, killed with SIGKILL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from commissioning.celery import app
from commissioning.models import Notification, OutboxMessage
from commissioning.queue import enqueue
from commissioning.tenancy import council_scope
from tests.factories import council_with_people
from tests.helpers import wait_for
from tests.workers.blocking_tasks import receipt_with_a_pause

VISIBILITY_TIMEOUT = 2  # seconds before an unacknowledged message is handed out again


def _start_worker(log: Path) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    }
    env.pop("MIGRATION_DATABASE_URL", None)
    command = [sys.executable, "-m", "celery", "-A", "tests.workers.blocking_tasks", "worker"]
    command += ["--pool=solo", "--loglevel=INFO", "--without-mingle", "--without-gossip", "--without-heartbeat"]
    return subprocess.Popen(
        command, env=env, cwd=settings.BASE_DIR, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True
    )


def _wait_for(predicate, seconds: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    return wait_for(predicate, seconds)


@pytest.fixture
def real_broker(transactional_db: None, postgres_only: None, redis_only: None) -> None:
    with app.connection_for_write() as conn:
        app.control.purge(connection=conn)  # nothing left by earlier tests reaches the worker


def test_a_worker_killed_mid_task_leaves_it_to_run_again_once_with_the_same_result(
    real_broker: None, tmp_path: Path
) -> None:
    world = council_with_people(slug="knowsley", up_to="people")
    runs, release, log = tmp_path / "runs", tmp_path / "release", tmp_path / "worker.log"
    first = _start_worker(log)
    second = None
    try:
        with council_scope(world.council):
            enqueue(
                receipt_with_a_pause,
                council=world.council,
                key="test:receipt:1",
                runs_file=str(runs),
                release_file=str(release),
            )
        assert _wait_for(lambda: runs.exists() and len(runs.read_text().split()) == 1), log.read_text()
        os.killpg(first.pid, signal.SIGKILL)  # mid-task: the e-mail claimed, nothing committed
        first.wait(10)
        with council_scope(world.council):
            assert not Notification.objects.exists()
            assert OutboxMessage.objects.get(task=receipt_with_a_pause.name).done_at is None

        release.touch()
        time.sleep(VISIBILITY_TIMEOUT + 0.5)
        second = _start_worker(log)
        with council_scope(world.council):
            assert _wait_for(lambda: OutboxMessage.objects.get(task=receipt_with_a_pause.name).done_at is not None), (
                log.read_text()
            )
            time.sleep(VISIBILITY_TIMEOUT + 1)  # long enough for a wrongly kept message to come back
            notifications = list(Notification.objects.values_list("key", "sent_at"))
        assert len(runs.read_text().split()) == 2, "the task ran again exactly once"
        assert [key for key, _ in notifications] == ["test:receipt:1"] and notifications[0][1] is not None
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(15)
