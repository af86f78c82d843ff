"""Forms of moderation and prices: the agreed scores of one bid, a change after the lock, an
officer's decision on it, and the decision on an abnormally low price."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from commissioning.forms_govuk import GovukFormMixin, needed_sometimes
from tenders.models import AbnormallyLowDecision, Criterion, ScoreChangeDecision
from tenders.selectors.moderation import criterion_maximum
from tenders.services.moderation import RATIONALE_MAX_LENGTH
from tenders.services.prices import REVIEW_TEXT_MAX_LENGTH

__all__ = ["ModeratedBidForm", "ScoreChangeRequestForm", "ScoreChangeDecisionForm", "AbnormallyLowForm"]


def _score_field(criterion: Criterion, *, label: str, required: bool) -> forms.DecimalField:
    maximum = criterion_maximum(criterion)
    message = f"Enter a score from 0 to {maximum:f}"
    field = forms.DecimalField(
        label=label,
        help_text=f"From 0 to {maximum:f}",
        min_value=Decimal(0),
        max_value=maximum,
        decimal_places=2,
        required=required,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "data-width": "4"}),
        error_messages={
            "required": message,
            "invalid": message,
            "min_value": message,
            "max_value": message,
            "max_decimal_places": "Enter a score with at most 2 decimal places",
        },
    )
    return field


class ModeratedBidForm(GovukFormMixin, forms.Form):
    """The agreed score and rationale of one bid on each scored criterion. A criterion left wholly
    empty is skipped (agree it later); a score needs its rationale and a rationale its score."""

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = needed_sometimes(
                _score_field(criterion, label=f"Agreed score for “{criterion.title}”", required=False)
            )
            self.fields[f"rationale_{criterion.pk}"] = needed_sometimes(
                forms.CharField(
                    label=f"Rationale for “{criterion.title}”",
                    help_text="Why the panel agreed this score, referring to the evidence in the bid",
                    max_length=RATIONALE_MAX_LENGTH,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for criterion in self.criteria:
            score, rationale = f"score_{criterion.pk}", f"rationale_{criterion.pk}"
            has_score = data.get(score) is not None
            has_rationale = bool((data.get(rationale) or "").strip())
            if has_score and not has_rationale:
                self.add_error(rationale, f"Enter the rationale for the agreed score on “{criterion.title}”")
            elif has_rationale and not has_score and score not in self.errors:
                self.add_error(score, f"Enter the agreed score for “{criterion.title}”")
        return data

    def agreed(self) -> list[tuple[Criterion, Decimal, str]]:
        """The (criterion, score, rationale) entered, after validation."""
        rows = []
        for criterion in self.criteria:
            score = self.cleaned_data.get(f"score_{criterion.pk}")
            if score is not None:
                rows.append((criterion, score, self.cleaned_data.get(f"rationale_{criterion.pk}", "")))
        return rows


class ScoreChangeRequestForm(GovukFormMixin, forms.Form):
    criterion = forms.TypedChoiceField(
        label="Which criterion?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the criterion whose score should change"},
    )
    score = forms.DecimalField(
        label="New score",
        min_value=Decimal(0),
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "data-width": "4"}),
        error_messages={"required": "Enter the new score", "invalid": "Enter the new score as a number"},
    )
    rationale = forms.CharField(
        label="New rationale",
        max_length=RATIONALE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the rationale for the new score"},
    )
    reason = forms.CharField(
        label="Reason for the change",
        help_text="An officer reads this before approving or rejecting the change",
        max_length=RATIONALE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for the change"},
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [(c.pk, c.title) for c in criteria]  # type: ignore[attr-defined]


class ScoreChangeDecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            (ScoreChangeDecision.APPROVED.value, "Approve: the new score and rationale replace the agreed ones"),
            (ScoreChangeDecision.REJECTED.value, "Reject: the agreed score stays"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to approve or reject the change"},
    )
    comment = needed_sometimes(
        forms.CharField(
            label="Comment",
            help_text="Needed when you reject the change",
            max_length=RATIONALE_MAX_LENGTH,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == ScoreChangeDecision.REJECTED and not (data.get("comment") or "").strip():
            self.add_error("comment", "Enter the reason for rejecting the change")
        return data


class AbnormallyLowForm(GovukFormMixin, forms.Form):
    explanation = forms.CharField(
        label="The provider's explanation",
        help_text="What the provider said when asked to explain the price",
        max_length=REVIEW_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the provider's explanation of the price"},
    )
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            (AbnormallyLowDecision.ACCEPT.value, "Accept the price"),
            (AbnormallyLowDecision.EXCLUDE.value, "Exclude the bid"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to accept the price or exclude the bid"},
    )
    reason = forms.CharField(
        label="Reason for the decision",
        max_length=REVIEW_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for the decision"},
    )
