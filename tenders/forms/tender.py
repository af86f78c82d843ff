"""Forms of a tender: its details, its timetable and its lots."""

from __future__ import annotations

from typing import Any

from django import forms

from commissioning.forms import MoneyField
from commissioning.forms_govuk import GovukDateField, GovukFormMixin
from tenders.calendar import MINIMUM_STANDSTILL_DAYS
from tenders.forms.shared import standstill_days_field
from tenders.timetable import timetable_problems

# --- Tenders, lots and the evaluation model ------------------------------------------------------

DATETIME_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label: str, what: str) -> GovukDateField:
    """A date and time in UK time (Europe/London), in GOV.UK's date input with a time box."""
    return GovukDateField(
        label=label, required=False, with_time=True, help_text="UK time. For example, 8 1 2027 and 12:00 for midday."
    )


class TenderForm(GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, help_text="What bidders will see, for example Community navigation service"
    )
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the service is for and who it serves",
    )
    estimated_value = MoneyField(
        label="Estimated value",
        help_text=(
            "The whole contract, over its whole life, including VAT. This decides its band in the local spend policy."
        ),
    )
    procedure = forms.ChoiceField(
        label="Procedure",
        choices=[
            ("open", "Open procedure"),
            ("quick_quote", "Below-threshold quick quote"),
        ],
        widget=forms.RadioSelect,
        initial="open",
    )


class TimetableForm(GovukFormMixin, forms.Form):
    clarification_deadline = _datetime_field("Clarification deadline", "clarification deadline")
    submission_deadline = _datetime_field("Submission deadline", "submission deadline")
    planned_award_date = GovukDateField(
        label="Planned award date",
        required=False,
        help_text=(
            "The day you plan to publish the contract award notice, for example 15 2 2027. Standstill begins that day."
        ),
    )
    standstill_days = standstill_days_field(
        f"At least {MINIMUM_STANDSTILL_DAYS} working days. Weekends and bank holidays do not count."
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        problems = timetable_problems(
            clarification_deadline=data.get("clarification_deadline"),
            submission_deadline=data.get("submission_deadline"),
        )
        for problem in problems:
            self.add_error(problem.field, problem.message)
        return data


class LotForm(GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Huyton and Prescot. Lots are numbered for you, so leave out “Lot 1”.",
    )
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    estimated_value = MoneyField(label="Estimated value", required=False, help_text="Leave empty if not known yet")
