"""The social value framework, and the test world's stage ``social_value_framework``.

Built without the services (so a test council's audit trail still starts empty), inside the
council's scope. ``framework_rows`` makes a framework of any size, for query-count tests.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.utils import timezone

from commissioning.models import Council, Organisation, Role
from social_value.models import (
    Agreement,
    DeliveryReturn,
    FrameworkOutcome,
    FrameworkVersion,
    FrameworkVersionEntry,
    Measure,
    MeasureContribution,
    MeasureVersion,
    ReminderKind,
    ReturnEvent,
    ReturnEventKind,
    ReturnEvidence,
    ReturnFigure,
    ReturnReminder,
    ReturnStatus,
    SocialValueFramework,
    SocialValueKPI,
    Theme,
)

if TYPE_CHECKING:
    from commissioning.models import Outcome
    from tests.factories.worlds import CouncilWorld

__all__ = ["agreement_with_kpis", "delivery_returns", "framework_rows", "social_value_framework"]


def framework_rows(
    *,
    council: Council,
    themes: int = 1,
    outcomes: int = 1,
    measures: int = 1,
    prefix: str = "T",
    contributes_to: Outcome | None = None,
) -> list[Measure]:
    """``themes`` × ``outcomes`` × ``measures`` working measures (not published), with codes
    ``<prefix>-<theme>.<outcome>.<measure>``."""
    framework, _ = SocialValueFramework.objects.get_or_create(council=council)
    made = []
    for t in range(1, themes + 1):
        theme = Theme.objects.create(council=council, framework=framework, title=f"{prefix} theme {t}", position=t)
        for o in range(1, outcomes + 1):
            outcome = FrameworkOutcome.objects.create(
                council=council, theme=theme, title=f"{prefix} outcome {t}.{o}", position=o
            )
            for m in range(1, measures + 1):
                measure = Measure.objects.create(
                    council=council,
                    outcome=outcome,
                    code=f"{prefix}-{t}.{o}.{m}",
                    name=f"{prefix} measure {t}.{o}.{m}",
                    unit="hours",
                    evidence="Timesheets",
                    position=m,
                )
                if contributes_to is not None:
                    MeasureContribution.objects.create(council=council, measure=measure, outcome=contributes_to)
                made.append(measure)
    return made


def social_value_framework(world: CouncilWorld) -> None:
    """A framework with one theme, outcome and measure (contributing to the world's outcome),
    published as version 1, and a retired measure."""
    council, slug = world.council, world.council.slug
    framework = SocialValueFramework.objects.create(
        council=council, name=f"{slug}-private-framework", source="Test source", attribution="Test attribution"
    )
    theme = Theme.objects.create(council=council, framework=framework, title=f"{slug}-private-theme", position=1)
    outcome = FrameworkOutcome.objects.create(council=council, theme=theme, title=f"{slug}-private-sv-outcome")
    measure = Measure.objects.create(
        council=council,
        outcome=outcome,
        code="SV-1",
        name=f"{slug}-private-measure",
        unit="hours",
        description="Volunteering hours in the borough",
        evidence="Timesheets",
        version=1,
    )
    Measure.objects.create(
        council=council,
        outcome=outcome,
        code="SV-OLD",
        name=f"{slug}-private-retired-measure",
        unit="people",
        retired_at=timezone.now(),
        retired_by=world.people[Role.ADMIN],
    )
    if world.outcome is not None:
        MeasureContribution.objects.create(council=council, measure=measure, outcome=world.outcome)
    version = MeasureVersion.objects.create(
        council=council,
        measure=measure,
        number=1,
        theme_title=theme.title,
        outcome_title=outcome.title,
        **measure.definition(),
    )
    published = FrameworkVersion.objects.create(
        council=council,
        framework=framework,
        number=1,
        published_at=timezone.now(),
        published_by=world.people[Role.ADMIN],
    )
    FrameworkVersionEntry.objects.create(council=council, framework_version=published, measure_version=version)


# A tiny real PDF: the upload checks look at its first bytes only.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def agreement_with_kpis(
    *,
    council: Council,
    provider: Organisation,
    kpis: list[tuple[str, str, int, MeasureVersion | None]],
    title: str = "Community navigation",
    starts_on: date = date(2025, 1, 1),
    ends_on: date = date(2027, 12, 31),
    source_id: int | None = None,
    reporting_period: str = "quarterly",
) -> Agreement:
    """An agreement (contract) with KPIs given as (measure, unit, target, measure version or None)."""
    agreement = Agreement.objects.create(
        council=council,
        kind="contract",
        source_id=source_id if source_id is not None else Agreement.objects.filter(council=council).count() + 9000,
        provider=provider,
        title=title,
        value=Decimal(85000),
        awarded_on=starts_on - timedelta(days=30),
        starts_on=starts_on,
        ends_on=ends_on,
        reporting_period=reporting_period,
    )
    for position, (measure, unit, target, version) in enumerate(kpis, 1):
        SocialValueKPI.objects.create(
            council=council,
            agreement=agreement,
            measure_version=version,
            position=position,
            measure=version.name if version else measure,
            unit=version.unit if version else unit,
            target=Decimal(target),
        )
    return agreement


def delivery_returns(world: CouncilWorld) -> None:
    """An agreement of another organisation (public words only: its accepted return is on the
    portal) with an accepted return, and one of the world's organisation with a private draft
    (with evidence), a submitted and queried history, and a reminder."""
    from tests.factories.organisations import OrganisationFactory

    council, slug = world.council, world.council.slug
    provider = world.people[Role.OFFICER]
    public = agreement_with_kpis(
        council=council,
        provider=OrganisationFactory(name=f"{slug.title()} Befriending Network"),
        kpis=[("Volunteering hours", "hours", 400, None)],
        title=f"{slug.title()} befriending service",
    )
    accepted = DeliveryReturn.objects.create(
        council=council,
        agreement=public,
        period=1,
        period_starts_on=date(2025, 1, 1),
        period_ends_on=date(2025, 3, 31),
        due_on=date(2025, 4, 30),
        status=ReturnStatus.ACCEPTED,
        narrative="Forty volunteers befriended older residents each week.",
        revision=1,
        submitted_at=timezone.now(),
        created_by=provider,
        decided_at=timezone.now(),
        decided_by=world.people[Role.OFFICER],
    )
    ReturnFigure.objects.create(council=council, delivery_return=accepted, kpi=public.kpis.get(), quantity=Decimal(120))
    ReturnEvent.objects.create(
        council=council,
        delivery_return=accepted,
        kind=ReturnEventKind.ACCEPTED,
        actor=world.people[Role.OFFICER],
        at=timezone.now(),
    )
    version = MeasureVersion.objects.filter(council=council).first()
    own = agreement_with_kpis(
        council=council,
        provider=world.organisation,  # type: ignore[arg-type]
        kpis=[(f"{slug}-private-kpi", "people", 5, None), ("", "", 10, version)],
        title=f"{slug}-private-agreement",
    )
    draft = DeliveryReturn.objects.create(
        council=council,
        agreement=own,
        period=2,
        period_starts_on=date(2025, 4, 1),
        period_ends_on=date(2025, 6, 30),
        due_on=date(2025, 7, 30),
        status=ReturnStatus.QUERIED,
        narrative=f"{slug}-private-narrative",
        question=f"{slug}-private-question",
        revision=1,
        created_by=world.provider,  # type: ignore[arg-type]
    )
    ReturnFigure.objects.create(council=council, delivery_return=draft, kpi=own.kpis.first(), quantity=Decimal(2))
    ReturnEvent.objects.create(
        council=council,
        delivery_return=draft,
        kind=ReturnEventKind.QUERIED,
        actor=world.people[Role.OFFICER],
        at=timezone.now(),
        text=f"{slug}-private-question",
    )
    evidence = ReturnEvidence(
        council=council,
        delivery_return=draft,
        filename=f"{slug}-private-evidence.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        uploaded_by=world.provider,  # type: ignore[arg-type]
    )
    evidence.file.save("evidence", ContentFile(PDF), save=False)
    evidence.save()
    ReturnReminder.objects.create(council=council, agreement=own, period=1, kind=ReminderKind.OVERDUE, recipients=2)
