"""The social value framework, and the test world's stage ``social_value_framework``.

Built without the services (so a test council's audit trail still starts empty), inside the
council's scope. ``framework_rows`` makes a framework of any size, for query-count tests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from commissioning.models import Council, Role
from social_value.models import (
    FrameworkOutcome,
    FrameworkVersion,
    FrameworkVersionEntry,
    Measure,
    MeasureContribution,
    MeasureVersion,
    SocialValueFramework,
    Theme,
)

if TYPE_CHECKING:
    from commissioning.models import Outcome
    from tests.factories.worlds import CouncilWorld

__all__ = ["framework_rows", "social_value_framework"]


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
