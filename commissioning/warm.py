"""Work every web process would otherwise do on its first requests, done once before it starts.

gunicorn loads the application in its master process and forks the workers from it
(``preload_app`` in ``deploy/gunicorn.conf.py``), and replaces each worker after about a
thousand requests so memory cannot creep up. Without this, every new worker would compile the
templates, build the URL resolver, read the translations and the static files' manifest again on
its first requests, which costs seconds of a worker at full load and shows as slow requests. Done
here, in the master, the workers inherit all of it (copy-on-write memory).

Nothing here opens a connection to the database or the cache: forked workers must never share a
socket. :func:`warm` closes any that Django has opened all the same.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_backends
from django.core.cache import caches
from django.db import connections
from django.template import TemplateSyntaxError, engines
from django.template.backends.django import DjangoTemplates
from django.template.utils import get_app_template_dirs
from django.urls import get_resolver
from django.utils import formats, translation
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

__all__ = ["warm"]

TEMPLATE_SUFFIXES = (".html", ".txt", ".xml", ".svg")


def _project_template_names() -> list[str]:
    """The names of the project's own templates (its template folders and its apps'), not those of
    the libraries it installs, which are loaded on first use if ever."""
    root = Path(settings.BASE_DIR).resolve()
    folders = [Path(folder) for engine in settings.TEMPLATES for folder in engine.get("DIRS", [])]
    folders += [Path(folder) for folder in get_app_template_dirs("templates")]
    names: dict[str, None] = {}
    for folder in folders:
        folder = folder.resolve()
        if not folder.is_dir() or root not in folder.parents or ".venv" in folder.parts:
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix in TEMPLATE_SUFFIXES and path.is_file():
                names.setdefault(path.relative_to(folder).as_posix())
    return list(names)


def _import_lazily_imported() -> None:
    """What Django imports on first use: the cache's client library (not connected: its pool
    connects on first use, in the worker), the authentication backends, the context processors,
    the message storage, the session serializer, the date formats."""
    for alias in settings.CACHES:
        getattr(caches[alias], "_cache", None)  # RedisCache imports redis here; no connection is made
    get_backends()
    for engine in engines.all():
        if isinstance(engine, DjangoTemplates):
            engine.engine.template_context_processors  # noqa: B018
    import_string(settings.MESSAGE_STORAGE)
    import_string(settings.SESSION_SERIALIZER)
    with translation.override(settings.LANGUAGE_CODE):
        formats.get_format("DATE_INPUT_FORMATS")
    import _strptime  # noqa: F401, PLC0415 (datetime.strptime imports it on first use)


def warm() -> dict[str, int]:
    """Compile the project's templates (kept by the cached loader), build the URL resolver, read the
    translations and the static files' manifest, import what Django imports on first use. Returns
    what it did, for the log."""
    resolver = get_resolver()
    resolver.reverse_dict  # noqa: B018 (building the lookup is the point)
    translation.trans_real.translation(settings.LANGUAGE_CODE)
    if not settings.DEBUG:
        from django.contrib.staticfiles.storage import staticfiles_storage

        staticfiles_storage._setup()  # type: ignore[attr-defined]  # the manifest is read here
    _import_lazily_imported()
    compiled = 0
    for name in _project_template_names():
        for engine in engines.all():
            try:
                engine.get_template(name)
            except TemplateSyntaxError:
                logger.warning("Template %s does not compile", name, exc_info=True)
            except Exception:  # noqa: BLE001, S112 (another engine's template, or a fragment)
                continue
            else:
                compiled += 1
                break
    connections.close_all()
    return {"templates": compiled}
