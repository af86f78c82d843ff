"""commissioning.redis_cache: Django's Redis cache, with one client per pool, against the real Redis."""

from __future__ import annotations

import os

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
