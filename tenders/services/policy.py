"""Writes of the council's policies for tenders: the local spend policy (value bands) and the tender policy
(minimum social value weight, standstill).

Keyword-only, typed and atomic; each consequential change writes one audit event in the same
transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.audit import audit_record
from commissioning.models import Council, User
from tenders import eligibility
from tenders.audit_labels import TenderAction
from tenders.models import SpendPolicyBand, TenderPolicy
from tenders.selectors import spend_bands_in_force, threshold

__all__ = [
    "RESERVATION_THRESHOLD",
    "spend_policy_replace",
    "tender_policy_update",
]


# Councils may reserve contracts only below this threshold (Procurement Act 2023; data, not code).
RESERVATION_THRESHOLD = "sub-central-goods-services"


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
    ceiling = threshold(key=RESERVATION_THRESHOLD, on=effective_from)
    if ceiling is not None:
        messages += eligibility.reservation_problems(bands, ceiling=ceiling.amount, ceiling_name=ceiling.name.lower())
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
        action=TenderAction.SPEND_POLICY_REPLACED,
        target=council,
        before={"bands": [_band_snapshot(b) for b in before]} if before else None,
        after={"effective_from": effective_from, "bands": [_band_snapshot(b) for b in bands]},
    )
    return created


def _policy_snapshot(policy: TenderPolicy) -> dict[str, Any]:
    return {
        "minimum_social_value_weight": policy.minimum_social_value_weight,
        "standstill_days": policy.standstill_days,
        "minimum_evaluators": policy.minimum_evaluators,
        "justification_minimum_length": policy.justification_minimum_length,
        "moderation_spread_percent": policy.moderation_spread_percent,
        "abnormally_low_percent": policy.abnormally_low_percent,
    }


@transaction.atomic
def tender_policy_update(
    *,
    council: Council,
    actor: User,
    minimum_social_value_weight: Decimal,
    standstill_days: int,
    # Evaluation (moderation and prices); None keeps the setting as it is.
    minimum_evaluators: int | None = None,
    justification_minimum_length: int | None = None,
    moderation_spread_percent: Decimal | None = None,
    abnormally_low_percent: Decimal | None = None,
) -> TenderPolicy:
    """Council admins set the minimum social value weight of every evaluation model and the standstill length.

    The standstill is at least 8 working days (Procurement Act 2023, section 51); the minimum
    social value weight is a percentage (the council's social value policy, 10% by default).
    For evaluation: how many evaluators score each criterion at least, the shortest written
    justification of a score, how far apart scores are highlighted in moderation (a share of the
    scale), and below what share of the median (or estimate) a price is flagged as abnormally low.
    """
    policy = TenderPolicy.objects.select_for_update().filter(council=council).first() or TenderPolicy(council=council)
    before = _policy_snapshot(policy) if policy.pk else None
    policy.minimum_social_value_weight = minimum_social_value_weight
    policy.standstill_days = standstill_days
    for name, value in (
        ("minimum_evaluators", minimum_evaluators),
        ("justification_minimum_length", justification_minimum_length),
        ("moderation_spread_percent", moderation_spread_percent),
        ("abnormally_low_percent", abnormally_low_percent),
    ):
        if value is not None:
            setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    after = _policy_snapshot(policy)
    if after != before:
        audit_record(
            council=council,
            actor=actor,
            action=TenderAction.TENDER_POLICY_CHANGED,
            target=policy,
            before=before,
            after=after,
        )
    return policy
