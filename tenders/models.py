"""Tenders: for now the local spend policy and the reference data every tender uses.

Global reference data (the same for every council, loaded from ``tenders/data/*.json`` by data
migrations): :class:`BankHoliday` and :class:`ProcurementThreshold`. Council-owned policy:
:class:`SpendPolicyBand` (the value bands, in versions by effective date) and :class:`TenderPolicy`
(the minimum social value weight and the standstill length).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from commissioning.tenancy import CouncilOwned
from tenders import eligibility
from tenders.calendar import MINIMUM_STANDSTILL_DAYS

ENGLAND_AND_WALES = "england-and-wales"


class BankHoliday(models.Model):
    """A bank holiday: not a working day for standstill and other periods. Global reference data."""

    date = models.DateField()
    name = models.CharField(max_length=100)
    region = models.CharField(max_length=40, default=ENGLAND_AND_WALES)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["region", "date"], name="bank_holiday_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d %B %Y})"


class ProcurementThreshold(models.Model):
    """A value set by law (Procurement Act 2023) from a date. Global reference data.

    A new amount for the same ``key`` is a new row with a later ``effective_from``, so past
    procurements can still be judged by the amount in force when they started.
    """

    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=300)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, default="GBP")
    includes_vat = models.BooleanField(default=True)
    effective_from = models.DateField()
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["key", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["key", "effective_from"], name="threshold_unique_per_date")]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount_text} from {self.effective_from}"

    @property
    def amount_text(self) -> str:
        return eligibility.money(self.amount, self.currency)


class SpendPolicyBand(CouncilOwned):
    """One value band of a council's local spend policy, in the version that takes effect on ``effective_from``.

    The bands in force on a date are the version with the latest ``effective_from`` on or before
    it. ``reserved_for_*`` exclude other organisations; ``welcome_*`` only say so on the notice.
    """

    effective_from = models.DateField()
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=100, blank=True)
    lower_bound = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))])
    upper_bound = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="GBP")
    reserved_for_local = models.BooleanField(default=False)
    reserved_for_vcse = models.BooleanField(default=False)
    reserved_for_sme = models.BooleanField(default=False)
    welcome_vcse = models.BooleanField(default=False)
    welcome_sme = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["council", "-effective_from", "position"]
        constraints = [
            models.UniqueConstraint(fields=["council", "effective_from", "position"], name="spend_band_unique"),
            models.CheckConstraint(
                condition=Q(upper_bound__isnull=True) | Q(upper_bound__gt=models.F("lower_bound")),
                name="spend_band_upper_above_lower",
            ),
            models.CheckConstraint(condition=Q(lower_bound__gte=0), name="spend_band_lower_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.as_band().name} (from {self.effective_from:%d %B %Y})"

    def as_band(self) -> eligibility.Band:
        return eligibility.Band(
            lower=self.lower_bound,
            upper=self.upper_bound,
            reserved_for_local=self.reserved_for_local,
            reserved_for=frozenset(
                kind
                for kind, on in ((eligibility.VCSE, self.reserved_for_vcse), (eligibility.SME, self.reserved_for_sme))
                if on
            ),
            welcome=frozenset(
                kind for kind, on in ((eligibility.VCSE, self.welcome_vcse), (eligibility.SME, self.welcome_sme)) if on
            ),
            label=self.label,
            currency=self.currency,
        )

    @classmethod
    def fields_from(cls, band: eligibility.Band) -> dict[str, object]:
        return {
            "label": band.label,
            "lower_bound": band.lower,
            "upper_bound": band.upper,
            "currency": band.currency,
            "reserved_for_local": band.reserved_for_local,
            "reserved_for_vcse": eligibility.VCSE in band.reserved_for,
            "reserved_for_sme": eligibility.SME in band.reserved_for,
            "welcome_vcse": eligibility.VCSE in band.welcome,
            "welcome_sme": eligibility.SME in band.welcome,
        }


DEFAULT_MINIMUM_SOCIAL_VALUE = Decimal(10)


class TenderPolicy(CouncilOwned):
    """A council's rules for every tender: the minimum social value weight and the standstill length."""

    minimum_social_value_weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_MINIMUM_SOCIAL_VALUE,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    standstill_days = models.PositiveSmallIntegerField(
        default=MINIMUM_STANDSTILL_DAYS,
        validators=[MinValueValidator(MINIMUM_STANDSTILL_DAYS), MaxValueValidator(60)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "tender policies"
        constraints = [
            models.UniqueConstraint(fields=["council"], name="tender_policy_one_per_council"),
            models.CheckConstraint(
                condition=Q(minimum_social_value_weight__gte=0) & Q(minimum_social_value_weight__lte=100),
                name="tender_policy_social_value_percent",
            ),
            models.CheckConstraint(
                condition=Q(standstill_days__gte=MINIMUM_STANDSTILL_DAYS), name="tender_policy_standstill_minimum"
            ),
        ]

    def __str__(self) -> str:
        return "Tender policy"
