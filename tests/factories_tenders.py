"""Factories of the tenders app. The world builder gives every test council a spend policy and a tender policy.

Rows are made directly (no audit events), so a test's audit trail holds only what the test did.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from tenders.eligibility import SME, VCSE, Band
from tenders.models import SpendPolicyBand, TenderPolicy
from tests.factories import CouncilWorld, world_builder

# Knowsley's shape: local below £5,000; local with VCSEs and SMEs welcome to £181,000; then open.
STANDARD_BANDS = (
    Band(lower=Decimal(0), upper=Decimal(5000), reserved_for_local=True, label="Low value"),
    Band(
        lower=Decimal(5000),
        upper=Decimal(181000),
        reserved_for_local=True,
        welcome=frozenset({VCSE, SME}),
        label="Intermediate value",
    ),
    Band(lower=Decimal(181000), label="Higher value"),
)


class TenderPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TenderPolicy

    minimum_social_value_weight = Decimal(10)
    standstill_days = 8


def make_bands(council, bands=STANDARD_BANDS, *, effective_from: date | None = None) -> list[SpendPolicyBand]:  # type: ignore[no-untyped-def]
    """Save a version of bands as they are (no validation, no audit): for building test worlds."""
    day = effective_from or timezone.localdate()
    return [
        SpendPolicyBand.objects.create(
            council=council, effective_from=day, position=n, **SpendPolicyBand.fields_from(band)
        )
        for n, band in enumerate(bands, start=1)
    ]


@world_builder
def spend_and_tender_policy(world: CouncilWorld) -> None:
    make_bands(world.council, effective_from=min(date(2026, 1, 1), timezone.localdate()))
    TenderPolicyFactory(council=world.council)
