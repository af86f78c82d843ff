"""Forms of evaluation: assigning and removing evaluators, declaring interests in a bidder, the
officer's decision after a recusal, and an evaluator's score sheet (one score and justification
per assigned criterion, with the revision each was read at)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms import BoundField

from commissioning.forms_govuk import GovukFormMixin
from commissioning.models import User
from tenders.models import DESCRIPTOR_SCORES, Criterion, PanelDecision, Scale, Score
from tenders.services.evaluation import JUSTIFICATION_MAX_LENGTH, REASON_MAX_LENGTH, score_field, score_on_scale

__all__ = [
    "AssignEvaluatorForm",
    "DeclarationForm",
    "RecusalDecisionForm",
    "RemoveEvaluatorForm",
    "ScoreRow",
    "ScoreSheetForm",
]

EVERY_CRITERION = ""
PAGE_OUT_OF_DATE = "This page is out of date: copy anything you typed that is not saved, reload the page, and try again"


class AssignEvaluatorForm(GovukFormMixin, forms.Form):
    user = forms.ChoiceField(
        label="Evaluator",
        help_text="Members of the council who hold the evaluator role",
        error_messages={"required": "Choose the evaluator to assign"},
    )
    criterion = forms.ChoiceField(
        label="What they score",
        required=False,
        help_text="For example, a social value specialist scores only the social value questions",
    )
    reason = forms.CharField(
        label="Why are you assigning this evaluator?",
        help_text="An officer changing the evaluators gives the reason, recorded in the audit trail with your name",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for assigning the evaluator"},
    )

    def __init__(
        self,
        *args: Any,
        candidates: Iterable[User],
        criteria: Iterable[Criterion],
        with_reason: bool = False,
        **kwargs: Any,
    ) -> None:
        """``with_reason``: the person assigning is an officer, who gives the reason (the
        commissioner's form has no reason field)."""
        super().__init__(*args, **kwargs)
        if not with_reason:
            del self.fields["reason"]
        self.candidates = {str(user.pk): user for user in candidates}
        self.criteria = {str(criterion.pk): criterion for criterion in criteria}
        cast(forms.ChoiceField, self.fields["user"]).choices = [("", "Choose an evaluator")] + [
            (pk, user.name or user.email) for pk, user in self.candidates.items()
        ]
        cast(forms.ChoiceField, self.fields["criterion"]).choices = [(EVERY_CRITERION, "Every scored criterion")] + [
            (pk, criterion.title) for pk, criterion in self.criteria.items()
        ]

    def clean_user(self) -> User:
        user = self.candidates.get(self.cleaned_data["user"])
        if user is None:
            raise forms.ValidationError("Choose a member of the council who holds the evaluator role")
        return user

    def clean_criterion(self) -> Criterion | None:
        value = self.cleaned_data.get("criterion") or EVERY_CRITERION
        return None if value == EVERY_CRITERION else self.criteria[value]


class RemoveEvaluatorForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why are you removing this evaluator?",
        help_text="Recorded in the audit trail with your name",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reason for removing the evaluator"},
    )


