"""Forms of the council's policies: the spend policy bands (a formset), the tender policy, the eligibility checker."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone

from commissioning.forms import MoneyField
from commissioning.forms_govuk import GovukDateField, GovukFormMixin, needed_sometimes
from commissioning.models import Organisation
from tenders import eligibility
from tenders.calendar import MINIMUM_STANDSTILL_DAYS
from tenders.forms.shared import NumberedRowsFormSet, amount_text, kinds_field, local_area_field, standstill_days_field

PROBLEM_FIELDS = {"lower": "lower_bound", "upper": "upper_bound"}


class BandForm(GovukFormMixin, forms.Form):
    """One value band. ``number`` (from 1) names the band in its legend and its error messages."""

    def __init__(self, *args: Any, number: int = 1, **kwargs: Any) -> None:
        self.number = number
        super().__init__(*args, **kwargs)
        self.fields["label"] = forms.CharField(
            label="Name",
            required=False,
            max_length=100,
            help_text="For example, Low value. Leave empty to name the band by its values.",
        )
        self.fields["lower_bound"] = MoneyField(
            what=f"the amount band {number} starts from",
            allow_zero=True,
            label="From",
            help_text="Contracts worth this much are in this band",
        )
        self.fields["upper_bound"] = MoneyField(
            what=f"the amount band {number} goes up to",
            allow_zero=True,
            label="Up to",
            required=False,
            help_text="Contracts worth this much are in the next band. Leave empty in the last band.",
        )
        self.fields["reserved_for_local"] = local_area_field()
        self.fields["reserved_for"] = kinds_field(
            "Reserved for these kinds of organisation",
            "Only these may bid. Leave both empty to let any kind of organisation bid.",
        )
        self.fields["welcome"] = kinds_field(
            "Say on the notice that these are welcome", "This excludes nobody: it only invites them"
        )

    def to_band(self) -> eligibility.Band:
        data = self.cleaned_data
        return eligibility.Band(
            lower=data["lower_bound"],
            upper=data.get("upper_bound"),
            reserved_for_local=bool(data.get("reserved_for_local")),
            reserved_for=frozenset(data.get("reserved_for") or ()),
            welcome=frozenset(data.get("welcome") or ()),
            label=data.get("label", "").strip(),
        )

    @staticmethod
    def initial_for(band: eligibility.Band) -> dict[str, Any]:
        return {
            "label": band.label,
            "lower_bound": amount_text(band.lower),
            "upper_bound": amount_text(band.upper) if band.upper is not None else "",
            "reserved_for_local": band.reserved_for_local,
            "reserved_for": sorted(band.reserved_for),
            "welcome": sorted(band.welcome),
        }


class BaseBandFormSet(NumberedRowsFormSet):
    """The bands, checked together by ``eligibility.band_problems``; each problem is shown on its band's field."""

    row_noun = "band"

    def clean(self) -> None:
        if any(self.errors):
            return
        kept = self.kept_forms()
        bands = [form.to_band() for form in kept]
        for problem in eligibility.band_problems(bands, numbers=[form.number for form in kept]):
            field = PROBLEM_FIELDS.get(problem.field or "")
            if problem.index is not None and field:
                kept[problem.index].add_error(field, problem.message)
            else:
                raise forms.ValidationError(problem.message)

    def bands(self) -> list[eligibility.Band]:
        return [form.to_band() for form in self.kept_forms()]


# The stubs give formset_factory BaseFormSet, not the class passed as ``formset``.
BandFormSet = cast(
    "type[BaseBandFormSet]",
    forms.formset_factory(
        BandForm, formset=BaseBandFormSet, extra=1, can_delete=True, can_delete_extra=False, max_num=20
    ),
)


class EffectiveDateForm(GovukFormMixin, forms.Form):
    effective_from = GovukDateField(
        label="Date the bands take effect",
        help_text="Today or later, for example 1 4 2027. Tenders already advertised keep the bands they had.",
        error_name="The date the bands take effect",
        error_messages={"required": "Enter the date the bands take effect"},
    )

    def clean_effective_from(self) -> Any:
        day = self.cleaned_data["effective_from"]
        if day < timezone.localdate():
            raise forms.ValidationError("The date the bands take effect must be today or in the future")
        return day


