"""Factories of the tenders app. The world builders give every test council a spend policy, a tender
policy, a tender (under its decided commission) with a lot, an evaluation model and a specification
(one section, version 1), and a clause in its library.

Rows are made directly (no audit events), so a test's audit trail holds only what the test did.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from commissioning.models import Commission, Role
from tenders.eligibility import SME, VCSE, Band
from tenders.models import (
    Clause,
    Criterion,
    Lot,
    SpecificationSection,
    SpecificationVersion,
    SpendPolicyBand,
    Tender,
    TenderPolicy,
)
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


class TenderFactory(factory.django.DjangoModelFactory):
    """A tender row as it is stored. Tests about behaviour use ``tenders.services.tender_create``."""

    class Meta:
        model = Tender

    title = factory.Sequence(lambda n: f"Tender {n}")
    description = "A community navigation service."
    estimated_value = Decimal("180000")
    council = factory.SelfAttribute("commission.council")
    created_by = factory.SelfAttribute("commission.created_by")


@world_builder
def tenders_world(world: CouncilWorld) -> None:
    """A draft tender under the council's decided commission, with a lot and an evaluation model.

    Built without the services, so a test council's audit trail still starts empty.
    """
    slug = world.council.slug
    commission = Commission.objects.get(council=world.council, title=f"{slug}-private-commission")
    tender = TenderFactory(
        commission=commission,
        created_by=world.people[Role.COMMISSIONER],
        title=f"{slug}-private-tender",
        description=f"{slug}-private-tender-description",
        weighting_rationale=f"{slug}-private-rationale: quality matters most to residents.",
    )
    Lot.objects.create(council=world.council, tender=tender, title=f"{slug}-private-lot", position=1)
    quality = Criterion.objects.create(
        council=world.council, tender=tender, kind="quality", title=f"{slug}-private-quality", weight=60, position=1
    )
    Criterion.objects.create(
        council=world.council,
        tender=tender,
        parent=quality,
        kind="quality",
        title=f"{slug}-private-method",
        weight=60,
        position=2,
    )
    Criterion.objects.create(council=world.council, tender=tender, kind="price", title="Price", weight=30, position=3)
    Criterion.objects.create(
        council=world.council, tender=tender, kind="social_value", title="Social value", weight=10, position=4
    )
    people = world.people[Role.COMMISSIONER]
    Clause.objects.create(
        council=world.council,
        title=f"{slug}-private-clause",
        body=f"<p>{slug}-private-clause-text: the service is located within the community.</p>",
        category="Community",
        created_by=people,
    )
    section = SpecificationSection.objects.create(
        council=world.council,
        tender=tender,
        position=1,
        title=f"{slug}-private-section",
        body=f"<p>{slug}-private-section-text about the service.</p>",
        updated_by=people,
    )
    SpecificationVersion.objects.create(
        council=world.council,
        tender=tender,
        number=1,
        sections=[{"title": section.title, "body": section.body}],
        note=f"{slug}-private-version-note",
        created_by=people,
    )
