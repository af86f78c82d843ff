"""Forms of the award: recommend, decide, suspend, enter the contract; and a bidder's challenge."""

from __future__ import annotations

from typing import Any

from django import forms

from commissioning.forms import MoneyField
from commissioning.forms_govuk import GovukDateField, GovukFormMixin
from social_value.models import ReportingPeriod
from tenders.services.award import REASON_MAX_LENGTH

__all__ = ["ChallengeForm", "ContractForm", "DecideForm", "RecommendForm", "SuspendForm"]

NO_AWARD = "none"


class RecommendForm(GovukFormMixin, forms.Form):
    """Which bid to recommend for the lot (the ranked bids, top first), or no award, and why."""

    bid = forms.ChoiceField(
        label="Which bid do you recommend?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the bid to recommend, or no award"},
    )
    reason = forms.CharField(
        label="Reason",
        help_text=(
            "Needed when you recommend a bid other than the top-ranked one, or no award. The bidders may be told it."
        ),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, bids: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["bid"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [*bids, (NO_AWARD, "No award: do not award this lot")]

    def bid_id(self) -> int | None:
        chosen = self.cleaned_data["bid"]
        return None if chosen == NO_AWARD else int(chosen)


class DecideForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve the award and publish the award notice"), ("send_back", "Send it back")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you approve the award or send it back"},
    )
    comment = forms.CharField(
        label="Comment",
        help_text="Needed when you send the recommendation back: say what should change.",
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "send_back" and not (data.get("comment") or "").strip():
            self.add_error("comment", "Enter what the commissioner should change")
        return data


class SuspendForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why are you suspending the award?",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reason for suspending the award"},
    )


class ContractForm(GovukFormMixin, forms.Form):
    value = MoneyField(label="Contract value", help_text="In pounds, the whole contract.")
    reporting_period = forms.ChoiceField(
        label="How often does the provider report on its social value KPIs?",
        choices=ReportingPeriod.choices,
        initial=ReportingPeriod.QUARTERLY,
        widget=forms.RadioSelect,
        help_text="The provider sends a delivery return for each period",
        error_messages={
            "required": "Select how often the provider reports on its social value KPIs",
            "invalid_choice": "Select how often the provider reports on its social value KPIs",
        },
    )
    start_date = GovukDateField(
        label="Start date",
        help_text="For example 1 4 2027",
        error_messages={"required": "Enter the start date"},
    )
    end_date = GovukDateField(
        label="End date",
        help_text="For example 31 3 2029",
        error_messages={"required": "Enter the end date"},
    )

    field_order = ["value", "start_date", "end_date", "reporting_period"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be the same as or after the start date")
        return data


class ChallengeForm(GovukFormMixin, forms.Form):
    bid = forms.ChoiceField(
        label="Which of your organisations' bids?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the bid you challenge the award for"},
    )
    reasons = forms.CharField(
        label="Your reasons",
        help_text="Say what you think is wrong with the award and why. The council's officers read it.",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the reasons for your challenge"},
    )

    def __init__(self, *args: Any, bids: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["bid"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = bids
        if len(bids) == 1:
            self.fields["bid"].initial = bids[0][0]
            self.fields["bid"].widget = forms.HiddenInput()
