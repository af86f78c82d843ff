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

The answers sit on a :class:`commissioning.kept.Shelf` with one version for the whole platform
(the finder's answers are read across councils). When the cache cannot be reached, the answer
is worked out as if nothing were kept, and the page is served as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.db.models import Min, Q

from commissioning.kept import Shelf

__all__ = ["MAX_AGE", "bump", "connect", "kept", "next_change", "version_key"]

# The longest an answer is kept, in seconds, whatever else happens.
MAX_AGE = 60

T = TypeVar("T")

SHELF = Shelf("tenders:public", max_age=MAX_AGE)


def version_key() -> str:
    return SHELF.version_key()


def bump() -> None:
    """A new version: every answer kept so far is no longer found."""
    SHELF.renew()


def bump_on_commit(*args: Any, **kwargs: Any) -> None:
    """Renew the version now and again once the transaction commits."""
    SHELF.renew_on_commit()


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
    """The answer for ``parts`` at ``now``, kept or worked out (:meth:`Shelf.kept`); it ends at the
    next change of status of a tender (of ``council`` only, when the answer is about its tenders)."""
    return SHELF.kept(parts, now, work_out, ends=lambda: next_change(now, council=council), until=until)


def connect() -> None:
    """Renew the version after any write to what the public reads are made of."""
    from commissioning.models import Council, Organisation
    from tenders.models import (
        AwardNotice,
        AwardRecommendation,
        ClarificationQuestion,
        EligibilityOverride,
        Lot,
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
        AwardRecommendation,
        Lot,
        EligibilityOverride,
        SpendPolicyBand,
        Council,
        # The portal's recent awards name each winner.
        Organisation,
    ):
        SHELF.watch(model)
