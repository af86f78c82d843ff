"""Writes about commissions, the outcomes framework and the options appraisal.

Keyword-only, typed and atomic; each change writes one audit event in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.audit import audit_record
from commissioning.audit_labels import CoreAction
from commissioning.errors import Conflict
from commissioning.extensions import commission_dependants
from commissioning.models import (
    AppraisalOption,
    Commission,
    Council,
    DeliveryOption,
    Indicator,
    Outcome,
    User,
)
from commissioning.models.commissions import POSITION_MAX, decision_errors
from commissioning.services.changes import refuse_unknown_fields

PENNY = Decimal("0.01")
OUTCOME_FIELDS = ("title", "description", "position", "is_active")
COMMISSION_FIELDS = ("title", "need", "estimated_annual_value", "whole_life_value")
# What each kind of procurement needs the appraisal to have decided.
STARTS = {"contract": ("a tender", DeliveryOption.CONTRACT), "grant": ("a grant round", DeliveryOption.GRANT)}


# --- The outcomes framework ---------------------------------------------------------------------


def _outcome_snapshot(outcome: Outcome) -> dict[str, Any]:
    return {field: getattr(outcome, field) for field in OUTCOME_FIELDS}


def _check_outcome_title(*, council: Council, title: str, exclude_pk: int | None = None) -> None:
    clash = Outcome.objects.filter(council=council, title__iexact=title.strip())
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise Conflict({"title": f"The outcomes framework already has an outcome called “{title.strip()}”"})


@transaction.atomic
def outcome_create(
    *,
    council: Council,
    actor: User,
    title: str,
    description: str = "",
    position: int | None = None,
    is_active: bool = True,
) -> Outcome:
    """Add an outcome to the council's framework. Titles are unique within a council."""
    _check_outcome_title(council=council, title=title)
    if position is None:
        last = Outcome.objects.filter(council=council).order_by("-position").values_list("position", flat=True)
        position = min((last.first() or 0) + 1, POSITION_MAX)
    outcome = Outcome(
        council=council, title=title.strip(), description=description.strip(), position=position, is_active=is_active
    )
    outcome.full_clean()
    outcome.save()
    audit_record(
        council=council,
        actor=actor,
        action=CoreAction.OUTCOME_CREATED,
        target=outcome,
        after=_outcome_snapshot(outcome),
    )
    return outcome


@transaction.atomic
def outcome_update(*, outcome: Outcome, actor: User, **changes: Any) -> Outcome:
    """Change an outcome. Retiring one (inactive) keeps it on the commissions that chose it."""
    refuse_unknown_fields(changes, OUTCOME_FIELDS, what="outcome fields")
    if "title" in changes:
        _check_outcome_title(council=outcome.council, title=changes["title"], exclude_pk=outcome.pk)
        changes["title"] = changes["title"].strip()
    before = _outcome_snapshot(outcome)
    for field, value in changes.items():
        setattr(outcome, field, value)
    outcome.full_clean()
    outcome.save()
    after = _outcome_snapshot(outcome)
    if after != before:
        audit_record(
            council=outcome.council,
            actor=actor,
            action=CoreAction.OUTCOME_UPDATED,
            target=outcome,
            before=before,
            after=after,
        )
    return outcome


@transaction.atomic
def indicator_create(*, outcome: Outcome, actor: User, name: str, measure: str) -> Indicator:
    """Add an indicator to an outcome: how the council will know the outcome is achieved."""
    name = name.strip()
    if Indicator.objects.filter(outcome=outcome, name__iexact=name).exists():
        raise Conflict({"name": f"This outcome already has an indicator called “{name}”"})
    indicator = Indicator(council=outcome.council, outcome=outcome, name=name, measure=measure.strip())
    indicator.full_clean()
    indicator.save()
    audit_record(
        council=outcome.council,
        actor=actor,
        action=CoreAction.INDICATOR_CREATED,
        target=indicator,
        after={"outcome": outcome.title, "name": indicator.name, "measure": indicator.measure},
    )
    return indicator


# --- Commissions ----------------------------------------------------------------------------------


def _council_outcomes(*, council: Council, outcomes: Iterable[Outcome | int]) -> list[Outcome]:
    """The outcomes, which must be active outcomes of this council's own framework."""
    wanted = {o.pk if isinstance(o, Outcome) else int(o) for o in outcomes}
    found = list(Outcome.objects.filter(council=council, pk__in=wanted, is_active=True).order_by("position", "title"))
    if len(found) != len(wanted):
        raise ValidationError({"outcomes": "Choose outcomes from the council's outcomes framework"})
    return found


def _commission_snapshot(commission: Commission) -> dict[str, Any]:
    snapshot: dict[str, Any] = {field: getattr(commission, field) for field in COMMISSION_FIELDS}
    for field in ("estimated_annual_value", "whole_life_value"):
        # Pence always, so 60000 typed and 60000.00 read back are the same amount in the trail.
        snapshot[field] = str(Decimal(snapshot[field]).quantize(PENNY))
    snapshot["outcomes"] = sorted(o.title for o in commission.outcomes.all())
    return snapshot


def _set_outcomes(commission: Commission, outcomes: list[Outcome]) -> None:
    commission.outcomes.set(outcomes, through_defaults={"council": commission.council})


