"""Writes of the tenders app: the local spend policy, the tender policy, tenders, lots and evaluation models.

Keyword-only, typed and atomic; each consequential change writes one audit event in the same
transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.audit import audit_record
from commissioning.models import Commission, Council, User
from commissioning.services import commission_may_start
from tenders import eligibility, weights
from tenders.models import (
    SCALE_MAXIMUM,
    Criterion,
    CriterionKind,
    Lot,
    Procedure,
    Scale,
    SpendPolicyBand,
    Tender,
    TenderPolicy,
)
from tenders.selectors import spend_bands_in_force, tender_policy


def _band_snapshot(band: eligibility.Band) -> dict[str, Any]:
    return {
        "label": band.label,
        "lower_bound": band.lower,
        "upper_bound": band.upper,
        "currency": band.currency,
        "reserved_for_local": band.reserved_for_local,
        "reserved_for": sorted(band.reserved_for),
        "welcome": sorted(band.welcome),
    }


@transaction.atomic
def spend_policy_replace(
    *,
    council: Council,
    actor: User | None,
    bands: Sequence[eligibility.Band],
    effective_from: date,
    today: date | None = None,
) -> list[SpendPolicyBand]:
    """Council admins set the value bands of the local spend policy, taking effect on ``effective_from``.

    The bands must cover every value from £0 without gaps or overlaps (``eligibility.validate_bands``).
    A new version never changes the past: the date is today or later, because tenders already
    advertised were judged by the bands then in force. A version with the same date is replaced.
    """
    today = today or timezone.localdate()
    if effective_from < today:
        raise ValidationError(
            {"effective_from": "The date the bands take effect must be today or in the future"}, code="past"
        )
    messages = eligibility.validate_bands(bands)
    if messages:
        raise ValidationError(messages, code="invalid_bands")
    before = [b.as_band() for b in spend_bands_in_force(council=council, on=effective_from)]
    SpendPolicyBand.objects.filter(council=council, effective_from=effective_from).delete()
    created = [
        SpendPolicyBand.objects.create(
            council=council,
            effective_from=effective_from,
            position=position,
            created_by=actor if actor and actor.is_authenticated else None,
            **SpendPolicyBand.fields_from(band),
        )
        for position, band in enumerate(bands, start=1)
    ]
    audit_record(
        council=council,
        actor=actor,
        action="spend_policy.replaced",
        target=council,
        before={"bands": [_band_snapshot(b) for b in before]} if before else None,
        after={"effective_from": effective_from, "bands": [_band_snapshot(b) for b in bands]},
    )
    return created


def _policy_snapshot(policy: TenderPolicy) -> dict[str, Any]:
    return {
        "minimum_social_value_weight": policy.minimum_social_value_weight,
        "standstill_days": policy.standstill_days,
    }


@transaction.atomic
def tender_policy_update(
    *, council: Council, actor: User, minimum_social_value_weight: Decimal, standstill_days: int
) -> TenderPolicy:
    """Council admins set the minimum social value weight of every evaluation model and the standstill length.

    The standstill is at least 8 working days (Procurement Act 2023, section 51); the minimum
    social value weight is a percentage (the council's social value policy, 10% by default).
    """
    policy = TenderPolicy.objects.select_for_update().filter(council=council).first() or TenderPolicy(council=council)
    before = _policy_snapshot(policy) if policy.pk else None
    policy.minimum_social_value_weight = minimum_social_value_weight
    policy.standstill_days = standstill_days
    policy.full_clean()
    policy.save()
    after = _policy_snapshot(policy)
    if after != before:
        audit_record(
            council=council, actor=actor, action="tender_policy.changed", target=policy, before=before, after=after
        )
    return policy


# --- Tenders ------------------------------------------------------------------------------------

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


def _changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = sorted(k for k in after if after[k] != before.get(k))
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _clean_tender(tender: Tender) -> None:
    """Model validation, with the timetable rule next to the field it is about (the constraint backs it up)."""
    tender.full_clean(validate_constraints=False)
    clarification, submission = tender.clarification_deadline, tender.submission_deadline
    if clarification is not None and submission is not None and clarification >= submission:
        raise ValidationError(
            {"clarification_deadline": "The clarification deadline must be before the submission deadline"}
        )


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
        action="tender.created",
        target=tender,
        after={"commission": commission.title, **_tender_snapshot(tender)},
    )
    return tender


@transaction.atomic
def tender_update(*, tender: Tender, actor: User, **changes: Any) -> Tender:
    """Change a tender's details or timetable (deadlines are aware datetimes)."""
    unknown = set(changes) - set(TENDER_FIELDS)
    if unknown:
        raise ValueError(f"Not tender fields: {', '.join(sorted(unknown))}")
    tender = Tender.objects.select_for_update(of=("self",)).get(pk=tender.pk)
    before = _tender_snapshot(tender)
    for field, value in changes.items():
        setattr(tender, field, value.strip() if isinstance(value, str) else value)
    _clean_tender(tender)
    tender.save()
    old, new = _changed(before, _tender_snapshot(tender))
    if new:
        audit_record(council=tender.council, actor=actor, action="tender.updated", target=tender, before=old, after=new)
    return tender


def _lot_snapshot(lot: Lot) -> dict[str, Any]:
    return {field: getattr(lot, field) for field in LOT_FIELDS}


@transaction.atomic
def lot_add(
    *, tender: Tender, actor: User, title: str, description: str = "", estimated_value: Decimal | None = None
) -> Lot:
    """Add a lot at the end of the tender's lots."""
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
        action="lot.added",
        target=lot,
        after={"tender": tender.title, **_lot_snapshot(lot)},
    )
    return lot


