"""Writes of a tender before publication: its details, its timetable and its lots.

Keyword-only, typed and atomic; each consequential change writes one audit event in the same
transaction.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from commissioning.audit import audit_record
from commissioning.models import Commission, User
from commissioning.services import commission_may_start
from commissioning.services.changes import refuse_unknown_fields
from tenders.audit_labels import TenderAction
from tenders.models import Lot, Procedure, Tender
from tenders.selectors import tender_policy

__all__ = [
    "TENDER_FIELDS",
    "LOT_FIELDS",
    "tender_create",
    "tender_update",
    "lot_add",
    "lot_update",
    "lot_remove",
    "PUBLISHED_REFUSAL",
]


TENDER_FIELDS = (
    "title",
    "description",
    "estimated_value",
    "procedure",
    "clarification_deadline",
    "submission_deadline",
    "planned_award_date",
    "standstill_days",
)
LOT_FIELDS = ("title", "description", "estimated_value")


def _tender_snapshot(tender: Tender) -> dict[str, Any]:
    return {field: getattr(tender, field) for field in TENDER_FIELDS}


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields whose values differ, as (before, after): what an audit event of a change records."""
    keys = sorted(k for k in after if after[k] != before.get(k))
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _clean_tender(tender: Tender) -> None:
    """Model validation, with the timetable rule next to the field it is about (the constraint backs it up)."""
    tender.full_clean(validate_constraints=False)
    problems = tender.timetable_problems()
    if problems:
        raise ValidationError({problem.field: problem.message for problem in problems})


@transaction.atomic
def tender_create(
    *,
    commission: Commission,
    actor: User,
    title: str,
    description: str = "",
    estimated_value: Decimal | None = None,
    procedure: str = Procedure.OPEN,
    standstill_days: int | None = None,
) -> Tender:
    """Start a tender under a commission whose options appraisal decided on a contract.

    Refused, with the reason ``commission_may_start`` gives, under any other decision. The value
    defaults to the commission's whole-life value and the standstill to the council's tender policy.
    """
    # Locked, so the decision cannot change from contract while the tender is being created.
    commission = Commission.objects.select_for_update(of=("self",)).get(pk=commission.pk)
    allowed, reason = commission_may_start(commission=commission, kind="contract")
    if not allowed:
        raise ValidationError(reason, code="not_allowed")
    council = commission.council
    tender = Tender(
        council=council,
        commission=commission,
        created_by=actor,
        title=title.strip(),
        description=description.strip(),
        estimated_value=estimated_value if estimated_value is not None else commission.whole_life_value,
        procedure=procedure,
        standstill_days=standstill_days or tender_policy(council=council).standstill_days,
    )
    _clean_tender(tender)
    tender.save()
    audit_record(
        council=council,
        actor=actor,
        action=TenderAction.TENDER_CREATED,
        target=tender,
        after={"commission": commission.title, **_tender_snapshot(tender)},
    )
    return tender


@transaction.atomic
def tender_update(*, tender: Tender, actor: User, **changes: Any) -> Tender:
    """Change a tender's details or timetable (deadlines are aware datetimes)."""
    refuse_unknown_fields(changes, TENDER_FIELDS, what="tender fields")
    tender = _unpublished_tender(tender)
    before = _tender_snapshot(tender)
    for field, value in changes.items():
        setattr(tender, field, value.strip() if isinstance(value, str) else value)
    _clean_tender(tender)
    tender.save()
    old, new = changed_fields(before, _tender_snapshot(tender))
    if new:
        audit_record(
            council=tender.council,
            actor=actor,
            action=TenderAction.TENDER_UPDATED,
            target=tender,
            before=old,
            after=new,
        )
    return tender


def _unpublished_tender(tender: Tender) -> Tender:
    """Lock the tender; refuse if it is published: bidders rely on the published version, so a
    change is published as a new version with a reason (``tenders.services.publication``)."""
    tender = Tender.objects.select_for_update(of=("self",)).get(pk=tender.pk)
    if tender.published_at is not None:
        raise ValidationError(PUBLISHED_REFUSAL, code="published")
    return tender


PUBLISHED_REFUSAL = "The tender is published: publish a change with a reason instead, so bidders are told"


def _lot_snapshot(lot: Lot) -> dict[str, Any]:
    return {field: getattr(lot, field) for field in LOT_FIELDS}


@transaction.atomic
def lot_add(
    *, tender: Tender, actor: User, title: str, description: str = "", estimated_value: Decimal | None = None
) -> Lot:
    """Add a lot at the end of the tender's lots."""
    tender = _unpublished_tender(tender)
    last = Lot.objects.filter(tender=tender).order_by("-position").values_list("position", flat=True).first()
    lot = Lot(
        council=tender.council,
        tender=tender,
        title=title.strip(),
        description=description.strip(),
        estimated_value=estimated_value,
        position=(last or 0) + 1,
    )
    lot.full_clean()
    lot.save()
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.LOT_ADDED,
        target=lot,
        after={"tender": tender.title, **_lot_snapshot(lot)},
    )
    return lot


@transaction.atomic
def lot_update(*, lot: Lot, actor: User, **changes: Any) -> Lot:
    refuse_unknown_fields(changes, LOT_FIELDS, what="lot fields")
    _unpublished_tender(lot.tender)
    before = _lot_snapshot(lot)
    for field, value in changes.items():
        setattr(lot, field, value.strip() if isinstance(value, str) else value)
    lot.full_clean()
    lot.save()
    old, new = changed_fields(before, _lot_snapshot(lot))
    if new:
        audit_record(
            council=lot.council, actor=actor, action=TenderAction.LOT_UPDATED, target=lot, before=old, after=new
        )
    return lot


@transaction.atomic
def lot_remove(*, lot: Lot, actor: User) -> None:
    _unpublished_tender(lot.tender)
    audit_record(
        council=lot.council,
        actor=actor,
        action=TenderAction.LOT_REMOVED,
        target=lot,
        before={"tender": lot.tender.title, **_lot_snapshot(lot)},
    )
    lot.delete()
