"""Forms of clarification questions: a provider's question, the council's answer."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from commissioning.forms_govuk import GovukFormMixin
from commissioning.models import Organisation

__all__ = [
    "QuestionForm",
    "AnswerForm",
]


class QuestionForm(GovukFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label="Asking for",
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of your organisations", "required": "Choose your organisation"},
    )
    question = forms.CharField(
        label="Your question",
        max_length=5000,
        help_text="The council publishes its answer to every bidder, without saying who asked",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter your question"},
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations


class AnswerForm(GovukFormMixin, forms.Form):
    published_question = forms.CharField(
        label="The question as it will be published",
        required=False,
        max_length=5000,
        help_text="Remove anything that says who asked",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    answer = forms.CharField(label="Answer", required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 6}))
