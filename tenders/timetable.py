"""A tender's status, derived only from its timestamps and the time now. No Django here.

Nothing waits for a scheduled job: a tender is closed the instant its submission deadline is
reached, because every reader asks :func:`tender_status` with the time it reads at.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum


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
