"""What the tenders forms share: rows numbered from 1, and amounts written as people write them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from tenders import eligibility


def amount_text(amount: Decimal) -> str:
    """5000.00 -> "5,000" (as people write it; the field reads it back)."""
    return eligibility.money(amount).removeprefix("£")


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
