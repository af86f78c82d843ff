"""Tenders, their lots and evaluation models; the local spend policy and the reference data every tender uses.

Global reference data (the same for every council, loaded from ``tenders/data/*.json`` by data
migrations): :class:`BankHoliday` and :class:`ProcurementThreshold`. Council-owned policy:
:class:`SpendPolicyBand` (the value bands, in versions by effective date) and :class:`TenderPolicy`
(the minimum social value weight and the standstill length). Council-owned tenders:
:class:`Tender` (under a commission whose options appraisal decided on a contract), its
:class:`Lot` s and the :class:`Criterion` tree of its evaluation model; its specification
(:class:`SpecificationSection` s, saved :class:`SpecificationVersion` s) and the council's
:class:`Clause` library.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from commissioning.tenancy import CouncilManager, CouncilOwned
from tenders import eligibility, evaluation_model, weights
from tenders.calendar import MINIMUM_STANDSTILL_DAYS
from tenders.timetable import (
    CLARIFICATION_BEFORE_SUBMISSION,
    STATUS_LABELS,
    STATUS_TAGS,
    Status,
    TimetableProblem,
    tender_status,
    timetable_problems,
)

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

    # The columns a Band is made of, for reads that need only the bands (values_list, no model instances).
    BAND_FIELDS = (
        "lower_bound",
        "upper_bound",
        "reserved_for_local",
        "reserved_for_vcse",
        "reserved_for_sme",
        "welcome_vcse",
        "welcome_sme",
        "label",
        "currency",
    )

    def as_band(self) -> eligibility.Band:
        return self.band_from(*(getattr(self, name) for name in self.BAND_FIELDS))

    @staticmethod
    def band_from(
        lower_bound: Decimal,
        upper_bound: Decimal | None,
        reserved_for_local: bool,
        reserved_for_vcse: bool,
        reserved_for_sme: bool,
        welcome_vcse: bool,
        welcome_sme: bool,
        label: str,
        currency: str,
    ) -> eligibility.Band:
        return eligibility.Band(
            lower=lower_bound,
            upper=upper_bound,
            reserved_for_local=reserved_for_local,
            reserved_for=frozenset(
                kind for kind, on in ((eligibility.VCSE, reserved_for_vcse), (eligibility.SME, reserved_for_sme)) if on
            ),
            welcome=frozenset(
                kind for kind, on in ((eligibility.VCSE, welcome_vcse), (eligibility.SME, welcome_sme)) if on
            ),
            label=label,
            currency=currency,
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
DEFAULT_MINIMUM_EVALUATORS = 2
DEFAULT_JUSTIFICATION_LENGTH = 50
DEFAULT_MODERATION_SPREAD = Decimal(40)
DEFAULT_ABNORMALLY_LOW = Decimal(70)


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
    # Evaluation: how many evaluators score each scored criterion at least; how long a written
    # justification of a score must be; how far apart individual scores are highlighted in
    # moderation (a share of the scale: 40% is two points on 0 to 5); and below what share of the
    # median of the other prices (or of the estimate) a price is flagged as possibly abnormally low.
    minimum_evaluators = models.PositiveSmallIntegerField(
        default=DEFAULT_MINIMUM_EVALUATORS, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    justification_minimum_length = models.PositiveIntegerField(
        default=DEFAULT_JUSTIFICATION_LENGTH, validators=[MinValueValidator(0), MaxValueValidator(2000)]
    )
    moderation_spread_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_MODERATION_SPREAD,
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(100))],
    )
    abnormally_low_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_ABNORMALLY_LOW,
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(100))],
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


MAXIMUM_STANDSTILL_DAYS = 60


class Procedure(models.TextChoices):
    OPEN = "open", "Open procedure"
    QUICK_QUOTE = "quick_quote", "Below-threshold quick quote"


class PriceFormula(models.TextChoices):
    """How a price becomes a score, declared in the evaluation model before publication (``tenders.price``)."""

    RELATIVE_TO_LOWEST = "relative_to_lowest", "Relative to the lowest price"
    LINEAR_TO_BUDGET = "linear_to_budget", "Linear against the budget"


class TieBreak(models.TextChoices):
    """The declared order that settles equal totals (``commissioning.scoring``)."""

    QUALITY_SOCIAL_VALUE_PRICE = (
        "quality_social_value_price",
        ("Higher quality score, then higher social value score, then lower price"),
    )
    SOCIAL_VALUE_QUALITY_PRICE = (
        "social_value_quality_price",
        ("Higher social value score, then higher quality score, then lower price"),
    )
    PRICE_QUALITY_SOCIAL_VALUE = (
        "price_quality_social_value",
        ("Lower price, then higher quality score, then higher social value score"),
    )


def status_condition(status: Status, *, at: datetime) -> Q:
    """The condition on a tender's timestamps for being in ``status`` at ``at``: exactly
    :func:`tenders.timetable.tender_status` as a query, so filtering happens in the database
    (``tests/tenders/test_status.py`` checks the two agree at every boundary)."""
    published = Q(published_at__isnull=False, published_at__lte=at)
    before_deadline = Q(submission_deadline__isnull=True) | Q(submission_deadline__gt=at)
    questions = Q(clarification_deadline__isnull=False, clarification_deadline__gt=at)
    return {
        Status.DRAFT: ~published,
        Status.CLOSED: published & Q(submission_deadline__isnull=False, submission_deadline__lte=at),
        Status.OPEN_FOR_QUESTIONS: published & before_deadline & questions,
        Status.OPEN_FOR_BIDS: published & before_deadline & ~questions,
    }[Status(status)]


class TenderQuerySet(models.QuerySet["Tender"]):
    # Writes that send no post_save still renew the public tenders cache (tenders.public_cache), and
    # every tender's kept results, bid figures and council lists (tenders.kept: which tenders
    # changed is not known).
    def update(self, **kwargs: Any) -> int:
        from tenders import kept, public_cache

        changed = super().update(**kwargs)
        public_cache.bump_on_commit()
        for shelf in (kept.RESULTS, kept.MARKET, kept.COUNCIL):
            shelf.renew_on_commit()
        return changed

    def bulk_create(self, *args: Any, **kwargs: Any) -> list[Tender]:
        from tenders import kept, public_cache

        made = super().bulk_create(*args, **kwargs)
        public_cache.bump_on_commit()
        kept.COUNCIL.renew_on_commit()  # the councils' lists of tenders (new rows, new counts)
        return made

    def in_status(self, *statuses: Status, at: datetime) -> TenderQuerySet:
        """Tenders whose status at ``at`` is one of ``statuses`` (the one rule of :mod:`tenders.timetable`)."""
        condition = Q(pk__in=[])
        for status in statuses:
            condition |= status_condition(status, at=at)
        return self.filter(condition)


TenderManager = CouncilManager.from_queryset(TenderQuerySet)


class Tender(CouncilOwned):
    """The procurement of a service under a commission whose options appraisal decided on a contract.

    Its status is derived from its timestamps and the time now (:mod:`tenders.timetable`): nothing
    waits for a scheduled job to close it at its deadline.
    """

    commission = models.ForeignKey("commissioning.Commission", on_delete=models.PROTECT, related_name="tenders")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    estimated_value = models.DecimalField(
        "Estimated value",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), "Enter an amount of more than £0")],
    )
    procedure = models.CharField(max_length=20, choices=Procedure.choices, default=Procedure.OPEN)
    clarification_deadline = models.DateTimeField(null=True, blank=True)
    submission_deadline = models.DateTimeField(null=True, blank=True)
    planned_award_date = models.DateField(null=True, blank=True)
    standstill_days = models.PositiveSmallIntegerField(
        default=MINIMUM_STANDSTILL_DAYS,
        validators=[MinValueValidator(MINIMUM_STANDSTILL_DAYS), MaxValueValidator(MAXIMUM_STANDSTILL_DAYS)],
    )
    weighting_rationale = models.TextField(blank=True)
    # Settings of the evaluation model, fixed at publication with the weights: blind evaluation of
    # quality and social value (evaluators see neither the bidder's name nor the price until
    # moderation is locked), the price formula, and the tie-break rule.
    blind_evaluation = models.BooleanField(default=False)
    price_formula = models.CharField(
        max_length=30, choices=PriceFormula.choices, default=PriceFormula.RELATIVE_TO_LOWEST
    )
    tie_break = models.CharField(max_length=40, choices=TieBreak.choices, default=TieBreak.QUALITY_SOCIAL_VALUE_PRICE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Null until published: publication is a later step (with the weighting's approval).
    published_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[TenderManager] = TenderManager()

    class Meta:
        ordering = ["council", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(estimated_value__gt=0), name="tender_value_positive"),
            models.CheckConstraint(
                condition=Q(clarification_deadline__isnull=True)
                | Q(submission_deadline__isnull=True)
                | Q(clarification_deadline__lt=F("submission_deadline")),
                name="tender_clarification_before_submission",
                # The database's copy of tenders.timetable.timetable_problems' rule, with its words.
                violation_error_message=CLARIFICATION_BEFORE_SUBMISSION,
            ),
            models.CheckConstraint(
                condition=Q(standstill_days__gte=MINIMUM_STANDSTILL_DAYS), name="tender_standstill_minimum"
            ),
        ]
        indexes = [
            models.Index(fields=["council", "commission"], name="tender_council_commission"),
            # The finder and the opportunities lists: published tenders in (deadline, id) order,
            # across councils and per council (keyset pages seek on these).
            models.Index(
                fields=["submission_deadline", "id"],
                condition=Q(published_at__isnull=False),
                name="tender_published_deadline",
            ),
            models.Index(
                fields=["council", "submission_deadline", "id"],
                condition=Q(published_at__isnull=False),
                name="tender_council_deadline",
            ),
            # The council's tender list and tenders API: newest first.
            models.Index(fields=["council", "-created_at", "-id"], name="tender_council_newest"),
        ]

    def __str__(self) -> str:
        return self.title

    def status_at(self, now: datetime) -> Status:
        return tender_status(
            published_at=self.published_at,
            clarification_deadline=self.clarification_deadline,
            submission_deadline=self.submission_deadline,
            now=now,
        )

    @property
    def status(self) -> Status:
        return self.status_at(timezone.now())

    def timetable_problems(
        self, *, now: datetime | None = None, published: tuple[datetime | None, datetime | None] | None = None
    ) -> list[TimetableProblem]:
        """What is wrong with the tender's deadlines (:func:`tenders.timetable.timetable_problems`)."""
        return timetable_problems(
            clarification_deadline=self.clarification_deadline,
            submission_deadline=self.submission_deadline,
            now=now,
            published=published,
        )

    @property
    def status_tag(self) -> str:
        return STATUS_TAGS[self.status]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


