"""Tenders as drafted: the spend and tender policy, the tender with its lots, evaluation model and
specification, and the clause library; and the test world's stages ``policies`` and ``draft_tender``.

Rows are made directly (no audit events), so a test's audit trail holds only what the test did.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import factory
from django.utils import timezone

from commissioning.models import Council, Role
from social_value.models import FrameworkOutcome
from tenders.demo import knowsley
from tenders.demo.policies import DEMO_EFFECTIVE_FROM
from tenders.eligibility import Band
from tenders.models import (
    Clause,
    Criterion,
    CriterionFrameworkOutcome,
    Lot,
    SpecificationSection,
    SpecificationVersion,
    SpendPolicyBand,
    Tender,
    TenderPolicy,
)

if TYPE_CHECKING:
    from tests.factories.worlds import CouncilWorld

# Knowsley's shape (the demo's too): local below £5,000; local with VCSEs and SMEs welcome to
# £181,000; then open.
STANDARD_BANDS = knowsley.SPEND_BANDS


class TenderPolicyFactory(factory.django.DjangoModelFactory[TenderPolicy]):
    class Meta:
        model = TenderPolicy

    minimum_social_value_weight = Decimal(10)
    standstill_days = 8


def make_bands(
    council: Council, bands: tuple[Band, ...] = STANDARD_BANDS, *, effective_from: date | None = None
) -> list[SpendPolicyBand]:
    """Save a version of bands as they are (no validation, no audit): for building test worlds."""
    day = effective_from or timezone.localdate()
    return [
        SpendPolicyBand.objects.create(
            council=council, effective_from=day, position=n, **SpendPolicyBand.fields_from(band)
        )
        for n, band in enumerate(bands, start=1)
    ]


class TenderFactory(factory.django.DjangoModelFactory[Tender]):
    """A tender row as it is stored. Tests about behaviour use ``tenders.services.tender_create``."""

    class Meta:
        model = Tender

    title = factory.Sequence(lambda n: f"Tender {n}")
    description = "A community navigation service."
    estimated_value = Decimal("180000")
    council = factory.SelfAttribute("commission.council")
    created_by = factory.SelfAttribute("commission.created_by")


class LotFactory(factory.django.DjangoModelFactory[Lot]):
    class Meta:
        model = Lot

    council = factory.SelfAttribute("tender.council")
    title = factory.Sequence(lambda n: f"Lot {n}")


class CriterionFactory(factory.django.DjangoModelFactory[Criterion]):
    class Meta:
        model = Criterion

    council = factory.SelfAttribute("tender.council")
    kind = "quality"
    title = factory.Sequence(lambda n: f"Question {n}")
    weight = 10
    position = factory.Sequence(lambda n: n + 1)


class ClauseFactory(factory.django.DjangoModelFactory[Clause]):
    class Meta:
        model = Clause

    title = factory.Sequence(lambda n: f"Clause {n}")
    body = "<p>The service is located within the community.</p>"


class SpecificationSectionFactory(factory.django.DjangoModelFactory[SpecificationSection]):
    class Meta:
        model = SpecificationSection

    council = factory.SelfAttribute("tender.council")
    title = factory.Sequence(lambda n: f"Section {n}")
    body = "<p>The service.</p>"


class SpecificationVersionFactory(factory.django.DjangoModelFactory[SpecificationVersion]):
    class Meta:
        model = SpecificationVersion

    council = factory.SelfAttribute("tender.council")
    number = 1


def policies(world: CouncilWorld) -> None:
    """Knowsley's spend bands, in force since the demo's date (or today, on a clock set earlier), and
    a tender policy."""
    make_bands(world.council, effective_from=min(DEMO_EFFECTIVE_FROM, timezone.localdate()))
    TenderPolicyFactory(council=world.council)


def draft_tender(world: CouncilWorld) -> None:
    """A draft tender under the decided commission, with a lot, an evaluation model and a
    specification (one section, version 1); and a clause in the council's library."""
    assert world.commission is not None, "the draft tender needs the stage 'commissions'"
    slug, council = world.council.slug, world.council
    commissioner = world.people[Role.COMMISSIONER]
    tender = world.draft = TenderFactory(
        commission=world.commission,
        created_by=commissioner,
        title=f"{slug}-private-tender",
        description=f"{slug}-private-tender-description",
        weighting_rationale=f"{slug}-private-rationale: quality matters most to residents.",
    )
    LotFactory(tender=tender, title=f"{slug}-private-lot", position=1)
    quality = CriterionFactory(tender=tender, kind="quality", title=f"{slug}-private-quality", weight=60, position=1)
    CriterionFactory(
        tender=tender, parent=quality, kind="quality", title=f"{slug}-private-method", weight=60, position=2
    )
    CriterionFactory(tender=tender, kind="price", title="Price", weight=30, position=3)
    social_value = CriterionFactory(tender=tender, kind="social_value", title="Social value", weight=10, position=4)
    # It asks about the world's social value framework outcome (stage social_value_framework): a
    # draft, so the framework's private names stay unpublished.
    outcome = FrameworkOutcome.objects.filter(council=council, title=f"{slug}-private-sv-outcome").first()
    if outcome is not None:
        CriterionFrameworkOutcome.objects.create(council=council, criterion=social_value, outcome=outcome)
    ClauseFactory(
        council=council,
        title=f"{slug}-private-clause",
        body=f"<p>{slug}-private-clause-text: the service is located within the community.</p>",
        category="Community",
        created_by=commissioner,
    )
    section = world.draft_section = SpecificationSectionFactory(
        tender=tender,
        position=1,
        title=f"{slug}-private-section",
        body=f"<p>{slug}-private-section-text about the service.</p>",
        updated_by=commissioner,
    )
    SpecificationVersionFactory(
        tender=tender,
        number=1,
        sections=[{"title": section.title, "body": section.body}],
        note=f"{slug}-private-version-note",
        created_by=commissioner,
    )
