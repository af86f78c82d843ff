"""Commissions, the outcomes framework and the options appraisal; and the test world's stage
``commissions``.

Build inside the council's scope. ``commission_in`` goes through the service, so the appraisal's
five options exist as they would in use.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import factory
from django.utils import timezone

from commissioning import services
from commissioning.models import AppraisalOption, Commission, Council, DeliveryOption, Indicator, Outcome, Role, User

if TYPE_CHECKING:
    from tests.factories.worlds import CouncilWorld


class OutcomeFactory(factory.django.DjangoModelFactory[Outcome]):
    class Meta:
        model = Outcome

    title = factory.Sequence(lambda n: f"Outcome {n}: people are connected to their community")
    description = "Residents know their neighbours and take part in local groups."
    position = factory.Sequence(lambda n: n)


class IndicatorFactory(factory.django.DjangoModelFactory[Indicator]):
    class Meta:
        model = Indicator

    outcome = factory.SubFactory(OutcomeFactory)
    council = factory.SelfAttribute("outcome.council")
    name = factory.Sequence(lambda n: f"Indicator {n}: residents who feel they belong")
    measure = "percentage of residents surveyed"


def commission_in(
    council: Council,
    *,
    by: User,
    title: str = "Community navigation service",
    annual: str = "60000",
    whole_life: str = "180000",
    outcomes: list[Outcome] | None = None,
    decision: str | None = None,
    reason: str = "Residents trust community organisations more than the council for this help.",
) -> Commission:
    commission = services.commission_create(
        council=council,
        actor=by,
        title=title,
        need="Help residents reach support located in their community.",
        estimated_annual_value=Decimal(annual),
        whole_life_value=Decimal(whole_life),
        outcomes=outcomes or [],
    )
    if decision:
        commission = services.commission_decide(commission=commission, actor=by, decision=decision, reason=reason)
    return commission


def appraisal_options_for(commission: Commission, notes: dict[str, str] | None = None) -> list[AppraisalOption]:
    """The five options a commission gets from commission_create, in-house first, without the audit."""
    return AppraisalOption.objects.bulk_create(
        AppraisalOption(
            council=commission.council,
            commission=commission,
            kind=kind,
            position=position,
            notes=(notes or {}).get(kind, ""),
        )
        for position, kind in enumerate(DeliveryOption.values)
    )


class CommissionFactory(factory.django.DjangoModelFactory[Commission]):
    """A commission row as it is stored. Tests about behaviour use ``commission_in`` (the service)."""

    class Meta:
        model = Commission
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Commission {n}")
    need = "Help residents reach support located in their community."
    estimated_annual_value = Decimal("60000")
    whole_life_value = Decimal("180000")

    @factory.post_generation
    def options(self, create: bool, extracted: dict[str, str] | None, **kwargs: object) -> None:
        if create:
            appraisal_options_for(self, extracted)


def decided_commission(world: CouncilWorld) -> None:
    """An outcome with an indicator, and a commission decided for a contract with its five options.

    Built without the services, so a test council's audit trail still starts empty.
    """
    slug = world.council.slug
    commissioner = world.people[Role.COMMISSIONER]
    outcome = world.outcome = OutcomeFactory(council=world.council, title=f"{slug}-private-outcome")
    IndicatorFactory(outcome=outcome, name=f"{slug}-private-indicator")
    commission = world.commission = CommissionFactory(
        council=world.council,
        created_by=commissioner,
        title=f"{slug}-private-commission",
        decision=DeliveryOption.CONTRACT,
        decision_reason=f"{slug}-private-reason: residents trust community organisations more.",
        decided_by=commissioner,
        decided_at=timezone.now(),
        options={DeliveryOption.IN_HOUSE: f"{slug}-private-notes"},
    )
    commission.outcomes.add(outcome, through_defaults={"council": world.council})