class DeclarationForm(GovukFormMixin, forms.Form):
    has_conflict = forms.ChoiceField(
        label="Do you have a conflict of interest with this bidder?",
        help_text=(
            "For example you, a relative or a close friend work for it, advise it, own part of it or sit on its board"
        ),
        choices=[("no", "No"), ("yes", "Yes")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you have a conflict of interest with this bidder"},
    )
    details = forms.CharField(
        label="Describe the conflict",
        help_text="Needed if you have a conflict. It is the reason recorded for your recusal",
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    scope = forms.ChoiceField(
        label="If you have a conflict, step back from",
        choices=[("bid", "This bid only"), ("tender", "The whole tender")],
        initial="bid",
        required=False,
        widget=forms.RadioSelect,
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("has_conflict") == "yes" and not (data.get("details") or "").strip():
            self.add_error("details", "Describe the conflict of interest")
        return data


class RecusalDecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Does the panel still stand?",
        choices=PanelDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the panel still stands"},
    )
    reason = forms.CharField(
        label="Reason",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reason for the decision"},
    )


@dataclass(frozen=True)
class ScoreRow:
    """One criterion of a score sheet on the page: its fields, bound."""

    criterion: Criterion
    score: BoundField
    number: BoundField | None  # 0 to 100: a number between the descriptors' steps
    justification: BoundField
    revision: BoundField

    @property
    def shown_score(self) -> str:
        """The score as the page shows it once submitted."""
        number = self.number.value() if self.number is not None else None
        return str(number or self.score.value() or "")


def _descriptor_choices(criterion: Criterion) -> list[tuple[str, str]]:
    texts = list(criterion.scoring_descriptors or [])
    scores = DESCRIPTOR_SCORES.get(Scale(criterion.scale), ()) if criterion.scale in Scale.values else ()
    choices = []
    for index, score in enumerate(scores):
        text = str(texts[index]).strip() if index < len(texts) and texts[index] else ""
        choices.append((str(score), f"{score}: {text}" if text else str(score)))
    return choices


class _ScoreFields(forms.Form):
    """Adds the sheet's fields before GovukFormMixin styles them."""

    def __init__(self, *args: Any, criteria: list[Criterion], minimum_length: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        # Which page (a browser tab) is saving: its own autosave is never "another page" (see the view).
        self.fields["page"] = forms.CharField(
            required=False, max_length=40, widget=forms.HiddenInput, initial=secrets.token_urlsafe(12)
        )
        for criterion in criteria:
            self.fields[score_field(criterion.pk, "score")] = forms.ChoiceField(
                label=f"Score for “{criterion.title}”",
                choices=_descriptor_choices(criterion),
                required=False,
                widget=forms.RadioSelect,
            )
            if criterion.scale == Scale.ZERO_TO_HUNDRED:
                self.fields[score_field(criterion.pk, "number")] = forms.CharField(
                    label=f"Or enter a score from 0 to 100 for “{criterion.title}”",
                    required=False,
                    max_length=10,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
                )
            self.fields[score_field(criterion.pk, "justification")] = forms.CharField(
                label=f"Justification for “{criterion.title}”",
                help_text=f"Why this score, against the descriptors: at least {minimum_length} characters to submit",
                required=False,
                max_length=JUSTIFICATION_MAX_LENGTH,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 6}),
            )
            self.fields[score_field(criterion.pk, "revision")] = forms.IntegerField(
                min_value=0, widget=forms.HiddenInput, initial=0, required=False
            )


class ScoreSheetForm(GovukFormMixin, _ScoreFields):
    """The evaluator's scores of one bid. Every field is optional here (a draft may be unfinished);
    submitting checks completeness in the service (errors come back next to each field)."""

    @staticmethod
    def initial_for(criteria: list[Criterion], scores: Mapping[int, Score]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for criterion in criteria:
            saved = scores.get(criterion.pk)
            initial[score_field(criterion.pk, "revision")] = saved.revision if saved else 0
            if saved is None:
                continue
            initial[score_field(criterion.pk, "justification")] = saved.justification
            if saved.score is not None:
                steps = {Decimal(step) for step in DESCRIPTOR_SCORES.get(Scale(criterion.scale), ())}
                if saved.score in steps:
                    initial[score_field(criterion.pk, "score")] = str(int(saved.score))
                else:
                    initial[score_field(criterion.pk, "number")] = f"{saved.score.normalize():f}"
        return initial

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for criterion in self.criteria:
            number_name = score_field(criterion.pk, "number")
            number = (data.get(number_name) or "").strip() if number_name in self.fields else ""
            choice = data.get(score_field(criterion.pk, "score")) or ""
            value: Decimal | None = None
            if number:
                try:
                    value = score_on_scale(number, criterion.scale)
                except ValueError as error:
                    self.add_error(number_name, str(error))
            elif choice:
                value = Decimal(choice)
            data[f"value-{criterion.pk}"] = value
        return data

    def surface_hidden_errors(self) -> None:
        """Every error in words the evaluator can act on, next to a visible field or at the top: an
        error on a hidden field (a revision, the page token) has no field to show it by, and an
        error without words says nothing, so either becomes one message at the top of the page."""
        errors = self.errors  # cleans the form if it was not yet cleaned
        unshown = False
        for name in list(errors):
            hidden = name != NON_FIELD_ERRORS and self.fields[name].widget.is_hidden
            if hidden or not any(str(message).strip() for message in errors[name]):
                del errors[name]
                unshown = True
        if unshown:
            self.add_error(None, PAGE_OUT_OF_DATE)

    def posted(self, criterion: Criterion) -> bool:
        """Whether the post carried any of this criterion's fields (an autosave of part of the page
        leaves the rest alone)."""
        names = ("score", "number", "justification", "revision")
        return any(self.add_prefix(score_field(criterion.pk, name)) in self.data for name in names)

    def value(self, criterion: Criterion) -> Decimal | None:
        return self.cleaned_data.get(f"value-{criterion.pk}")

    def rows(self) -> list[ScoreRow]:
        return [
            ScoreRow(
                criterion=criterion,
                score=self[score_field(criterion.pk, "score")],
                number=self[score_field(criterion.pk, "number")]
                if score_field(criterion.pk, "number") in self.fields
                else None,
                justification=self[score_field(criterion.pk, "justification")],
                revision=self[score_field(criterion.pk, "revision")],
            )
            for criterion in self.criteria
        ]
