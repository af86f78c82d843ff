"""GOV.UK forms of the social value framework pages: a measure, the CSV upload, publishing a version."""

from __future__ import annotations

from typing import Any

from django import forms

from commissioning.forms import MoneyField
from commissioning.forms_govuk import GovukFormMixin, needed_sometimes
from commissioning.models import Council, Outcome
from social_value.framework_csv import MAX_BYTES, MAX_ROWS
from social_value.framework_models import PROXY_YEAR_MAX, PROXY_YEAR_MIN
from social_value.models import FrameworkOutcome
from social_value.selectors import MARKET_YEARS_MAX, framework_outcomes

__all__ = [
    "FrameworkImportForm",
    "MarketYearsForm",
    "MeasureForm",
    "PublishForm",
    "ReturnForm",
    "VerifyForm",
    "kpi_field_name",
]


class _FrameworkOutcomeField(forms.ModelChoiceField):
    def label_from_instance(self, obj: FrameworkOutcome) -> str:
        return f"{obj.theme.title}: {obj.title}"


class _CoreOutcomeField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Outcome) -> str:
        return obj.title


class MeasureForm(GovukFormMixin, forms.Form):
    outcome = _FrameworkOutcomeField(
        label="Theme and outcome",
        queryset=FrameworkOutcome.objects.none(),
        empty_label="Choose an outcome",
        error_messages={"required": "Choose the outcome the measure sits under"},
    )
    code = forms.CharField(
        label="Code",
        max_length=30,
        help_text="A short reference, unique in the framework, for example SV-1.2",
        error_messages={"required": "Enter a code for the measure"},
    )
    name = forms.CharField(
        label="Measure", max_length=300, error_messages={"required": "Enter what the measure counts"}
    )
    unit = forms.CharField(
        label="Unit",
        max_length=100,
        help_text="What one of it is, for example hours, people or tonnes CO2e",
        error_messages={"required": "Enter the unit"},
    )
    description = forms.CharField(
        label="Description", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.CharField(
        label="How it is evidenced",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What a provider sends to show it was delivered",
    )
    proxy_value = MoneyField(
        label="Proxy value per unit",
        what="the proxy value",
        allow_zero=True,
        required=False,
        help_text="An indicative value in pounds of one unit. Only with its source and year.",
    )
    proxy_source = forms.CharField(label="Source of the proxy value", required=False, max_length=300)
    proxy_year = forms.IntegerField(
        label="Year of the proxy value",
        required=False,
        min_value=PROXY_YEAR_MIN,
        max_value=PROXY_YEAR_MAX,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "data-width": "4"}),
        error_messages={
            "invalid": "Enter the year as four digits, for example 2025",
            "min_value": f"Enter a year from {PROXY_YEAR_MIN}",
            "max_value": f"Enter a year up to {PROXY_YEAR_MAX}",
        },
    )
    contributes_to = _CoreOutcomeField(
        label="Outcomes of the council's outcomes framework it contributes to",
        queryset=Outcome.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["outcome"].queryset = framework_outcomes(council=council)
        fields["contributes_to"].queryset = Outcome.objects.filter(council=council).order_by("position", "title")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        value, source, year = data.get("proxy_value"), data.get("proxy_source"), data.get("proxy_year")
        if value is not None:
            if not source:
                self.add_error("proxy_source", "Say where the proxy value comes from")
            if year is None and "proxy_year" not in self.errors:
                self.add_error("proxy_year", "Give the year of the proxy value")
        elif (source or year is not None) and "proxy_value" not in self.errors:
            self.add_error("proxy_value", "Give the proxy value, or leave its source and year empty")
        return data


class FrameworkImportForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=f"UTF-8 CSV, at most {MAX_BYTES // 1_000_000} MB and {MAX_ROWS:,} measures",
        error_messages={"required": "Choose a CSV file to upload", "empty": "The file is empty"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file must be {MAX_BYTES // 1_000_000} MB or smaller")
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The file must be a CSV file (ending .csv)")
        return upload


class PublishForm(GovukFormMixin, forms.Form):
    note = forms.CharField(
        label="What changed", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


YEAR_MIN, YEAR_MAX = 2000, 2100


class MarketYearsForm(GovukFormMixin, forms.Form):
    """The calendar years the market dashboard shows (a GET form: the figures are a read)."""

    from_year = forms.IntegerField(
        label="From year",
        required=False,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "data-width": "4"}),
        error_messages={
            "invalid": "Enter the from year as 4 digits, like 2024",
            "min_value": f"The from year must be {YEAR_MIN} or later",
            "max_value": f"The from year must be {YEAR_MAX} or earlier",
        },
    )
    to_year = forms.IntegerField(
        label="To year",
        required=False,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "data-width": "4"}),
        error_messages={
            "invalid": "Enter the to year as 4 digits, like 2026",
            "min_value": f"The to year must be {YEAR_MIN} or later",
            "max_value": f"The to year must be {YEAR_MAX} or earlier",
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("from_year"), data.get("to_year")
        if first is not None and last is not None:
            if last < first:
                self.add_error("to_year", "The to year must be the same as or after the from year")
            elif last - first >= MARKET_YEARS_MAX:
                self.add_error("to_year", f"Show at most {MARKET_YEARS_MAX} years at once")
        return data


# --- Delivery returns ------------------------------------------------------------------------------


def kpi_field_name(kpi_id: int) -> str:
    return f"kpi_{kpi_id}"


class ReturnForm(GovukFormMixin, forms.Form):
    """A period's return: a quantity per KPI (blank while drafting), the narrative, a document of
    evidence, and, when the council queried it, the answer. Numbers are checked by the service
    (``social_value.returns``), which words the refusals next to each field."""

    narrative = forms.CharField(
        label="What was delivered in this period",
        help_text="Tell the council, in your own words, what happened and who benefited. It is published "
        "with the figures once the council accepts the return.",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=10_000,
    )
    file = forms.FileField(
        label="Add evidence",
        help_text="A PDF, Word (.docx), Excel (.xlsx), OpenDocument, PNG or JPEG file",
        required=False,
    )

    def __init__(self, *args: Any, kpis: list[Any], queried: bool = False, max_mb: int = 10, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {}
        for kpi in kpis:
            target = f"Target {kpi.target.normalize():f} {kpi.unit}".strip()
            due = f" by {kpi.due_by:%-d %B %Y}" if kpi.due_by else ""
            fields[kpi_field_name(kpi.pk)] = needed_sometimes(
                forms.CharField(
                    label=f"{kpi.measure}" + (f" ({kpi.unit})" if kpi.unit else ""),
                    help_text=f"{target}{due}. Enter the quantity delivered in this period (0 if none).",
                    required=False,
                    max_length=20,
                    widget=forms.TextInput(attrs={"data-width": "10", "inputmode": "decimal"}),
                )
            )
        if queried:
            fields["answer"] = needed_sometimes(
                forms.CharField(
                    label="Your answer to the council's question",
                    widget=forms.Textarea(attrs={"rows": 4}),
                    required=False,
                    max_length=5000,
                )
            )
        self.fields = {**fields, **self.fields}
        self.fields["file"].help_text = f"{self.fields['file'].help_text}, smaller than {max_mb} MB"
        needed_sometimes(self.fields["narrative"])
        self.kpi_ids = [kpi.pk for kpi in kpis]

    def figures(self) -> dict[int, str]:
        return {kpi_id: self.cleaned_data.get(kpi_field_name(kpi_id), "") for kpi_id in self.kpi_ids}


class VerifyForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("accept", "Accept: the figures are verified"),
            ("query", "Query: ask the provider a question"),
            ("reject", "Reject: the figures are not counted"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to accept, query or reject the return"},
    )
    text = needed_sometimes(
        forms.CharField(
            label="Your question or reason",
            help_text="Needed to query (the question the provider answers) or to reject (the reason they see)",
            widget=forms.Textarea(attrs={"rows": 4}),
            required=False,
            max_length=5000,
        )
    )
