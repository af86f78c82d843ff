"""A tender's status, derived only from its timestamps and the time now, and whether its timetable
is valid (:func:`timetable_problems`). No Django here.

Nothing waits for a scheduled job: a tender is closed the instant its submission deadline is
reached, because every reader asks :func:`tender_status` with the time it reads at.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    DRAFT = "draft"
    OPEN_FOR_QUESTIONS = "open for questions"
    OPEN_FOR_BIDS = "open for bids"
    CLOSED = "closed"


# The words of each status, on every page, filter, API field and message: one table.
STATUS_LABELS = {
    Status.DRAFT: "Draft",
    Status.OPEN_FOR_QUESTIONS: "Open for questions and bids",
    Status.OPEN_FOR_BIDS: "Open for bids",
    Status.CLOSED: "Closed",
}

# Every status a published tender can have (draft is the only status before publication).
PUBLISHED_STATUSES = frozenset(Status) - {Status.DRAFT}

# What a status lets people do: bids are taken in both open statuses, questions only in the first.
OPEN_STATUSES = frozenset({Status.OPEN_FOR_QUESTIONS, Status.OPEN_FOR_BIDS})

# The statuses behind each choice of the public filters ("open" or "closed").
STATUS_GROUPS: dict[str, frozenset[Status]] = {
    "open": OPEN_STATUSES,
    "closed": frozenset({Status.CLOSED}),
}

STATUS_GROUP_LABELS = {
    "open": "Open for bids (including those still open for questions)",
    "closed": "Closed",
}


def status_label(status: Status) -> str:
    return STATUS_LABELS[Status(status)]


def takes_bids(status: Status) -> bool:
    return status in OPEN_STATUSES


def takes_questions(status: Status) -> bool:
    return status == Status.OPEN_FOR_QUESTIONS


# The GOV.UK tag colour of each status.
STATUS_TAGS = {
    Status.DRAFT: "govuk-tag--grey",
    Status.OPEN_FOR_QUESTIONS: "govuk-tag--blue",
    Status.OPEN_FOR_BIDS: "govuk-tag--green",
    Status.CLOSED: "govuk-tag--red",
}


def tender_status(
    *,
    published_at: datetime | None,
    clarification_deadline: datetime | None,
    submission_deadline: datetime | None,
    now: datetime,
) -> Status:
    """Draft until published; then open for questions until the clarification deadline, open for
    bids until the submission deadline, and closed from the instant the submission deadline is reached.

    Each deadline belongs to the period after it: at exactly the clarification deadline questions
    are over, and at exactly the submission deadline bids are over.
    """
    if published_at is None or now < published_at:
        return Status.DRAFT
    if submission_deadline is not None and submission_deadline <= now:
        return Status.CLOSED
    if clarification_deadline is not None and now < clarification_deadline:
        return Status.OPEN_FOR_QUESTIONS
    return Status.OPEN_FOR_BIDS


def next_status_change(tenders: Iterable[Any], now: datetime) -> datetime | None:
    """The first moment after ``now`` at which one of ``tenders`` (anything with the three
    timestamps :func:`tender_status` reads) may change status, or None if none will by itself."""
    moments = [
        moment
        for tender in tenders
        for moment in (tender.published_at, tender.clarification_deadline, tender.submission_deadline)
        if moment is not None and moment > now
    ]
    return min(moments, default=None)


# --- Whether a timetable is valid ------------------------------------------------------------------

CLARIFICATION_BEFORE_SUBMISSION = "The clarification deadline must be before the submission deadline"

# Each deadline's field and its name in messages.
DEADLINES = (("clarification_deadline", "clarification"), ("submission_deadline", "submission"))


@dataclass(frozen=True)
class TimetableProblem:
    """One thing wrong with a timetable, pinned to the field (``clarification_deadline`` or
    ``submission_deadline``) it is about."""

    field: str
    message: str


def timetable_problems(
    *,
    clarification_deadline: datetime | None,
    submission_deadline: datetime | None,
    now: datetime | None = None,
    published: tuple[datetime | None, datetime | None] | None = None,
) -> list[TimetableProblem]:
    """Everything wrong with a tender's deadlines; empty when they are valid.

    Always: the clarification deadline is before the submission deadline (a deadline not yet set
    is no problem). With ``now``, for publication: both deadlines are set and in the future. With
    ``now`` and ``published`` (the clarification and submission deadlines as published), for a
    published change: a deadline that changes is only extended, and to a time in the future.
    The order of the deadlines is checked only when each deadline is right on its own.
    """
    proposed = {"clarification_deadline": clarification_deadline, "submission_deadline": submission_deadline}
    problems: list[TimetableProblem] = []
    if now is not None and published is None:
        for field_name, name in DEADLINES:
            deadline = proposed[field_name]
            if deadline is None:
                problems.append(TimetableProblem(field_name, f"Set the {name} deadline"))
            elif deadline <= now:
                problems.append(TimetableProblem(field_name, f"Move the {name} deadline into the future"))
    elif now is not None and published is not None:
        for (field_name, name), current in zip(DEADLINES, published, strict=True):
            deadline = proposed[field_name]
            if deadline is None or deadline == current:
                continue
            if current is not None and deadline < current:
                problems.append(
                    TimetableProblem(field_name, f"The {name} deadline can only be extended, not brought forward")
                )
            elif deadline <= now:
                problems.append(TimetableProblem(field_name, f"The {name} deadline must be in the future"))
    if (
        not problems
        and clarification_deadline is not None
        and submission_deadline is not None
        and clarification_deadline >= submission_deadline
    ):
        problems.append(TimetableProblem("clarification_deadline", CLARIFICATION_BEFORE_SUBMISSION))
    return problems
