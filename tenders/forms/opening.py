"""Forms of bid opening on the council side."""

from __future__ import annotations

from typing import Any

from django import forms

from commissioning.forms_govuk import GovukFormMixin
from tenders.models import Compliance
from tenders.services.opening import REASON_MAX_LENGTH

__all__ = ["ComplianceForm"]


class ComplianceForm(GovukFormMixin, forms.Form):
    compliance = forms.ChoiceField(
        label="Is the bid compliant?",
        choices=[
            (Compliance.COMPLIANT.value, "Compliant: the declarations are made and the organisation is eligible"),
            (Compliance.NON_COMPLIANT.value, "Non-compliant: the bid will not be evaluated"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the bid is compliant or non-compliant"},
    )
    reason = forms.CharField(
        label="Reason",
        help_text=(
            "Needed for a non-compliant bid, and when you change an earlier decision. The provider may be told it."
        ),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, current: str = Compliance.UNCHECKED, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = current

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        decision, reason = data.get("compliance"), (data.get("reason") or "").strip()
        if decision == Compliance.NON_COMPLIANT and not reason:
            self.add_error("reason", "Enter the reason the bid is not compliant")
        elif decision and self.current != Compliance.UNCHECKED and decision != self.current and not reason:
            self.add_error("reason", "Enter the reason for changing the decision")
        return data
