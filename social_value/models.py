"""The social value ledger: KPIs agreed in a contract or a grant award, from the winning commitments.

A KPI belongs to an :class:`Agreement`: the ledger's own record of a contract or a grant award
(kind and ``source_id``: ``"contract"`` for ``tenders.Contract``, ``"grant_award"`` for grants), with
the provider, value and dates that delivery returns, accounting and market figures need. Tenders and
grants write it at award through :func:`social_value.services.agreement_record`, so one ledger holds
both without this app importing either. A KPI keeps the framework measure version it was agreed
under, so a later change to the measure never rewrites what the provider is held to.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from commissioning.tenancy import CouncilOwned

__all__ = [
    "Agreement",
    "AgreementKind",
    "DeliveryReturn",
    "ReminderKind",
    "ReturnEvent",
    "ReturnEventKind",
    "ReturnEvidence",
    "ReturnFigure",
    "ReturnReminder",
    "ReturnStatus",
    "FrameworkComment",
    "FrameworkCommentInvitation",
    "FrameworkCommentRound",
    "ReportingPeriod",
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


class ReportingPeriod(models.TextChoices):
    QUARTERLY = "quarterly", "Every quarter"
    HALF_YEARLY = "half_yearly", "Every six months"
    ANNUALLY = "annually", "Every year"


REPORTING_MONTHS = {ReportingPeriod.QUARTERLY: 3, ReportingPeriod.HALF_YEARLY: 6, ReportingPeriod.ANNUALLY: 12}


class Agreement(CouncilOwned):
    """A contract or grant award as the social value ledger sees it: who delivers, what it is worth,
    when it runs, and how often the provider reports on its KPIs."""

    kind = models.CharField(max_length=20, choices=AgreementKind.choices)
    source_id = models.PositiveBigIntegerField(help_text="The contract's or grant award's id in its own app")
    provider = models.ForeignKey("commissioning.Organisation", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=300)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    awarded_on = models.DateField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    reporting_period = models.CharField(
        max_length=20, choices=ReportingPeriod.choices, default=ReportingPeriod.QUARTERLY
    )
    # The market facts at award (issue 11, "Market shaping"): the provider as it was then, and the
    # spend policy band the opportunity fell in, so the dashboard's figures for past years stay as
    # they were when the provider later edits its profile or the council changes its bands.
    provider_local = models.BooleanField(
        "Local provider at award", default=False, help_text="Registered or operating in the council's local area"
    )
    provider_vcse = models.BooleanField("VCSE at award", default=False)
    provider_sme = models.BooleanField("SME at award", default=True, help_text="Fewer than 250 staff; else large")
    provider_asset_locked = models.BooleanField("Asset-locked at award", default=False)
    provider_private_equity = models.BooleanField("Backed by private equity at award", default=False)
    provider_ownership = models.CharField("Ownership at award", max_length=20, blank=True)
    band_label = models.CharField(
        "Spend policy band", max_length=150, blank=True, help_text="Empty when the council had no bands"
    )
    band_lower = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    band_reserved_for_local = models.BooleanField("Band reserved for local providers", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["council", "-awarded_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["council", "kind", "source_id"], name="sv_agreement_once"),
            models.CheckConstraint(condition=Q(kind__in=AgreementKind.values), name="sv_agreement_kind_known"),
            models.CheckConstraint(condition=Q(value__gte=0), name="sv_agreement_value_not_negative"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="sv_agreement_dates"),
        ]
        indexes = [
            models.Index(fields=["council", "-awarded_on"], name="sv_agreement_council_newest"),
            models.Index(fields=["provider", "-awarded_on"], name="sv_agreement_provider"),
        ]

    def __str__(self) -> str:
        return self.title


class SocialValueKPI(CouncilOwned):
    """One social value target of an agreement: what is measured (measure and unit, as committed),
    how much (``target``), by when, and whether it is to be delivered in the council's local area."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="kpis")
    measure_version = models.ForeignKey(
        "social_value.MeasureVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The framework measure as it was when agreed; empty for another measure the provider named",
    )
    position = models.PositiveSmallIntegerField(default=0)
    measure = models.CharField(max_length=300)
    unit = models.CharField(max_length=100, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=2)
    due_by = models.DateField(null=True, blank=True)
    local = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "position", "pk"]
        verbose_name = "social value KPI"
        constraints = [
            models.CheckConstraint(condition=Q(target__gte=0), name="sv_kpi_target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} ({self.target} {self.unit})".strip()


# The framework of themes, outcomes and measures, with its versions (social_value.framework_models).
# The framework opened for comment (social_value.framework_comment_models).
from social_value.framework_comment_models import (  # noqa: E402
    FrameworkComment,
    FrameworkCommentInvitation,
    FrameworkCommentRound,
)
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

# Delivery returns and their verification (social_value.returns_models).
from social_value.returns_models import (  # noqa: E402
    DeliveryReturn,
    ReminderKind,
    ReturnEvent,
    ReturnEventKind,
    ReturnEvidence,
    ReturnFigure,
    ReturnReminder,
    ReturnStatus,
)