class Lot(CouncilOwned):
    """A part of a tender that can be bid for and awarded on its own."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="lots")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    estimated_value = models.DecimalField(
        "Estimated value",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"), "Enter an amount of more than £0")],
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["tender", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_value__isnull=True) | Q(estimated_value__gt=0), name="lot_value_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CriterionKind(models.TextChoices):
    QUALITY = weights.Kind.QUALITY.value, "Quality"
    PRICE = weights.Kind.PRICE.value, "Price"
    SOCIAL_VALUE = weights.Kind.SOCIAL_VALUE.value, "Social value"
    CITIZEN_PANEL = weights.Kind.CITIZEN_PANEL.value, "Citizen panel"


class Scale(models.TextChoices):
    ZERO_TO_FIVE = evaluation_model.Scale.ZERO_TO_FIVE.value, "0 to 5"
    ZERO_TO_HUNDRED = evaluation_model.Scale.ZERO_TO_HUNDRED.value, "0 to 100"


# The rules' data, keyed by the model's Scale (tenders.evaluation_model holds them).
SCALE_MAXIMUM = {Scale(scale.value): top for scale, top in evaluation_model.SCALE_MAXIMUM.items()}
DESCRIPTOR_SCORES = {Scale(scale.value): scores for scale, scores in evaluation_model.DESCRIPTOR_SCORES.items()}
QUESTION_KINDS = evaluation_model.QUESTION_KINDS


class Criterion(CouncilOwned):
    """One criterion of a tender's evaluation model. ``weight`` is its share of the whole score, in percent."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    kind = models.CharField(max_length=20, choices=CriterionKind.choices)
    title = models.CharField(max_length=200)
    weight = models.DecimalField(
        max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]
    )
    guidance = models.TextField(blank=True)
    scale = models.CharField(max_length=5, choices=Scale.choices, default=Scale.ZERO_TO_FIVE)
    minimum_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    # For a question providers answer in words (quality, social value, without parts): the question
    # as the commissioner wrote it (empty: the title is the question), the most words an answer may
    # have, whether documents may be attached, and what each score of the scale means
    # (``scoring_descriptors[i]`` describes ``DESCRIPTOR_SCORES[scale][i]``). All plain text.
    question = models.TextField(blank=True)
    word_limit = models.PositiveIntegerField(null=True, blank=True, validators=[MinValueValidator(1)])
    attachments_allowed = models.BooleanField(default=True)
    scoring_descriptors = models.JSONField(default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # A social value criterion names the outcomes of the council's social value framework it asks
    # about; bidders see them (with their measures) and pick those measures first.
    framework_outcomes: models.ManyToManyField = models.ManyToManyField(
        "social_value.FrameworkOutcome", through="CriterionFrameworkOutcome", related_name="+", blank=True
    )

    class Meta:
        ordering = ["tender", "position", "pk"]
        verbose_name_plural = "criteria"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=CriterionKind.values), name="criterion_kind_known"),
            models.CheckConstraint(condition=Q(weight__gte=0) & Q(weight__lte=100), name="criterion_weight_percent"),
            models.CheckConstraint(
                condition=Q(minimum_score__isnull=True) | Q(minimum_score__gte=0), name="criterion_minimum_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def question_text(self) -> str:
        """What bidders are asked: the question written for them, or the criterion's name."""
        return self.question or self.title

    @property
    def descriptor_rows(self) -> list[tuple[int, str]]:
        """(score, what it means) for each score the commissioner described."""
        scores = DESCRIPTOR_SCORES.get(Scale(self.scale), ()) if self.scale in Scale.values else ()
        return [(score, text) for score, text in zip(scores, self.scoring_descriptors or [], strict=False) if text]


class CriterionFrameworkOutcome(CouncilOwned):
    """A social value criterion's link to one outcome of the council's social value framework."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    outcome = models.ForeignKey("social_value.FrameworkOutcome", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["criterion", "outcome"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "outcome"], name="criterion_framework_outcome_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id} → {self.outcome_id}"


# --- The specification and the council's clause library ------------------------------------------


class Clause(CouncilOwned):
    """A reusable clause of the council's library, inserted into specifications. ``body`` is sanitised HTML."""

    title = models.CharField(max_length=200)
    body = models.TextField()
    category = models.CharField(max_length=100, blank=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["council", "category", "title", "pk"]

    def __str__(self) -> str:
        return self.title


class SpecificationSection(CouncilOwned):
    """One section of a tender's specification, in order. ``body`` is sanitised HTML.

    ``revision`` goes up by one on every save that changes something, so a save made from a page
    opened before someone else's save is refused rather than silently overwriting it.
    """

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="specification_sections")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["tender", "position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(revision__gte=1), name="specification_section_revision")]

    def __str__(self) -> str:
        return self.title


class SpecificationVersion(CouncilOwned):
    """A saved version of a tender's specification: its sections as they were (``[{title, body}]``) and a note."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="specification_versions")
    number = models.PositiveIntegerField()
    sections = models.JSONField(default=list)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tender", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "number"], name="specification_version_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="specification_version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"
