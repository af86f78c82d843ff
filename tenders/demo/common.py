"""What the demo's stages share: Knowsley's demo people and decided commission, its evaluation model
as the services take it, and the hour its deadlines fall at."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from commissioning.models import Commission, Council, DeliveryOption, User
from social_value.models import FrameworkVersion, MeasureVersion
from tenders import services
from tenders.demo import knowsley

LONDON = ZoneInfo("Europe/London")


def person(email: str) -> User | None:
    """A demo person, or None where the core's demo has not made them."""
    return User.objects.filter(email=email).first()


def decided_commission(council: Council) -> Commission | None:
    """Knowsley's commission decided for a contract, under which every demo tender sits."""
    return Commission.objects.filter(
        council=council, title=knowsley.COMMISSION, decision=DeliveryOption.CONTRACT
    ).first()


def midday(days: int) -> datetime:
    """Noon in London, ``days`` from today (deadlines fall at noon)."""
    return datetime.combine(timezone.localdate() + timedelta(days=days), time(12, 0), tzinfo=LONDON)


def knowsley_criteria(*, questions: tuple[str, str], social_value: str) -> list[services.CriterionSpec]:
    """Knowsley's evaluation model (``knowsley.py``) with a tender's own two quality questions."""
    return [
        services.CriterionSpec(
            title="Quality",
            kind="quality",
            weight=knowsley.QUALITY_WEIGHT,
            parts=tuple(
                services.CriterionSpec(
                    title=title, kind="quality", weight=weight, minimum_score=knowsley.MINIMUM_QUALITY_SCORE
                )
                for title, weight in zip(questions, knowsley.QUESTION_WEIGHTS, strict=True)
            ),
        ),
        services.CriterionSpec(title="Price", kind="price", weight=knowsley.PRICE_WEIGHT, scale=knowsley.PRICE_SCALE),
        services.CriterionSpec(
            title="Social value", kind="social_value", weight=knowsley.SOCIAL_VALUE_WEIGHT, guidance=social_value
        ),
    ]


def demo_commitment(
    council: Council, measure: str, quantity: str, unit: str, by: str, *, local: bool | None = None
) -> dict[str, Any]:
    """A demo bid's commitment as the commitments page saves it: ``measure`` a code of the council's
    framework (for example ``SVM-5.1``, seeded by ``social_value.demo``) picks that measure's
    version in the newest published framework, with its name and unit; any other words (or a code
    the council has not published) are another measure, in the bidder's words and ``unit``."""
    version = _published_versions(council).get(measure)
    if version is not None:
        return {
            "measure_version": version.pk,
            "measure": version.name,
            "unit": version.unit,
            "quantity": quantity,
            "by": by,
            "local": local,
            "other": False,
        }
    return {
        "measure_version": None,
        "measure": measure,
        "unit": unit,
        "quantity": quantity,
        "by": by,
        "local": local,
        "other": True,
    }


def _published_versions(council: Council) -> dict[str, MeasureVersion]:
    """The council's newest published measure versions by measure code (empty without a framework)."""
    latest = FrameworkVersion.objects.filter(council=council).order_by("-number").first()
    if latest is None:
        return {}
    return {
        v.measure.code: v
        for v in MeasureVersion.objects.filter(council=council, framework_versions=latest).select_related("measure")
    }
