"""Answers kept in the cache between requests, until a write or the clock says they are stale.

Some pages show everyone the same figures, worked out from many rows: the public finder of
tenders, a council's social value accounts. Working them out on every request is most of such a
page's time, so an app keeps the answer on a :class:`Shelf` (in the cache: Redis in production,
shared by every web process) and works out only the person's own part per request.

A shelf has a *version* per scope (the whole platform, or one council). Answers are kept under
the version, so renewing it loses every answer kept so far. Two things make an answer stale:

- **A write.** The app renews the version on every save or deletion of the rows the answers are
  read from (:meth:`Shelf.watch` connects the signals; writes that send none, such as
  ``bulk_create()``, call :meth:`Shelf.renew_on_commit` themselves). It is renewed at once and
  again when the transaction commits: a request that kept an answer between the two, reading
  the rows as they were before the commit, is not believed.
- **Time.** ``ends`` (given by the app) says when the answer stops being true with no write (a
  tender's deadline passes): it is never served after that moment. :attr:`Shelf.max_age` bounds
  any change the app does not see, such as a write to the database from outside the application.

An answer older than ``max_age`` (but still true by the app's own moments) is *renewed while it
is served*: the first request to find it old takes a short claim and works it out afresh, and
every other request meanwhile is served the old answer, for up to :attr:`Shelf.stale_for` more
seconds. Without that, every process that found the answer old at once would work it out at once
(a busy page's readers all queue behind them); with it, only the one request pays. A write still
ends the answer at once (it renews the version, and the old answer is not found under the new
one), and so does the app's own moment; what the old answer can miss is only a change the app
does not see, for one renewal longer.

The cache is an optimisation only: when it cannot be reached, the answer is worked out as if
nothing were kept, and the page is served as usual.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)

__all__ = ["Shelf", "shelves"]

T = TypeVar("T")

# In every answer's key: a release that keeps answers in another shape (this one keeps
# ``(start, old after, end, answer)``) finds none of another release's while both are serving.
ENTRY_SHAPE = "e2"

# Every shelf made, by name: the bench and the tests renew them all at once.
_SHELVES: dict[str, Shelf] = {}


def shelves() -> list[Shelf]:
    return list(_SHELVES.values())


class Shelf:
    """Answers of one kind (``name``, for example ``"tenders:public"``), kept per scope and version."""

    def __init__(self, name: str, *, max_age: int = 60, stale_for: int = 300) -> None:
        if name in _SHELVES:
            raise ValueError(f"A shelf named {name!r} exists already")
        self.name = name
        self.max_age = max_age
        self.stale_for = stale_for
        _SHELVES[name] = self

    # Under the database's name: one cache may serve several databases (the bench's, the tests').
    def _prefix(self, scope: object) -> str:
        return f"{self.name}:{settings.DATABASES['default']['NAME']}:{scope}"

    def version_key(self, scope: object = "") -> str:
        return f"{self._prefix(scope)}:version"

    def _versions(self, scope: object) -> str:
        """The shelf's version and the scope's, read in one round trip (made where missing)."""
        keys = list(dict.fromkeys([self.version_key(), self.version_key(scope)]))
        found = cache.get_many(keys)
        for key in keys:
            if key not in found:
                cache.add(key, uuid4().hex, timeout=None)
                found[key] = cache.get(key)
        return ":".join(str(found[key]) for key in keys)

    def renew(self, scope: object = "") -> None:
        """A new version for ``scope``: every answer kept there so far is no longer found (the
        default scope, the whole shelf, ends every answer of every scope)."""
        try:
            cache.set(self.version_key(scope), uuid4().hex, timeout=None)
        except Exception:  # the cache is away: answers kept before expire within max_age
            logger.warning("Could not renew the version of the kept answers %s", self.name, exc_info=True)

    def renew_on_commit(self, scope: object = "") -> None:
        """Renew now and again once the transaction commits (see the module's notes)."""
        self.renew(scope)
        transaction.on_commit(lambda: self.renew(scope))

    def forget(self) -> None:
        """Drop the shelf's version, losing every answer (the tests: the database is rolled back
        between them, but the cache is not)."""
        cache.delete(self.version_key())

    def kept(
        self,
        parts: tuple[object, ...],
        now: datetime,
        work_out: Callable[[], T],
        *,
        scope: object = "",
        ends: Callable[[], datetime | None] | None = None,
        until: Callable[[T], datetime | None] | None = None,
    ) -> T:
        """The answer for ``parts`` (what the question depends on, as plain values) at ``now``: kept
        from an earlier request if still true at ``now``, else worked out by ``work_out`` and kept
        (an old answer is renewed by one request and served to the others meanwhile).

        ``ends`` says when answers of this kind stop being true with no write (asked only when
        working one out); ``until``, given the answer, when this one does for a reason of its own
        (a window of time that moves, such as "closed in the last 90 days")."""
        try:
            question = hashlib.sha256(repr(parts).encode()).hexdigest()
            key = f"{self._prefix(scope)}:{self._versions(scope)}:{ENTRY_SHAPE}:{question}"
            entry = cache.get(key)
        except Exception:
            logger.warning("The cache is away: working out %s afresh", self.name, exc_info=True)
            return work_out()
        claimed = False
        if isinstance(entry, tuple) and len(entry) == 4:
            start, old_after, end, answer = entry
            if start <= now < end:
                if now < old_after:
                    return answer
                claimed = self._claim(key)
                if not claimed:
                    return answer  # old, and another request is renewing it: served meanwhile
        try:
            answer = work_out()
        except BaseException:
            if claimed:  # let the next request try again at once
                self._release(key)
            raise
        self._keep(key, now, answer, ends, until, claimed=claimed)
        return answer

    # Long enough for the slowest answer to be worked out; a claim whose request died ends by itself.
    CLAIM_SECONDS = 30

    def _claim(self, key: str) -> bool:
        """Whether this request is the one to renew an old answer (the first to ask)."""
        try:
            return bool(cache.add(f"{key}:renewing", 1, timeout=self.CLAIM_SECONDS))
        except Exception:  # the cache went away since the answer was read: renew here
            logger.warning("Could not claim the renewal of %s", self.name, exc_info=True)
            return True

    def _release(self, key: str) -> None:
        try:
            cache.delete(f"{key}:renewing")
        except Exception:
            logger.warning("Could not release the claim on %s", self.name, exc_info=True)

    def _keep(
        self,
        key: str,
        now: datetime,
        answer: Any,
        ends: Callable[[], datetime | None] | None,
        until: Callable[[Any], datetime | None] | None,
        *,
        claimed: bool,
    ) -> None:
        """Keep ``answer`` as ``(start, old after, end, answer)``: true until ``end`` (the app's
        moments; ``max_age`` plus ``stale_for`` at most), renewed once older than ``max_age``."""
        old_after = now + timedelta(seconds=self.max_age)
        moments = [old_after + timedelta(seconds=self.stale_for)]
        for moment in (ends() if ends else None, until(answer) if until else None):
            if moment is not None:
                moments.append(moment)
        end = min(moments)
        timeout = max(1, math.ceil((end - now).total_seconds()))
        try:
            cache.set(key, (now, min(old_after, end), end, answer), timeout=timeout)
        except Exception:
            logger.warning("Could not keep an answer of %s", self.name, exc_info=True)
        if claimed:
            self._release(key)

    def watch(self, model: type[models.Model], scope_of: Callable[[Any], object] | None = None) -> None:
        """Renew on every save or deletion of a ``model`` row: the version of the row's scope
        (``scope_of(row)``, for example its council's id), or of the whole shelf."""

        def renew(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
            self.renew_on_commit(scope_of(instance) if scope_of else "")

        uid = f"kept_{self.name}_{model._meta.label_lower}"
        post_save.connect(renew, sender=model, dispatch_uid=f"{uid}_save", weak=False)
        post_delete.connect(renew, sender=model, dispatch_uid=f"{uid}_delete", weak=False)
