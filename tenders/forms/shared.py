"""What the tenders forms share: rows numbered from 1, amounts written as people write them, and
the fields several forms ask (the standstill period, the eligibility a band or an override reserves)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from tenders import eligibility
from tenders.calendar import MINIMUM_STANDSTILL_DAYS


def amount_text(amount: Decimal) -> str:
    """5000.00 -> "5,000" (as people write it; the field reads it back)."""
    return eligibility.money(amount).removeprefix("£")


KIND_CHOICES = [(eligibility.VCSE, "VCSE organisations"), (eligibility.SME, "SMEs (fewer than 250 staff)")]


def local_area_field() -> forms.BooleanField:
    """Reserved for organisations based in the council's area (a band, or an override)."""
    return forms.BooleanField(
        label="Reserved for organisations based in the local area",
        required=False,
        help_text="Only organisations registered or operating in the council's postcode districts may bid",
    )


def kinds_field(label: str, help_text: str) -> forms.MultipleChoiceField:
    """Kinds of organisation (VCSE, SME) to tick, none required."""
    return forms.MultipleChoiceField(
        label=label, choices=KIND_CHOICES, widget=forms.CheckboxSelectMultiple, required=False, help_text=help_text
    )


def standstill_days_field(help_text: str) -> forms.IntegerField:
    """The standstill period in working days (the council's default, and a tender's own)."""
    return forms.IntegerField(
        label="Standstill period, in working days",
        help_text=help_text,
        min_value=MINIMUM_STANDSTILL_DAYS,
        max_value=60,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "data-width": "3"}),
        error_messages={
            "required": "Enter the standstill period in working days",
            "invalid": "Enter the standstill period as a whole number of working days, like 8",
            "min_value": f"The standstill period must be at least {MINIMUM_STANDSTILL_DAYS} working days",
            "max_value": "The standstill period must be 60 working days or fewer",
        },
    )


class NumberedRowsFormSet(forms.BaseFormSet):
    """Rows numbered from 1 ("Band 2", "Remove criterion 3"); each form takes its ``number``."""

    row_noun = "row"

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        kwargs["number"] = (index or 0) + 1
        return kwargs

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            label = f"Remove {self.row_noun} {(index or 0) + 1}"
            form.fields["DELETE"] = forms.BooleanField(label=label, required=False)

    def kept_forms(self) -> list[Any]:
        """The rows to save: filled in and not removed, in the order shown."""
        return [
            form
            for form in self.forms
            if form.cleaned_data and not (self.can_delete and self._should_delete_form(form))  # type: ignore[attr-defined]
        ]