class TenderPolicyForm(GovukFormMixin, forms.Form):
    minimum_social_value_weight = forms.DecimalField(
        label="Minimum social value weight, in percent",
        help_text="Every evaluation model must give social value at least this share of the score. The default is 10.",
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "data-width": "4"}),
        error_messages={
            "required": "Enter the minimum social value weight",
            "invalid": "Enter the minimum social value weight as a number, like 10 or 12.5",
            "min_value": "The minimum social value weight must be 0 or more",
            "max_value": "The minimum social value weight must be 100 or less",
            "max_digits": "The minimum social value weight must be 100 or less",
            "max_whole_digits": "The minimum social value weight must be 100 or less",
            "max_decimal_places": "Give the minimum social value weight to at most 2 decimal places",
        },
    )
    standstill_days = standstill_days_field(
        f"At least {MINIMUM_STANDSTILL_DAYS} working days (Procurement Act 2023, section 51). "
        "Weekends and bank holidays do not count."
    )
    # Evaluation: left empty, a setting keeps its current value (the page shows it filled in).
    minimum_evaluators = needed_sometimes(
        forms.IntegerField(
            label="Evaluators needed on each criterion",
            help_text="Moderation opens only when each bid has at least this many evaluators' scores. From 1 to 10.",
            min_value=1,
            max_value=10,
            required=False,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "data-width": "2"}),
            error_messages={
                "invalid": "Enter the number of evaluators as a whole number, like 2",
                "min_value": "At least 1 evaluator must score each criterion",
                "max_value": "Ask for 10 evaluators or fewer on each criterion",
            },
        )
    )
    justification_minimum_length = needed_sometimes(
        forms.IntegerField(
            label="Shortest justification of a score, in characters",
            help_text="Evaluators write at least this much to justify each score. From 0 to 2,000.",
            min_value=0,
            max_value=2000,
            required=False,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "data-width": "4"}),
            error_messages={
                "invalid": "Enter the shortest justification as a whole number of characters, like 50",
                "min_value": "The shortest justification must be 0 characters or more",
                "max_value": "The shortest justification must be 2,000 characters or fewer",
            },
        )
    )
    moderation_spread_percent = needed_sometimes(
        forms.DecimalField(
            label="Spread highlighted in moderation, in percent of the scale",
            help_text="Scores this far apart are highlighted for discussion: 40% is 2 points on 0 to 5. From 1 to 100.",
            min_value=Decimal(1),
            max_value=Decimal(100),
            max_digits=5,
            decimal_places=2,
            required=False,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "data-width": "4"}),
            error_messages={
                "invalid": "Enter the spread as a number, like 40",
                "min_value": "The spread must be at least 1%%",
                "max_value": "The spread must be 100%% or less",
                "max_digits": "The spread must be 100%% or less",
                "max_whole_digits": "The spread must be 100%% or less",
                "max_decimal_places": "Give the spread to at most 2 decimal places",
            },
        )
    )
    abnormally_low_percent = needed_sometimes(
        forms.DecimalField(
            label="Abnormally low price threshold, in percent",
            help_text=(
                "A price below this share of the median of the other prices, or of the estimated value, is flagged "
                "for the provider to explain. From 1 to 100; the default is 70."
            ),
            min_value=Decimal(1),
            max_value=Decimal(100),
            max_digits=5,
            decimal_places=2,
            required=False,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "data-width": "4"}),
            error_messages={
                "invalid": "Enter the threshold as a number, like 70",
                "min_value": "The threshold must be at least 1%%",
                "max_value": "The threshold must be 100%% or less",
                "max_digits": "The threshold must be 100%% or less",
                "max_whole_digits": "The threshold must be 100%% or less",
                "max_decimal_places": "Give the threshold to at most 2 decimal places",
            },
        )
    )


class EligibilityCheckForm(GovukFormMixin, forms.Form):
    """The public "Check if you are eligible" form: a value and, for a signed-in provider, their organisation."""

    estimated_value = MoneyField(
        what="the estimated value of the contract",
        label="Estimated value of the contract",
        help_text="The whole contract, including VAT, for example 20,000",
    )
    organisation = forms.ModelChoiceField(
        label="Your organisation",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Do not check an organisation",
        error_messages={"invalid_choice": "Select one of your organisations"},
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations
