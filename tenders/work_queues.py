"""The tenders app's work queues on the council dashboard (registered in ``TendersConfig.ready()``).

Officers: tenders sent for approval and not yet decided; eligibility overrides waiting for a
decision. Commissioners: co-design comments without a reply; clarification questions not yet
answered; tenders closed with bids still to open and check; approved tenders waiting to be
published. Each queue is one count query and one page query, whatever the data size, and shows
nothing sealed: the bids queue lists only tenders past their deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from commissioning.extensions import WorkItem, WorkQueue, register_work_queue
from commissioning.models import Council, Role, User
from tenders.models import (
    ApprovalDecision,
    ApprovalRequest,
    BidStatus,
    ClarificationQuestion,
    Compliance,
    EligibilityOverride,
    SectionComment,
    Tender,
    TenderApproval,
)
from tenders.timetable import Status

__all__ = [
    "register",
    "tenders_awaiting_approval",
    "overrides_awaiting_decision",
    "comments_awaiting_reply",
    "questions_awaiting_answer",
    "tenders_with_bids_to_open",
    "tenders_to_publish",
]


def _date(moment) -> str:  # type: ignore[no-untyped-def]
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y}"


def _name(user: User | None) -> str:
    return user.get_full_name() if user is not None else "someone"


def _url(name: str, council: Council, **kwargs: int) -> str:
    return reverse(name, kwargs={"council_slug": council.slug, **kwargs})


# --- The queries (selectors) ---------------------------------------------------------------------


def tenders_awaiting_approval(*, council: Council) -> QuerySet[Tender]:
    """Draft tenders whose latest request for approval came after their latest decision (or has none)."""
    last_asked = ApprovalRequest.objects.filter(council=council, tender=OuterRef("pk")).order_by("-requested_at", "-pk")
    last_decided = TenderApproval.objects.filter(council=council, tender=OuterRef("pk")).order_by("-decided_at", "-pk")
    return (
        Tender.objects.filter(council=council, published_at__isnull=True)
        .annotate(
            asked_at=Subquery(last_asked.values("requested_at")[:1]),
            asked_by_name=Subquery(last_asked.values("requested_by__name")[:1]),
            asked_by_email=Subquery(last_asked.values("requested_by__email")[:1]),
            decided_at=Subquery(last_decided.values("decided_at")[:1]),
        )
        .filter(asked_at__isnull=False)
        .filter(Q(decided_at__isnull=True) | Q(decided_at__lt=F("asked_at")))
        .order_by("asked_at", "pk")
    )


def overrides_awaiting_decision(*, council: Council) -> QuerySet[EligibilityOverride]:
    """Eligibility overrides asked for on draft tenders (they are decided before publication only)."""
    return (
        EligibilityOverride.objects.filter(council=council, decision="", tender__published_at__isnull=True)
        .select_related("tender", "requested_by")
        .order_by("requested_at", "pk")
    )


def comments_awaiting_reply(*, council: Council) -> QuerySet[SectionComment]:
    return (
        SectionComment.objects.filter(council=council, resolved_at__isnull=True)
        .select_related("round__tender")
        .order_by("created_at", "pk")
    )


def questions_awaiting_answer(*, council: Council) -> QuerySet[ClarificationQuestion]:
    return (
        ClarificationQuestion.objects.filter(council=council, published_at__isnull=True)
        .select_related("tender")
        .order_by("asked_at", "pk")
    )


def tenders_with_bids_to_open(*, council: Council) -> QuerySet[Tender]:
    """Closed tenders (past their deadline, so nothing here is sealed) with submitted bids not yet checked."""
    submitted = Q(bids__status=BidStatus.SUBMITTED)
    return (
        Tender.objects.filter(council=council)
        .in_status(Status.CLOSED, at=timezone.now())
        .annotate(
            received=Count("bids", filter=submitted),
            unchecked=Count("bids", filter=submitted & Q(bids__compliance=Compliance.UNCHECKED)),
        )
        .filter(unchecked__gt=0)
        .order_by("submission_deadline", "pk")
    )


def tenders_to_publish(*, council: Council) -> QuerySet[Tender]:
    """Draft tenders whose latest decision is an approval: an officer publishes them next."""
    last = TenderApproval.objects.filter(council=council, tender=OuterRef("pk")).order_by("-decided_at", "-pk")
    return (
        Tender.objects.filter(council=council, published_at__isnull=True)
        .annotate(decision=Subquery(last.values("decision")[:1]), decided_at=Subquery(last.values("decided_at")[:1]))
        .filter(decision=ApprovalDecision.APPROVED)
        .order_by("decided_at", "pk")
    )


# --- The queues ----------------------------------------------------------------------------------


def _queue(
    *,
    key: str,
    role: str,
    title: str,
    empty: str,
    position: int,
    query: Callable[..., QuerySet],  # type: ignore[type-arg]
    item: Callable[[Council, object], WorkItem],
) -> WorkQueue:
    def count(council: Council, user: User) -> int:
        return query(council=council).count()

    def items(council: Council, user: User, offset: int, limit: int) -> list[WorkItem]:
        return [item(council, row) for row in query(council=council)[offset : offset + limit]]

    return WorkQueue(key=key, role=role, title=title, empty=empty, count=count, items=items, position=position)


def _awaiting_approval(council: Council, tender: Tender) -> WorkItem:
    who = tender.asked_by_name or tender.asked_by_email  # type: ignore[attr-defined]
    return WorkItem(
        title=tender.title,
        url=_url("tender_approval", council, tender_id=tender.pk),
        detail=f"Sent for approval by {who} on {_date(tender.asked_at)}",  # type: ignore[attr-defined]
    )


def _override(council: Council, override: EligibilityOverride) -> WorkItem:
    return WorkItem(
        title=override.tender.title,
        url=_url("eligibility_override_decide", council, tender_id=override.tender_id, override_id=override.pk),
        detail=f"Override asked for by {_name(override.requested_by)} on {_date(override.requested_at)}",
    )


def _comment(council: Council, comment: SectionComment) -> WorkItem:
    tender = comment.round.tender
    return WorkItem(
        title=f"{tender.title}: “{comment.section_title}”",
        url=_url("comment_round", council, tender_id=tender.pk, round_id=comment.round_id),
        detail=f"Comment made on {_date(comment.created_at)}",
    )


def _question(council: Council, question: ClarificationQuestion) -> WorkItem:
    return WorkItem(
        title=question.tender.title,
        url=_url("clarification_answer", council, tender_id=question.tender_id, question_id=question.pk),
        detail=f"Question asked on {_date(question.asked_at)}",
    )


def _bids_to_open(council: Council, tender: Tender) -> WorkItem:
    unchecked, received = tender.unchecked, tender.received  # type: ignore[attr-defined]
    return WorkItem(
        title=tender.title,
        url=_url("opening_bids", council, tender_id=tender.pk),
        detail=f"Closed on {_date(tender.submission_deadline)}: {unchecked} of {received} "
        f"bid{'s' if received != 1 else ''} not yet checked",
    )


def _to_publish(council: Council, tender: Tender) -> WorkItem:
    return WorkItem(
        title=tender.title,
        url=_url("tender_detail", council, tender_id=tender.pk) + "#publication",
        detail=f"Approved on {_date(tender.decided_at)}: an officer publishes it",  # type: ignore[attr-defined]
    )


# One row a queue: key, role, title, text when empty, position in its role, query, item.
_TABLE: list[tuple[str, str, str, str, int, Callable[..., QuerySet], Callable[[Council, Any], WorkItem]]] = [
    (
        "tenders-awaiting-approval",
        Role.OFFICER,
        "Tenders waiting for approval",
        "No tender is waiting for approval.",
        10,
        tenders_awaiting_approval,
        _awaiting_approval,
    ),
    (
        "eligibility-overrides",
        Role.OFFICER,
        "Eligibility overrides waiting for a decision",
        "No eligibility override is waiting for a decision.",
        20,
        overrides_awaiting_decision,
        _override,
    ),
    (
        "codesign-comments",
        Role.COMMISSIONER,
        "Comments on draft specifications waiting for a reply",
        "No comment is waiting for a reply.",
        10,
        comments_awaiting_reply,
        _comment,
    ),
    (
        "clarification-questions",
        Role.COMMISSIONER,
        "Clarification questions waiting for an answer",
        "No clarification question is waiting for an answer.",
        20,
        questions_awaiting_answer,
        _question,
    ),
    (
        "bids-to-open",
        Role.COMMISSIONER,
        "Closed tenders with bids to open",
        "No closed tender has bids waiting to be opened and checked.",
        30,
        tenders_with_bids_to_open,
        _bids_to_open,
    ),
    (
        "tenders-to-publish",
        Role.COMMISSIONER,
        "Approved tenders waiting to be published",
        "No approved tender is waiting to be published.",
        40,
        tenders_to_publish,
        _to_publish,
    ),
]

QUEUES = [
    _queue(key=key, role=role, title=title, empty=empty, position=position, query=query, item=item)
    for key, role, title, empty, position, query, item in _TABLE
]


def register() -> None:
    for queue in QUEUES:
        register_work_queue(queue)
