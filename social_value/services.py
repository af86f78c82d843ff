"""Writes of the social value ledger: the KPIs an agreement (a contract, later a grant award) is held to.

This app imports only the core: tenders and grants call it with plain data (the winning bid's
commitments as the provider typed them), never with their own models.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from commissioning.models import Council
from social_value.models import AgreementKind, SocialValueKPI

__all__ = ["kpis_from_commitments"]

MEASURE_MAX_LENGTH = SocialValueKPI._meta.get_field("measure").max_length or 300
UNIT_MAX_LENGTH = SocialValueKPI._meta.get_field("unit").max_length or 100
# The target column holds 12 digits before the point.
TARGET_LIMIT = Decimal(10) ** 12


def _text(value: Any) -> str:
    return str(value if value is not None else "").strip()


def _quantity(text: str) -> Decimal | None:
    """The committed quantity as a number ("1,200" reads as 1200), or None when it is not one."""
    try:
        number = Decimal(text.replace(",", "").replace("£", ""))
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0 or number >= TARGET_LIMIT:
        return None
    return number.quantize(Decimal("0.01"))


def _due_by(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _truthy(value: Any) -> bool:
    return value is True or _text(value).lower() in {"true", "yes", "1", "on"}


@transaction.atomic
def kpis_from_commitments(
    *, council: Council, agreement_kind: str, agreement_id: int, commitments: Iterable[Mapping[str, Any]]
) -> list[SocialValueKPI]:
    """Turn the winning commitments into the agreement's social value KPIs, one per commitment, in order.

    The rule (issue 11, "From award to delivery"): what the provider committed to is what it is held
    to, so the measure, unit and quantity are kept as committed. A quantity that is not a number
    cannot be a target: it is kept as target 0 with the committed words in the notes, so nothing
    committed is lost and the officer sees what to agree. A commitment without a measure is skipped.
    Called once per agreement: KPIs already recorded for it are refused, never doubled.
    """
    if agreement_kind not in AgreementKind.values:
        raise ValidationError({"agreement_kind": f"Unknown agreement kind {agreement_kind!r}"})
    if SocialValueKPI.objects.filter(
        council=council, agreement_kind=agreement_kind, agreement_id=agreement_id
    ).exists():
        raise ValidationError("This agreement already has its social value KPIs")
    rows: list[SocialValueKPI] = []
    for commitment in commitments:
        measure = _text(commitment.get("measure"))
        if not measure:
            continue
        quantity_text = _text(commitment.get("quantity"))
        by_text = _text(commitment.get("by"))
        quantity, due_by = _quantity(quantity_text), _due_by(by_text)
        notes = []
        if quantity is None:
            notes.append(f"Committed quantity, not a number: {quantity_text or '(none)'}")
        if by_text and due_by is None:
            notes.append(f"Committed by: {by_text}")
        rows.append(
            SocialValueKPI(
                council=council,
                agreement_kind=agreement_kind,
                agreement_id=agreement_id,
                position=len(rows) + 1,
                measure=measure[:MEASURE_MAX_LENGTH],
                unit=_text(commitment.get("unit"))[:UNIT_MAX_LENGTH],
                target=quantity if quantity is not None else Decimal(0),
                due_by=due_by,
                local=_truthy(commitment.get("local")),
                notes="\n".join(notes),
            )
        )
    return SocialValueKPI.objects.bulk_create(rows)
