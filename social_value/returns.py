"""Writes of delivery returns: the provider reports a period, the council verifies it.

The rules (issue 11, "From award to delivery"):

- **Who.** Only a member of the agreement's provider organisation writes a return (the same test
  tenders uses for a bid: ``OrganisationMember.objects.is_member``, read in the transaction); only
  an officer or a commissioner of the agreement's council verifies one
  (``social_value.verify_returns``).
- **When.** A period's return may be saved as a draft at any time, and submitted once the period
  has ended (it reports what was delivered in it).
- **What.** A quantity per KPI of the agreement (0 allowed, never negative, every KPI given), a
  narrative (required to submit), evidence documents (the one upload rule for providers'
  documents: ``commissioning.filetypes.attachment_problem``, the bid attachments' size limit).
- **States.** draft → submitted → accepted | queried | rejected; queried → submitted (the provider
  answers the question, and may change figures, narrative and evidence). A submitted, accepted or
  rejected return is read-only to the provider. Each step writes a :class:`ReturnEvent` (the
  figures and narrative as submitted, the question, answer or reason) and an audit event.

Refusals are :class:`ReturnRefused` (a ``ValidationError`` with a stable ``reason``) or
``PermissionDenied``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from commissioning import filetypes
from commissioning.audit import audit_record
from commissioning.models import OrganisationMember, User
from social_value.audit_labels import SocialValueAction
from social_value.models import (
    REPORTING_MONTHS,
    Agreement,
    DeliveryReturn,
    ReturnEvent,
    ReturnEventKind,
    ReturnEvidence,
    ReturnFigure,
    ReturnStatus,
    SocialValueKPI,
)
from social_value.periods import Period, period_at, reporting_periods
from social_value.returns_models import PROVIDER_EDITABLE

__all__ = [
    "NARRATIVE_MAX",
    "QUANTITY_LIMIT",
    "ReturnRefused",
    "agreement_periods",
    "return_accept",
    "return_evidence_add",
    "return_evidence_remove",
    "return_query",
    "return_reject",
    "return_save",
    "return_submit",
]

NARRATIVE_MAX = 10_000
TEXT_MAX = 5_000
QUANTITY_LIMIT = Decimal(10) ** 12
MAX_EVIDENCE = 20


class ReturnRefused(ValidationError):
    """A change to a return refused. ``reason``: ``read_only`` (not the provider's to change now),
    ``not_ended`` (the period has not ended), ``incomplete`` (figures or narrative missing),
    ``no_period``, ``state`` (not in a state this step applies to)."""

    def __init__(self, reason: str, message: str | dict[str, str]) -> None:
        self.reason = reason
        super().__init__(message, code=reason)


def agreement_periods(agreement: Agreement) -> list[Period]:
    return reporting_periods(agreement.starts_on, agreement.ends_on, REPORTING_MONTHS[agreement.reporting_period])  # type: ignore[index]


def _period(agreement: Agreement, number: int) -> Period:
    found = period_at(agreement.starts_on, agreement.ends_on, REPORTING_MONTHS[agreement.reporting_period], number)  # type: ignore[index]
    if found is None:
        raise ReturnRefused("no_period", "This agreement has no such reporting period")
    return found


def _check_provider(agreement: Agreement, actor: User) -> None:
    if not OrganisationMember.objects.is_member(user=actor, organisation=agreement.provider):
        raise PermissionDenied(f"Only a member of {agreement.provider.name} can report on this agreement.")


def _check_verifier(delivery_return: DeliveryReturn, actor: User) -> None:
    if not actor.has_perm("social_value.verify_returns", delivery_return.council):
        raise PermissionDenied("Only an officer or a commissioner of the council can verify a delivery return.")


def _quantities(agreement: Agreement, figures: Mapping[int, object]) -> dict[int, Decimal]:
    """The given quantities by KPI id, each a number of 0 or more with at most 2 decimal places;
    ids of another agreement's KPIs are refused."""
    kpi_ids = set(
        SocialValueKPI.objects.filter(council=agreement.council, agreement=agreement).values_list("pk", flat=True)
    )
    found: dict[int, Decimal] = {}
    problems: dict[str, str] = {}
    for kpi_id, given in figures.items():
        if kpi_id not in kpi_ids:
            problems[f"kpi_{kpi_id}"] = "That KPI is not part of this agreement"
            continue
        if given is None or str(given).strip() == "":
            continue
        try:
            number = Decimal(str(given).replace(",", "").strip())
        except InvalidOperation:
            problems[f"kpi_{kpi_id}"] = "Enter the quantity delivered as a number, for example 12 or 0"
            continue
        if not number.is_finite() or number < 0:
            problems[f"kpi_{kpi_id}"] = "The quantity delivered must be 0 or more"
        elif number >= QUANTITY_LIMIT:
            problems[f"kpi_{kpi_id}"] = "The quantity delivered is too large"
        elif number != number.quantize(Decimal("0.01")):
            problems[f"kpi_{kpi_id}"] = "The quantity delivered can have at most 2 decimal places"
        else:
            found[kpi_id] = number.quantize(Decimal("0.01"))
    if problems:
        raise ReturnRefused("invalid", problems)
    return found


def _locked(delivery_return: DeliveryReturn) -> DeliveryReturn:
    return (
        DeliveryReturn.objects.select_for_update(of=("self",))
        .select_related("agreement", "agreement__provider", "council")
        .get(council=delivery_return.council_id, pk=delivery_return.pk)
    )


def _figures_snapshot(delivery_return: DeliveryReturn) -> dict[str, str]:
    return {
        str(kpi_id): str(quantity)
        for kpi_id, quantity in ReturnFigure.objects.filter(
            council=delivery_return.council_id, delivery_return=delivery_return
        ).values_list("kpi_id", "quantity")
    }


@transaction.atomic
def return_save(
    *,
    agreement: Agreement,
    period: int,
    actor: User,
    figures: Mapping[int, object],
    narrative: str,
) -> DeliveryReturn:
    """Save the provider's draft of a period's return (made on first save), or its answer to a
    query before resubmitting: the figures given replace the ones saved, a blank one is removed."""
    _check_provider(agreement, actor)
    found = _period(agreement, period)
    narrative = narrative.strip()
    if len(narrative) > NARRATIVE_MAX:
        raise ReturnRefused("invalid", {"narrative": f"The narrative must be {NARRATIVE_MAX:,} characters or fewer"})
    quantities = _quantities(agreement, figures)
    delivery_return, created = DeliveryReturn.objects.get_or_create(
        council=agreement.council,
        agreement=agreement,
        period=period,
        defaults={
            "period_starts_on": found.starts_on,
            "period_ends_on": found.ends_on,
            "due_on": found.due_on,
            "created_by": actor,
        },
    )
    delivery_return = _locked(delivery_return)
    if delivery_return.status not in PROVIDER_EDITABLE:
        raise ReturnRefused(
            "read_only",
            f"This return is {delivery_return.get_status_display().lower()}: it can be changed only when the "
            "council queries it.",
        )
    delivery_return.narrative = narrative
    delivery_return.save(update_fields=["narrative", "updated_at"])
    given = {int(k) for k in figures}
    ReturnFigure.objects.filter(council=agreement.council, delivery_return=delivery_return, kpi_id__in=given).exclude(
        kpi_id__in=quantities
    ).delete()
    existing = {
        f.kpi_id: f for f in ReturnFigure.objects.filter(council=agreement.council, delivery_return=delivery_return)
    }
    for kpi_id, quantity in quantities.items():
        if kpi_id in existing:
            if existing[kpi_id].quantity != quantity:
                existing[kpi_id].quantity = quantity
                existing[kpi_id].save(update_fields=["quantity"])
        else:
            ReturnFigure.objects.create(
                council=agreement.council, delivery_return=delivery_return, kpi_id=kpi_id, quantity=quantity
            )
    audit_record(
        council=agreement.council,
        actor=actor,
        action=SocialValueAction.RETURN_SAVED,
        target=delivery_return,
        after={"agreement": agreement.pk, "period": period, "figures": {str(k): str(v) for k, v in quantities.items()}},
    )
    return delivery_return


@transaction.atomic
def return_submit(
    *, delivery_return: DeliveryReturn, actor: User, answer: str = "", today: date | None = None
) -> DeliveryReturn:
    """Submit a draft, or resubmit a queried return with the ``answer`` to the council's question.

    Refused before the period has ended, without a narrative, or with a KPI left without a
    quantity (0 is a quantity)."""
    delivery_return = _locked(delivery_return)
    agreement = delivery_return.agreement
    _check_provider(agreement, actor)
    today = today or timezone.localdate()
    if delivery_return.status not in PROVIDER_EDITABLE:
        raise ReturnRefused(
            "read_only", f"This return is already {delivery_return.get_status_display().lower()}: nothing was changed."
        )
    if delivery_return.period_ends_on >= today:
        raise ReturnRefused(
            "not_ended",
            f"This period ends on {delivery_return.period_ends_on:%-d %B %Y}: submit its return after that. "
            "Your draft is saved.",
        )
    problems: dict[str, str] = {}
    if not delivery_return.narrative.strip():
        problems["narrative"] = "Tell the council what was delivered in this period, in a few sentences"
    kpis = list(
        SocialValueKPI.objects.filter(council=agreement.council, agreement=agreement).order_by("position", "pk")
    )
    figures = _figures_snapshot(delivery_return)
    for kpi in kpis:
        if str(kpi.pk) not in figures:
            problems[f"kpi_{kpi.pk}"] = f"Enter the quantity delivered for “{kpi.measure}” (0 if none)"
    queried = delivery_return.status == ReturnStatus.QUERIED
    answer = answer.strip()
    if queried and not answer:
        problems["answer"] = "Answer the council's question"
    if len(answer) > TEXT_MAX:
        problems["answer"] = f"The answer must be {TEXT_MAX:,} characters or fewer"
    if problems:
        raise ReturnRefused("incomplete", problems)
    now = timezone.now()
    delivery_return.status = ReturnStatus.SUBMITTED
    delivery_return.revision += 1
    delivery_return.submitted_at = now
    delivery_return.submitted_by = actor
    delivery_return.question = ""
    delivery_return.save(update_fields=["status", "revision", "submitted_at", "submitted_by", "question", "updated_at"])
    ReturnEvent.objects.create(
        council=agreement.council,
        delivery_return=delivery_return,
        kind=ReturnEventKind.ANSWERED if queried else ReturnEventKind.SUBMITTED,
        actor=actor,
        at=now,
        text=answer,
        narrative=delivery_return.narrative,
        figures=figures,
    )
    audit_record(
        council=agreement.council,
        actor=actor,
        action=SocialValueAction.RETURN_ANSWERED if queried else SocialValueAction.RETURN_SUBMITTED,
        target=delivery_return,
        after={"period": delivery_return.period, "revision": delivery_return.revision, "figures": figures},
    )
    return delivery_return


def _decide(delivery_return: DeliveryReturn, actor: User, *, status: str, kind: str, text: str) -> DeliveryReturn:
    delivery_return = _locked(delivery_return)
    _check_verifier(delivery_return, actor)
    if delivery_return.status != ReturnStatus.SUBMITTED:
        raise ReturnRefused(
            "state",
            f"This return is {delivery_return.get_status_display().lower()}: only a submitted return can be verified.",
        )
    now = timezone.now()
    before = {"status": delivery_return.status}
    delivery_return.status = status
    if status == ReturnStatus.QUERIED:
        delivery_return.question = text
    else:
        delivery_return.decided_at = now
        delivery_return.decided_by = actor
        delivery_return.decision_reason = text
    delivery_return.save(
        update_fields=["status", "question", "decided_at", "decided_by", "decision_reason", "updated_at"]
    )
    ReturnEvent.objects.create(
        council=delivery_return.council, delivery_return=delivery_return, kind=kind, actor=actor, at=now, text=text
    )
    audit_record(
        council=delivery_return.council,
        actor=actor,
        action=SocialValueAction.RETURN_ACCEPTED
        if status == ReturnStatus.ACCEPTED
        else SocialValueAction.RETURN_QUERIED
        if status == ReturnStatus.QUERIED
        else SocialValueAction.RETURN_REJECTED,
        target=delivery_return,
        before=before,
        after={"status": status, "revision": delivery_return.revision, **({"text": text} if text else {})},
    )
    return delivery_return


def _required(text: str, field: str, message: str) -> str:
    text = text.strip()
    if not text:
        raise ReturnRefused("incomplete", {field: message})
    if len(text) > TEXT_MAX:
        raise ReturnRefused("invalid", {field: f"Keep it to {TEXT_MAX:,} characters or fewer"})
    return text


@transaction.atomic
def return_accept(*, delivery_return: DeliveryReturn, actor: User, note: str = "") -> DeliveryReturn:
    """Accept a submitted return: its figures become verified social value."""
    if len(note) > TEXT_MAX:
        raise ReturnRefused("invalid", {"text": f"Keep it to {TEXT_MAX:,} characters or fewer"})
    return _decide(
        delivery_return,
        actor,
        status=ReturnStatus.ACCEPTED,
        kind=ReturnEventKind.ACCEPTED,
        text=note.strip(),
    )


@transaction.atomic
def return_query(*, delivery_return: DeliveryReturn, actor: User, question: str) -> DeliveryReturn:
    """Ask the provider a question about a submitted return: it goes back to them to answer."""
    question = _required(question, "text", "Enter the question for the provider")
    return _decide(
        delivery_return,
        actor,
        status=ReturnStatus.QUERIED,
        kind=ReturnEventKind.QUERIED,
        text=question,
    )


@transaction.atomic
def return_reject(*, delivery_return: DeliveryReturn, actor: User, reason: str) -> DeliveryReturn:
    """Reject a submitted return with the reason: its figures are never counted as delivered."""
    reason = _required(reason, "text", "Enter the reason for rejecting the return")
    return _decide(
        delivery_return,
        actor,
        status=ReturnStatus.REJECTED,
        kind=ReturnEventKind.REJECTED,
        text=reason,
    )


@transaction.atomic
def return_evidence_add(*, delivery_return: DeliveryReturn, actor: User, upload: UploadedFile) -> ReturnEvidence:
    """Attach a document as evidence, under the same rules as a bid's documents (kind, first bytes,
    content, size)."""
    delivery_return = _locked(delivery_return)
    _check_provider(delivery_return.agreement, actor)
    if delivery_return.status not in PROVIDER_EDITABLE:
        raise ReturnRefused("read_only", {"file": "This return cannot be changed now"})
    limit = settings.COMMISSIONING_BID_ATTACHMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ReturnRefused("size", {"file": f"The file must be smaller than {limit // (1024 * 1024)} MB"})
    data = upload.read(limit + 1)
    filename = PurePath(upload.name or "document").name[:200]
    problem = filetypes.attachment_problem(filename, data, max_bytes=limit)
    if problem:
        raise ReturnRefused(problem.code, {"file": problem.message})
    in_use = ReturnEvidence.objects.filter(
        council=delivery_return.council_id, delivery_return=delivery_return, removed_at__isnull=True
    ).count()
    if in_use >= MAX_EVIDENCE:
        raise ReturnRefused("too_many", {"file": f"A return can have at most {MAX_EVIDENCE} documents"})
    digest = hashlib.sha256(data).hexdigest()
    evidence = ReturnEvidence(
        council=delivery_return.council,
        delivery_return=delivery_return,
        filename=filename,
        content_type=filetypes.content_type_of(filename),
        size=len(data),
        sha256=digest,
        uploaded_by=actor,
    )
    evidence.file.save("evidence", ContentFile(data), save=False)
    evidence.save()
    audit_record(
        council=delivery_return.council,
        actor=actor,
        action=SocialValueAction.RETURN_EVIDENCE_ADDED,
        target=evidence,
        after={"return": delivery_return.pk, "filename": filename, "size": len(data), "sha256": digest},
    )
    return evidence


@transaction.atomic
def return_evidence_remove(*, evidence: ReturnEvidence, actor: User, now: datetime | None = None) -> ReturnEvidence:
    """Take a document off a draft or a queried return (kept, marked removed: a submission may have had it)."""
    delivery_return = _locked(evidence.delivery_return)
    _check_provider(delivery_return.agreement, actor)
    if delivery_return.status not in PROVIDER_EDITABLE:
        raise ReturnRefused("read_only", "This return cannot be changed now")
    evidence = ReturnEvidence.objects.select_for_update().get(council=delivery_return.council_id, pk=evidence.pk)
    if evidence.removed_at is None:
        evidence.removed_at = now or timezone.now()
        evidence.save(update_fields=["removed_at"])
        audit_record(
            council=delivery_return.council,
            actor=actor,
            action=SocialValueAction.RETURN_EVIDENCE_REMOVED,
            target=evidence,
            after={"return": delivery_return.pk, "sha256": evidence.sha256},
        )
    return evidence