@transaction.atomic
def lot_update(*, lot: Lot, actor: User, **changes: Any) -> Lot:
    unknown = set(changes) - set(LOT_FIELDS)
    if unknown:
        raise ValueError(f"Not lot fields: {', '.join(sorted(unknown))}")
    before = _lot_snapshot(lot)
    for field, value in changes.items():
        setattr(lot, field, value.strip() if isinstance(value, str) else value)
    lot.full_clean()
    lot.save()
    old, new = _changed(before, _lot_snapshot(lot))
    if new:
        audit_record(council=lot.council, actor=actor, action="lot.updated", target=lot, before=old, after=new)
    return lot


@transaction.atomic
def lot_remove(*, lot: Lot, actor: User) -> None:
    audit_record(
        council=lot.council,
        actor=actor,
        action="lot.removed",
        target=lot,
        before={"tender": lot.tender.title, **_lot_snapshot(lot)},
    )
    lot.delete()


# --- The evaluation model -------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionSpec:
    """One criterion of an evaluation model to save, with its parts. ``weight`` is a share of the whole score."""

    title: str
    kind: str
    weight: Decimal
    guidance: str = ""
    scale: str = Scale.ZERO_TO_FIVE
    minimum_score: Decimal | None = None
    parts: tuple[CriterionSpec, ...] = ()


def _weights_tree(specs: Sequence[CriterionSpec]) -> list[weights.Criterion]:
    return [
        weights.Criterion(
            name=spec.title.strip(),
            kind=weights.Kind(spec.kind),
            weight=spec.weight,
            children=tuple(_weights_tree(spec.parts)),
        )
        for spec in specs
    ]


def _walk_specs(specs: Sequence[CriterionSpec]) -> list[CriterionSpec]:
    found: list[CriterionSpec] = []
    for spec in specs:
        found.append(spec)
        found.extend(_walk_specs(spec.parts))
    return found


def evaluation_model_problems(*, specs: Sequence[CriterionSpec], minimum_social_value: Decimal) -> list[str]:
    """What is wrong with an evaluation model, as messages for people: weights first, then scores."""
    for spec in _walk_specs(specs):
        if spec.kind not in CriterionKind.values:
            raise ValueError(f"Not a kind of criterion: {spec.kind!r}")
        if spec.scale not in Scale.values:
            raise ValueError(f"Not a scale: {spec.scale!r}")
    messages = weights.validate_weights(_weights_tree(specs), minimum_social_value)
    for spec in _walk_specs(specs):
        top = SCALE_MAXIMUM[Scale(spec.scale)]
        if spec.minimum_score is not None and not (0 <= spec.minimum_score <= top):
            messages.append(
                f"“{spec.title.strip()}”: the minimum pass score must be between 0 and {top}, the top of its scale"
            )
    return messages


def _criteria_snapshot(criteria: Sequence[Criterion]) -> list[dict[str, Any]]:
    titles = {c.pk: c.title for c in criteria}
    return [
        {
            "title": c.title,
            "kind": c.kind,
            "weight": c.weight,
            "part_of": titles.get(c.parent_id),
            "scale": c.scale,
            "minimum_score": c.minimum_score,
            "guidance": c.guidance,
        }
        for c in criteria
    ]


@transaction.atomic
def criteria_replace(
    *, tender: Tender, actor: User, criteria: Sequence[CriterionSpec], rationale: str
) -> list[Criterion]:
    """Replace the tender's evaluation model: its criteria (a tree) and the written rationale for the weighting.

    The weights are checked by ``tenders.weights.validate_weights`` against the council's minimum
    social value weight; every problem comes back at once in a ValidationError of messages for people.
    """
    tender = Tender.objects.select_for_update(of=("self",)).get(pk=tender.pk)
    if tender.published_at is not None:
        raise ValidationError("The evaluation model is locked because the tender is published", code="locked")
    errors: dict[str, list[str]] = {}
    minimum = tender_policy(council=tender.council).minimum_social_value_weight
    problems = evaluation_model_problems(specs=criteria, minimum_social_value=minimum)
    if problems:
        errors["__all__"] = problems
    if not rationale.strip():
        errors["weighting_rationale"] = ["Explain why the criteria have these weights"]
    if errors:
        raise ValidationError(errors, code="invalid_model")
    before = _criteria_snapshot(list(Criterion.objects.filter(tender=tender).order_by("position", "pk")))
    before_rationale = tender.weighting_rationale
    Criterion.objects.filter(tender=tender).delete()
    created: list[Criterion] = []
    position = 0

    def save(specs: Sequence[CriterionSpec], parent: Criterion | None) -> None:
        nonlocal position
        for spec in specs:
            position += 1
            criterion = Criterion.objects.create(
                council=tender.council,
                tender=tender,
                parent=parent,
                kind=spec.kind,
                title=spec.title.strip(),
                weight=spec.weight,
                guidance=spec.guidance.strip(),
                scale=spec.scale,
                minimum_score=spec.minimum_score,
                position=position,
            )
            created.append(criterion)
            save(spec.parts, criterion)

    save(criteria, None)
    tender.weighting_rationale = rationale.strip()
    tender.save(update_fields=["weighting_rationale", "updated_at"])
    audit_record(
        council=tender.council,
        actor=actor,
        action="tender.evaluation_model_replaced",
        target=tender,
        before={"criteria": before, "rationale": before_rationale},
        after={"criteria": _criteria_snapshot(created), "rationale": tender.weighting_rationale},
    )
    return created
