"""Reads of clarification questions: the published questions and answers (never who asked), every
question on the council side, and a provider's own questions.
"""

from __future__ import annotations

from django.db.models import F
from django.http import Http404

from commissioning.models import Organisation, User
from tenders.models import ClarificationQuestion, Tender

__all__ = [
    "published_clarifications",
    "council_clarifications",
    "clarification_get",
    "my_clarifications",
]


def published_clarifications(*, tender: Tender) -> list[ClarificationQuestion]:
    """The published questions and answers, in the order they were published. Who asked is never shown."""
    return list(
        ClarificationQuestion.objects.filter(council=tender.council_id, tender=tender, published_at__isnull=False)
        .only("pk", "tender_id", "council_id", "published_question", "answer", "published_at")
        .order_by("published_at", "pk")
    )


def council_clarifications(*, tender: Tender) -> list[ClarificationQuestion]:
    """Every question on the tender with who asked (council side only), unanswered first."""
    return list(
        ClarificationQuestion.objects.filter(council=tender.council_id, tender=tender)
        .select_related("organisation", "asked_by", "answered_by")
        .order_by(F("published_at").asc(nulls_first=True), "asked_at", "pk")
    )


def clarification_get(*, tender: Tender, question_id: int) -> ClarificationQuestion:
    question = (
        ClarificationQuestion.objects.filter(council=tender.council_id, tender=tender, pk=question_id)
        .select_related("organisation", "asked_by", "answered_by", "tender")
        .first()
    )
    if question is None:
        raise Http404("No such question")
    return question


def my_clarifications(*, tender: Tender, user: User) -> list[ClarificationQuestion]:
    """The questions the signed-in provider's organisations asked on the tender, with their status."""
    if not user.is_authenticated:
        return []
    return list(
        ClarificationQuestion.objects.filter(
            council=tender.council_id, tender=tender, organisation__in=Organisation.objects.of_user(user)
        )
        .select_related("organisation")
        .distinct()
        .order_by("-asked_at", "-pk")
    )