@transaction.atomic
def commission_create(
    *,
    council: Council,
    actor: User,
    title: str,
    need: str,
    estimated_annual_value: Decimal,
    whole_life_value: Decimal,
    outcomes: Iterable[Outcome | int] = (),
) -> Commission:
    """Open a commission with its options appraisal: one option of each kind, in-house first.

    In-house delivery is the council's default: the appraisal starts from it, and choosing any
    other option later needs a reason saying why not in-house.
    """
    chosen = _council_outcomes(council=council, outcomes=outcomes)
    commission = Commission(
        council=council,
        created_by=actor,
        title=title.strip(),
        need=need.strip(),
        estimated_annual_value=estimated_annual_value,
        whole_life_value=whole_life_value,
    )
    # clean() names the field for the whole-life rule; the database constraint backs it up.
    commission.full_clean(validate_constraints=False)
    commission.save()
    _set_outcomes(commission, chosen)
    AppraisalOption.objects.bulk_create(
        AppraisalOption(council=council, commission=commission, kind=kind, position=position)
        for position, kind in enumerate(DeliveryOption.values)
    )
    audit_record(
        council=council,
        actor=actor,
        action=CoreAction.COMMISSION_CREATED,
        target=commission,
        after=_commission_snapshot(commission),
    )
    return commission


@transaction.atomic
def commission_update(*, commission: Commission, actor: User, **changes: Any) -> Commission:
    """Change a commission's title, need, outcomes or values. The decision has its own service."""
    refuse_unknown_fields(changes, {*COMMISSION_FIELDS, "outcomes"}, what="commission fields")
    before = _commission_snapshot(commission)
    outcomes = changes.pop("outcomes", None)
    chosen = _council_outcomes(council=commission.council, outcomes=outcomes) if outcomes is not None else None
    for field, value in changes.items():
        setattr(commission, field, value.strip() if isinstance(value, str) else value)
    commission.full_clean(validate_constraints=False)
    commission.save()
    if chosen is not None:
        _set_outcomes(commission, chosen)
    after = _commission_snapshot(commission)
    if after != before:
        changed = sorted(k for k in after if after[k] != before[k])
        audit_record(
            council=commission.council,
            actor=actor,
            action=CoreAction.COMMISSION_UPDATED,
            target=commission,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return commission


@transaction.atomic
def appraisal_option_update(*, option: AppraisalOption, actor: User, notes: str) -> AppraisalOption:
    """Record the commissioner's notes on one option of the appraisal."""
    notes = notes.strip()
    if notes == option.notes:
        return option
    before = {"kind": option.kind, "notes": option.notes}
    option.notes = notes
    option.save(update_fields=["notes", "updated_at"])
    audit_record(
        council=option.council,
        actor=actor,
        action=CoreAction.APPRAISAL_OPTION_UPDATED,
        target=option,
        before=before,
        after={"kind": option.kind, "notes": notes},
    )
    return option


def _decision_snapshot(commission: Commission) -> dict[str, Any]:
    return {
        "decision": commission.decision,
        "decision_reason": commission.decision_reason,
        "decided_by": commission.decided_by.email if commission.decided_by else None,
        "decided_at": commission.decided_at,
    }


@transaction.atomic
def commission_decide(*, commission: Commission, actor: User, decision: str, reason: str) -> Commission:
    """Record the options appraisal decision and its reason.

    In-house delivery is the default: any other decision must explain, in at least a sentence,
    why the service should not be delivered in-house. A decision may be revisited; the audit trail
    keeps every earlier one, but a commission with work started under its decision (a tender under
    a contract: the apps register it, ``commissioning.extensions``) cannot move away from it.
    """
    errors = decision_errors(decision, reason)
    if errors:
        raise ValidationError(errors)
    commission = Commission.objects.select_for_update(of=("self",)).select_related("decided_by").get(pk=commission.pk)
    for dependants in commission_dependants():
        moving_away = commission.decision == dependants.decision and decision != dependants.decision
        if moving_away and dependants.exists(commission):
            raise ValidationError({"decision": dependants.refusal}, code=dependants.code)
    before = _decision_snapshot(commission)
    commission.decision = decision
    commission.decision_reason = reason.strip()
    commission.decided_by = actor
    commission.decided_at = timezone.now()
    commission.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at", "updated_at"])
    audit_record(
        council=commission.council,
        actor=actor,
        action=CoreAction.COMMISSION_DECIDED,
        target=commission,
        before=before,
        after=_decision_snapshot(commission),
    )
    return commission


def commission_may_start(*, commission: Commission, kind: str) -> tuple[bool, str]:
    """May a tender (``kind="contract"``) or a grant round (``kind="grant"``) start under this commission?

    Only when the options appraisal decided on that route. Returns (allowed, a reason for people).
    """
    if kind not in STARTS:
        raise ValueError(f"kind must be one of {', '.join(STARTS)}, not {kind!r}")
    what, needed = STARTS[kind]
    if commission.decision is None:
        return False, "Record the options appraisal decision first"
    if commission.decision != needed:
        decided = DeliveryOption(commission.decision).label.lower()
        return False, f"This commission's decision is {decided}: {what} needs the decision '{needed.value}'"
    return True, f"The options appraisal decided on a {needed.label.lower()}: you can now create {what}"


__all__ = [
    "outcome_create",
    "outcome_update",
    "indicator_create",
    "commission_create",
    "commission_update",
    "appraisal_option_update",
    "commission_decide",
    "commission_may_start",
]
