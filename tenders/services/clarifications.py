"""Writes of clarification questions: a provider asks about a published tender until the clarification
deadline; the commissioner words the question for publication, answers it and publishes it to every
bidder.

Keyword-only, typed and atomic; each consequential change writes one audit event in the same
transaction.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.audit import audit_record
from commissioning.links import site_base_url
from commissioning.models import Organisation, OrganisationMember, User
from commissioning.queue import enqueue
from tenders.audit_labels import TenderAction
from tenders.models import ClarificationQuestion, Tender
from tenders.timetable import Status, takes_questions

__all__ = [
    "clarification_ask",
    "clarification_answer",
]


MAX_QUESTION = 5000


@transaction.atomic
def clarification_ask(
    *, tender: Tender, actor: User, organisation: Organisation, question: str, now: datetime | None = None
) -> ClarificationQuestion:
    """A provider asks a question about a published tender, for their organisation, until the
    clarification deadline (by the server clock at the moment of saving)."""
    tender = Tender.objects.select_related("council").get(pk=tender.pk)
    now = now or timezone.now()
    status = tender.status_at(now)
    if status == Status.DRAFT:
        raise ValidationError("This tender is not published", code="not_published")
    if not OrganisationMember.objects.is_member(user=actor, organisation=organisation):
        raise ValidationError({"organisation": "Choose an organisation you belong to"}, code="not_member")
    if not takes_questions(status):
        deadline = tender.clarification_deadline or tender.submission_deadline
        when = timezone.localtime(deadline).strftime("%-d %B %Y at %H:%M") if deadline else "not set"
        raise ValidationError(
            f"The deadline for clarification questions was {when} (UK time). You can no longer ask a question.",
            code="deadline_passed",
        )
    question = question.strip()
    if not question:
        raise ValidationError({"question": "Enter your question"}, code="required")
    if len(question) > MAX_QUESTION:
        raise ValidationError({"question": f"Your question must be {MAX_QUESTION:,} characters or fewer"})
    asked = ClarificationQuestion.objects.create(
        council=tender.council, tender=tender, organisation=organisation, asked_by=actor, question=question
    )
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.CLARIFICATION_ASKED,
        target=asked,
        after={"organisation": organisation.name, "question": question},
    )
    return asked


@transaction.atomic
def clarification_answer(
    *,
    question: ClarificationQuestion,
    actor: User,
    published_question: str,
    answer: str,
    publish: bool,
    base_url: str | None = None,
) -> ClarificationQuestion:
    """The commissioner words the question for publication (nothing that identifies the asker),
    answers it, and saves a draft or publishes it to every bidder. A published answer stays as published."""
    question = ClarificationQuestion.objects.select_for_update().select_related("tender__council").get(pk=question.pk)
    if question.published_at is not None:
        raise ValidationError("This answer is already published", code="published")
    published_question, answer = published_question.strip(), answer.strip()
    errors = {}
    if publish and not published_question:
        errors["published_question"] = "Enter the question as it will be published"
    if publish and not answer:
        errors["answer"] = "Enter the answer"
    if errors:
        raise ValidationError(errors, code="required")
    question.published_question = published_question
    question.answer = answer
    question.answered_by = actor
    if publish:
        question.published_at = timezone.now()
    question.save()
    audit_record(
        council=question.council,
        actor=actor,
        action=TenderAction.CLARIFICATION_PUBLISHED if publish else TenderAction.CLARIFICATION_ANSWER_SAVED,
        target=question,
        after={"published_question": published_question, "answer": answer},
    )
    if publish:
        from tenders.tasks.publication import notify_clarification_answered

        enqueue(
            notify_clarification_answered,
            council=question.tender.council,
            question_id=question.pk,
            base_url=base_url or site_base_url(),
        )
    return question
