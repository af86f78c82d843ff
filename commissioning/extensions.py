"""Hooks apps register in ``AppConfig.ready()``, so the core can ask them without importing them.

The core knows no domain app. When it needs an answer only an app has (is this seal open yet? how
is a sealed audit fact read?), the app registers a hook here and the core asks the registry.

**Audit seals.** Some audit events carry facts that no reader may learn yet: who is bidding for a
tender, before its submission deadline. Such an event names its seal by a reference
``"<kind>:<key>"`` (``"tenders.tender:12"``) and holds its facts encrypted. The app that owns the
kind registers an :class:`AuditSeal` saying how to encrypt, whether a seal is open now (it follows
the tender's current deadline, so an extension of the deadline keeps the seal shut), and how to
decrypt once it is.

Sections (each independent, so apps and reviewers can read one at a time):

- Audit seals: how sealed audit facts are written and read.
- Dashboard work queues: what needs a council member's attention, per role.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from commissioning.models import Council, User

# --- Audit seals ---------------------------------------------------------------------------------

__all__ = [
    "AuditSeal",
    "register_audit_seal",
    "audit_seal",
    "split_seal_reference",
    "WorkItem",
    "WorkQueue",
    "WorkQueueView",
    "register_work_queue",
    "work_queue",
    "work_queues_for",
    "work_queue_previews",
]


@dataclass(frozen=True)
class AuditSeal:
    """How one kind of seal is written and read.

    - ``noun``: what the sealed events are about, for the placeholder ("3 sealed *bid* events").
    - ``seal(key, plaintext) -> token``: encrypt the facts of an event when it is written.
    - ``opened(keys, now) -> set of keys``: which of these seals may be read now.
    - ``unseal(key, tokens) -> plaintexts``: decrypt the facts of events under one seal; only
      called for a key ``opened`` returned, and the app checks again (its own one door).
    """

    kind: str
    noun: str
    seal: Callable[[str, bytes], str]
    opened: Callable[[Iterable[str], datetime], set[str]]
    unseal: Callable[[str, list[str]], list[bytes]]


_audit_seals: dict[str, AuditSeal] = {}


def register_audit_seal(seal: AuditSeal) -> None:
    _audit_seals[seal.kind] = seal


def split_seal_reference(reference: str) -> tuple[str, str]:
    kind, _, key = reference.partition(":")
    return kind, key


def audit_seal(reference: str) -> AuditSeal:
    """The registered seal of a reference such as ``"tenders.tender:12"``. A sealed event whose
    kind nobody registered stays sealed for every reader (the lookup fails loudly for writers)."""
    kind, key = split_seal_reference(reference)
    if kind not in _audit_seals or not key:
        raise LookupError(f"No audit seal is registered for {reference!r}")
    return _audit_seals[kind]


# --- Dashboard work queues -------------------------------------------------------------------------
#
# A work queue is a list of things waiting for someone in one council role ("Tenders waiting for
# approval" for officers). The dashboard shows each queue of the member's roles with its count and
# its first few items, and links to the whole list (``council_work_queue``). Each queue answers in
# a constant number of queries (one count, one page of items), whatever the data size.

# How many items each queue shows on the dashboard; the full list is paged at WORK_QUEUE_PAGE.
WORK_QUEUE_PREVIEW = 5
WORK_QUEUE_PAGE = 50


@dataclass(frozen=True)
class WorkItem:
    """One thing waiting: what it is (``title``), a line of detail, and where to act on it."""

    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class WorkQueue:
    """A registered queue. ``count(council, user)`` says how many are waiting; ``items(council,
    user, offset, limit)`` gives a page of them, oldest waiting first."""

    key: str
    role: str
    title: str
    empty: str
    count: Callable[[Council, User], int]
    items: Callable[[Council, User, int, int], list[WorkItem]]
    position: int = 100


@dataclass(frozen=True)
class WorkQueueView:
    """A queue as the dashboard shows it: its count and its first items."""

    queue: WorkQueue
    count: int
    items: list[WorkItem]

    @property
    def more(self) -> int:
        return self.count - len(self.items)


_work_queues: dict[str, WorkQueue] = {}


def register_work_queue(queue: WorkQueue) -> WorkQueue:
    """Register a queue (idempotent by key: registering the same key again replaces it)."""
    _work_queues[queue.key] = queue
    return queue


def work_queue(key: str) -> WorkQueue | None:
    return _work_queues.get(key)


def work_queues_for(roles: frozenset[str] | set[str]) -> list[WorkQueue]:
    """The registered queues for any of ``roles``, in their order."""
    return sorted((q for q in _work_queues.values() if q.role in roles), key=lambda q: (q.position, q.key))


def work_queue_previews(
    *, council: Council, user: User, roles: frozenset[str] | set[str]
) -> dict[str, list[WorkQueueView]]:
    """Each of the member's roles' queues with its count and first items, grouped by role."""
    grouped: dict[str, list[WorkQueueView]] = {}
    for queue in work_queues_for(roles):
        count = queue.count(council, user)
        items = queue.items(council, user, 0, WORK_QUEUE_PREVIEW) if count else []
        grouped.setdefault(queue.role, []).append(WorkQueueView(queue=queue, count=count, items=items))
    return grouped


# --- End of dashboard work queues ------------------------------------------------------------------
