"""Where apps plug into the core. The core knows no domain app: each app registers what it adds
from its ``AppConfig.ready()``, and the core renders whatever is registered.

Sections (each independent, so apps and reviewers can read one at a time):

- Dashboard work queues: what needs a council member's attention, per role.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from commissioning.models import Council, User

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
