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
    # Required for a non-compliant bid and for a change of decision (set in full_clean), so the
    # label does not say "(optional)" to someone about to mark a bid non-compliant.
    reason = forms.CharField(
        label="Reason",
        help_text=(
            "Needed for a non-compliant bid, and when you change an earlier decision. The provider may be told it."
        ),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, current: str = Compliance.UNCHECKED, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = current

    def full_clean(self) -> None:
        if self.is_bound:
            decision = self.data.get(self.add_prefix("compliance"))
            reason = self.fields["reason"]
            if decision == Compliance.NON_COMPLIANT:
                reason.required = True
                reason.error_messages["required"] = "Enter the reason the bid is not compliant"
            elif decision == Compliance.COMPLIANT and self.current not in (Compliance.UNCHECKED, decision):
                reason.required = True
                reason.error_messages["required"] = "Enter the reason for changing the decision"
            else:
                reason.required = False
        super().full_clean()
