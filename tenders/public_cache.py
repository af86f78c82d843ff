"""A shared cache of what the public reads of published tenders find: the finder's pages, each
tender's public notice, and the open and recently closed opportunities on a council's portal.

What these pages show everyone is the same for everyone: which published tenders match a filter,
in which order, how many, who may bid for each; a notice's versions, documents, published answers
and award. Working that out is about half of such a page's time, so it is kept in the cache
(Redis in production, shared by every web process) and only the person's own part ("open to
you") and each row's status are worked out per request.

Two things make a kept answer stale, and both end it:

- **A write.** Every save, update or deletion of a tender, its revisions, documents, questions
  or award notices, an eligibility override, a spend policy band or a council (what the pages
  are read from) replaces the
  *version*, at once and again when its transaction commits (:func:`bump_on_commit`, connected
  in :func:`connect`; tenders' own ``update()`` and ``bulk_create()`` call it too, see
  ``TenderQuerySet``). Answers are kept under the version, so a new version finds none of the
  old ones.
- **Time.** A tender changes status at its publication time, its clarification deadline and its
  submission deadline, with no write. An answer is kept only until the next such moment of any
  tender (:func:`next_change`), and never longer than :data:`MAX_AGE` seconds (the bound on any
  change this module does not see, such as a write to the database from outside the application).

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
from django.db import transaction
from django.db.models import Min, Q
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)

__all__ = ["MAX_AGE", "bump", "connect", "kept", "next_change", "version_key"]

# Under the database's name: one cache may serve several databases (the bench's, the tests').
VERSION_KEY = "tenders:public:{database}:version"
# The longest an answer is kept, in seconds, whatever else happens.
MAX_AGE = 60

T = TypeVar("T")


def _prefix() -> str:
    return f"tenders:public:{settings.DATABASES['default']['NAME']}"


def version_key() -> str:
    return VERSION_KEY.format(database=settings.DATABASES["default"]["NAME"])


def _version() -> str:
    key = version_key()
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid4().hex, timeout=None)
        version = cache.get(key)
    return str(version)


def bump() -> None:
    """A new version: every answer kept so far is no longer found."""
    try:
        cache.set(version_key(), uuid4().hex, timeout=None)
    except Exception:  # the cache is away: answers kept before expire within MAX_AGE
        logger.warning("Could not renew the public tenders cache version", exc_info=True)


def bump_on_commit(*args: Any, **kwargs: Any) -> None:
    """Renew the version now and again once the transaction commits: a request that kept an
    answer between the two (reading the rows as they were before the commit) is not believed."""
    bump()
    transaction.on_commit(bump)


def next_change(now: datetime, *, council: int | None = None) -> datetime:
    """The first moment after ``now`` at which some published (or scheduled) tender changes status:
    of one council (read in its scope, the request's own), or of every council (``council=None``,
    read across councils: the finder's answers are)."""
    from commissioning.tenancy import platform_scope
    from tenders.models import Tender

    def read() -> dict[str, datetime | None]:
        tenders = Tender.objects.filter(published_at__isnull=False)
        if council is not None:
            tenders = tenders.filter(council=council)
        return tenders.aggregate(
            published=Min("published_at", filter=Q(published_at__gt=now)),
            questions=Min("clarification_deadline", filter=Q(clarification_deadline__gt=now)),
            deadline=Min("submission_deadline", filter=Q(submission_deadline__gt=now)),
        )

    if council is None:
        with platform_scope():
            moments = read()
    else:
        moments = read()
    return min([moment for moment in moments.values() if moment is not None], default=now + timedelta(seconds=MAX_AGE))


def kept(
    parts: tuple[object, ...],
    now: datetime,
    work_out: Callable[[], T],
    *,
    until: Callable[[T], datetime | None] | None = None,
    council: int | None = None,
) -> T:
    """The answer for ``parts`` (what the question depends on, as plain values) at ``now``: kept
    from an earlier request if still true at ``now``, else worked out by ``work_out`` and kept.

    ``until``, given the answer, says when it stops being true for a reason of its own (a window
    of time that moves, such as "closed in the last 90 days"), or None. ``council``: the answer
    is about that council's tenders only (so only their changes of status end it)."""
    try:
        key = f"{_prefix()}:{_version()}:{hashlib.sha256(repr(parts).encode()).hexdigest()}"
        entry = cache.get(key)
    except Exception:
        logger.warning("The public tenders cache is away: working the answer out", exc_info=True)
        return work_out()
    if entry is not None:
        start, end, answer = entry
        if start <= now < end:
            return answer
    answer = work_out()
    ends = [next_change(now, council=council), now + timedelta(seconds=MAX_AGE)]
    own_end = until(answer) if until is not None else None
    end = min([*ends, own_end] if own_end is not None else ends)
    timeout = max(1, math.ceil((end - now).total_seconds()))
    try:
        cache.set(key, (now, end, answer), timeout=timeout)
    except Exception:
        logger.warning("Could not keep a public tenders answer", exc_info=True)
    return answer


def connect() -> None:
    """Renew the version after any write to what the public reads are made of."""
    from commissioning.models import Council
    from tenders.models import (
        AwardNotice,
        ClarificationQuestion,
        EligibilityOverride,
        SpendPolicyBand,
        Tender,
        TenderDocument,
        TenderRevision,
    )

    for model in (
        Tender,
        TenderRevision,
        TenderDocument,
        ClarificationQuestion,
        AwardNotice,
        EligibilityOverride,
        SpendPolicyBand,
        Council,
    ):
        uid = f"tenders_public_cache_{model._meta.label_lower}"
        post_save.connect(bump_on_commit, sender=model, dispatch_uid=f"{uid}_save", weak=False)
        post_delete.connect(bump_on_commit, sender=model, dispatch_uid=f"{uid}_delete", weak=False)
