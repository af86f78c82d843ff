"""The social value ledger: KPIs agreed in a contract or a grant award, from the winning commitments.

A KPI belongs to an **agreement**, named by kind and id (``"contract"`` for ``tenders.Contract``,
``"grant_award"`` for grants later), so one ledger holds contracts and grants without this app
importing either. The framework of themes, outcomes and measures, and the delivery returns
against each KPI, build on these rows.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from commissioning.tenancy import CouncilOwned

__all__ = [
    "AgreementKind",
    "FrameworkOutcome",
    "FrameworkVersion",
    "FrameworkVersionEntry",
    "Measure",
    "MeasureContribution",
    "MeasureVersion",
    "SocialValueFramework",
    "SocialValueKPI",
    "Theme",
]


class AgreementKind(models.TextChoices):
    CONTRACT = "contract", "Contract"
    GRANT_AWARD = "grant_award", "Grant award"


class SocialValueKPI(CouncilOwned):
    """One social value target of an agreement: what is measured (measure and unit, as committed),
    how much (``target``), by when, and whether it is to be delivered in the council's local area."""

    agreement_kind = models.CharField(max_length=20, choices=AgreementKind.choices)
    agreement_id = models.PositiveBigIntegerField()
    position = models.PositiveSmallIntegerField(default=0)
    measure = models.CharField(max_length=300)
    unit = models.CharField(max_length=100, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=2)
    due_by = models.DateField(null=True, blank=True)
    local = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement_kind", "agreement_id", "position", "pk"]
        verbose_name = "social value KPI"
        constraints = [
            models.CheckConstraint(condition=Q(agreement_kind__in=AgreementKind.values), name="sv_kpi_agreement_known"),
            models.CheckConstraint(condition=Q(target__gte=0), name="sv_kpi_target_not_negative"),
        ]
        indexes = [models.Index(fields=["council", "agreement_kind", "agreement_id"], name="sv_kpi_agreement")]

    def __str__(self) -> str:
        return f"{self.measure} ({self.target} {self.unit})".strip()


# The framework of themes, outcomes and measures, with its versions (social_value.framework_models).
from social_value.framework_models import (  # noqa: E402
    FrameworkOutcome,
    FrameworkVersion,
    FrameworkVersionEntry,
    Measure,
    MeasureContribution,
    MeasureVersion,
    SocialValueFramework,
    Theme,
)
