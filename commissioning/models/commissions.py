"""Commissions, the council's outcomes framework, and the options appraisal.

A commission is a need the council wants met, with outcomes drawn from its outcomes framework.
Its options appraisal records why the service is delivered in-house (the default), by grant, by
contract or otherwise; a tender or grant round may only be started under the matching decision.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from commissioning.tenancy import CouncilOwned


class DeliveryOption(models.TextChoices):
    """The ways a need can be met, in the order the appraisal considers them: in-house first."""

    IN_HOUSE = "in_house", "In-house delivery"
    GRANT = "grant", "Grant"
    CONTRACT = "contract", "Contract"
    SOCIAL_INVESTMENT = "social_investment", "Social investment"
    PARTNERSHIP = "partnership", "Partnership"


# The default option: a council delivers a service itself unless the appraisal says why not.
DEFAULT_OPTION = DeliveryOption.IN_HOUSE
# Choosing anything other than in-house needs a reason saying why not in-house, this long at least.
REASON_MIN_LENGTH = 20


def decision_errors(decision: str | None, reason: str) -> dict[str, str]:
    """What is wrong with a proposed decision and its reason (empty when it may be recorded).

    One definition for the form, the API serializer and the service.
    """
    reason = (reason or "").strip()
    if decision not in DeliveryOption.values:
        return {"decision": "Select the decision"}
    if not reason:
        return {"decision_reason": "Enter the reason for the decision"}
    if decision != DEFAULT_OPTION and len(reason) < REASON_MIN_LENGTH:
        return {
            "decision_reason": (
                f"Explain why the service should not be delivered in-house, in at least {REASON_MIN_LENGTH} characters"
            )
        }
    return {}


# Outcomes are ordered by position; a ceiling keeps "add at the end" from ever overflowing.
POSITION_MAX = 10_000

positive_pounds = MinValueValidator(Decimal("0.01"), "Enter an amount of more than £0")


class Outcome(CouncilOwned):
    """One outcome of the council's outcomes framework, shared by its contracts and grants."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(
        default=0, validators=[MaxValueValidator(POSITION_MAX)], help_text="Outcomes are listed in this order"
    )
    is_active = models.BooleanField("Active", default=True, help_text="Only active outcomes can be chosen")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["council", "position", "title"]
        constraints = [models.UniqueConstraint(fields=["council", "title"], name="outcome_title_unique")]

    def __str__(self) -> str:
        return self.title


class Indicator(CouncilOwned):
    """How the council knows an outcome is being achieved."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(max_length=200)
    measure = models.CharField(
        "How it is measured", max_length=200, help_text="The unit or method, for example ‘number of residents’"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["outcome", "name"]
        constraints = [models.UniqueConstraint(fields=["outcome", "name"], name="indicator_name_unique")]

    def __str__(self) -> str:
        return self.name


class Commission(CouncilOwned):
    """A need the council wants met, its outcomes, its value and the options appraisal decision."""

    title = models.CharField(max_length=200)
    need = models.TextField("The need")
    outcomes: models.ManyToManyField[Outcome, CommissionOutcome] = models.ManyToManyField(
        Outcome, through="CommissionOutcome", related_name="commissions", blank=True
    )
    estimated_annual_value = models.DecimalField(
        "Estimated annual value", max_digits=14, decimal_places=2, validators=[positive_pounds]
    )
    whole_life_value = models.DecimalField(
        "Whole-life value", max_digits=14, decimal_places=2, validators=[positive_pounds]
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Null until decided: "not decided" is not one of the options. noqa: the constraints rely on it.
    decision = models.CharField(max_length=20, choices=DeliveryOption.choices, null=True, blank=True)  # noqa: DJ001
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["council", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(estimated_annual_value__gt=0), name="commission_annual_positive"),
            models.CheckConstraint(
                condition=Q(whole_life_value__gte=F("estimated_annual_value")),
                name="commission_whole_life_covers_annual",
                violation_error_message="The whole-life value must be at least the estimated annual value",
            ),
            models.CheckConstraint(
                condition=Q(decision__isnull=True) | Q(decision__in=DeliveryOption.values),
                name="commission_decision_known",
            ),
            models.CheckConstraint(
                condition=Q(decision__isnull=True)
                | (~Q(decision_reason="") & Q(decided_at__isnull=False) & Q(decided_by__isnull=False)),
                name="commission_decision_has_reason",
                violation_error_message="A decision needs its reason, who made it and when",
            ),
        ]
        indexes = [models.Index(fields=["council", "created_by"], name="commission_council_creator")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # Says what the whole-life constraint says, but next to the field it is about.
        annual, whole_life = self.estimated_annual_value, self.whole_life_value
        if annual is not None and whole_life is not None and whole_life < annual:
            raise ValidationError(
                {"whole_life_value": "The whole-life value must be at least the estimated annual value"}
            )

    @property
    def is_decided(self) -> bool:
        return self.decision is not None


class CommissionOutcome(CouncilOwned):
    """A commission's link to one outcome of the framework (council-owned, so walled like the rest)."""

    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="+")
    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["commission", "outcome"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "outcome"], name="commission_outcome_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.commission_id} → {self.outcome_id}"


class AppraisalOption(CouncilOwned):
    """One option of a commission's appraisal, with the commissioner's notes on it."""

    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="options")
    kind = models.CharField(max_length=20, choices=DeliveryOption.choices)
    position = models.PositiveSmallIntegerField(default=0)
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["commission", "position"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "kind"], name="appraisal_option_kind_unique"),
            models.CheckConstraint(condition=Q(kind__in=DeliveryOption.values), name="appraisal_option_kind_known"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.commission}"

    @property
    def is_default(self) -> bool:
        return self.kind == DEFAULT_OPTION
