"""commissioning.warm: what gunicorn's master does once before forking the workers (preload_app).

It compiles the project's templates into the cached loader, builds the URL resolver and imports
what Django imports on first use, and it leaves no database connection open for the forked
workers to share."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.template import engines

from commissioning.warm import _project_template_names, warm


def _cached_loader():  # type: ignore[no-untyped-def]
    (loader,) = [
        loader for loader in engines["django"].engine.template_loaders if hasattr(loader, "get_template_cache")
    ]
    return loader


def test_the_project_templates_are_named_and_only_those() -> None:
    names = _project_template_names()
    assert "base.html" in names and "council/portal.html" in names
    assert "tenders/results/results.html" in names
    assert not [name for name in names if name.startswith(("admin/", "rest_framework/"))]


@pytest.mark.django_db(transaction=True)
def test_warm_compiles_every_project_template_and_closes_the_connection() -> None:
    loader = _cached_loader()
    loader.reset()
    connection.ensure_connection()
    done = warm()
    assert done["templates"] == len(_project_template_names())
    assert {"base.html", "council/portal.html", "tenders/opening/bids.html"} <= set(loader.get_template_cache)
    assert connection.connection is None  # a forked worker opens its own


def test_a_fresh_process_warmed_has_imported_what_first_requests_would() -> None:
    """In a new interpreter, as gunicorn's master: the cache's client library and the context
    processors are imported by warm(), not left to the first request of each worker."""
    assert settings.CACHES["default"]["BACKEND"] == "commissioning.redis_cache.RedisCache"
    script = (
        "import sys, django; django.setup()\n"
        "before = {'redis', 'django.template.context_processors'} & set(sys.modules)\n"
        "from commissioning.warm import warm; warm()\n"
        "after = {'redis', 'django.template.context_processors'} & set(sys.modules)\n"
        "print(sorted(before), sorted(after))\n"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip().splitlines()[-1] == "[] ['django.template.context_processors', 'redis']"
