"""commissioning.redis_cache: Django's Redis cache, with one client per pool, against the real Redis."""

from __future__ import annotations

import os
import socket
import time

import pytest
from django.core.cache import cache, caches

from commissioning.redis_cache import RedisCache


def test_the_cache_is_the_projects_and_builds_one_client_per_pool() -> None:
    assert isinstance(caches["default"], RedisCache)
    client = cache._cache.get_client()
    assert cache._cache.get_client("any key", write=True) is client
    cache.set("tests:redis-cache", {"kept": [1, 2]}, timeout=30)
    assert cache.get("tests:redis-cache") == {"kept": [1, 2]}
    assert cache.add("tests:redis-cache", "again", timeout=30) is False
    assert cache.get_many(["tests:redis-cache", "tests:none"]) == {"tests:redis-cache": {"kept": [1, 2]}}
    assert cache.delete("tests:redis-cache") is True
    assert cache._cache.get_client() is client


def test_a_forked_process_uses_the_shared_client_with_its_own_connections() -> None:
    """As gunicorn forks its workers from a master that has used the cache."""
    cache.set("tests:redis-cache-fork", "before the fork", timeout=30)
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # the worker: read and write through the client object the master made
        try:
            seen = cache.get("tests:redis-cache-fork")
            cache.set("tests:redis-cache-fork", "from the child", timeout=30)
            os.write(writing, str(seen).encode())
        finally:
            os._exit(0)
    os.close(writing)
    _, status = os.waitpid(child, 0)
    assert os.read(reading, 100).decode() == "before the fork"
    assert os.waitstatus_to_exitcode(status) == 0
    assert cache.get("tests:redis-cache-fork") == "from the child"  # and the master's connections still work
    cache.delete("tests:redis-cache-fork")


def test_a_redis_that_stops_answering_costs_a_kept_answer_a_bounded_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Redis that takes connections and never answers (stalled, or a half-open connection):
    with the project's socket timeouts each cache call gives up after half a second, and the
    answer is worked out as if nothing were kept, instead of the request hanging."""
    from django.conf import settings
    from django.utils import timezone

    from commissioning import kept

    silent = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)  # connections complete in the kernel's backlog; nothing ever answers them
    try:
        options = settings.CACHES["default"]["OPTIONS"]
        stalled = RedisCache(f"redis://127.0.0.1:{silent.getsockname()[1]}/0", {"OPTIONS": options})
        monkeypatch.setattr(kept, "cache", stalled)
        started = time.monotonic()
        answer = kept.Shelf("tests:stalled").kept(("question",), timezone.now(), lambda: "worked out")
        waited = time.monotonic() - started
    finally:
        silent.close()
    assert answer == "worked out"
    assert waited < 5, waited  # a few calls of half a second, not the system's TCP timeout
