"""Forms of the evaluation model: its criteria (a formset) and the rationale for the weighting."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms

from commissioning.forms_govuk import GovukFormMixin, needed_sometimes
from tenders.evaluation_model import MAXIMUM_WORD_LIMIT, CriterionSpec
from tenders.forms.shared import NumberedRowsFormSet
from tenders.models import DESCRIPTOR_SCORES, PriceFormula, Scale, TieBreak

KIND_CRITERION_CHOICES = [
    ("", "Choose a kind"),
    ("quality", "Quality"),
    ("price", "Price"),
    ("social_value", "Social value"),
    ("citizen_panel", "Citizen panel"),
]
SCALE_CHOICES = [("0-5", "0 to 5"), ("0-100", "0 to 100")]


class CriterionForm(GovukFormMixin, forms.Form):
    """One criterion of the evaluation model. ``number`` (from 1) names it; parts point at an earlier number."""

    def __init__(
        self, *args: Any, number: int = 1, outcome_choices: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        self.number = number
        super().__init__(*args, **kwargs)
        self.fields["title"] = forms.CharField(
            label="Name",
            max_length=200,
            error_messages={"required": f"Enter the name of criterion {number}"},
        )
        self.fields["kind"] = forms.ChoiceField(
            label="Kind",
            choices=KIND_CRITERION_CHOICES,
            error_messages={"required": f"Select the kind of criterion {number}"},
        )
        self.fields["weight"] = forms.DecimalField(
            label="Weight, in percent of the whole score",
            min_value=Decimal(0),
            max_value=Decimal(100),
            max_digits=5,
            decimal_places=2,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "data-width": "4"}),
            error_messages={
                "required": f"Enter the weight of criterion {number}",
                "invalid": f"Enter the weight of criterion {number} as a number, like 30 or 12.5",
                "min_value": f"The weight of criterion {number} must be 0 or more",
                "max_value": f"The weight of criterion {number} must be 100 or less",
                "max_digits": f"The weight of criterion {number} must be 100 or less",
                "max_whole_digits": f"The weight of criterion {number} must be 100 or less",
                "max_decimal_places": f"Give the weight of criterion {number} to at most 2 decimal places",
            },
        )
        self.fields["part_of"] = forms.ChoiceField(
            label="Part of",
            required=False,
            choices=[("", "Not part of another criterion")] + [(str(n), f"Criterion {n}") for n in range(1, number)],
            help_text="A part's weight counts inside the criterion it belongs to, which it must add up to",
        )
        self.fields["scale"] = forms.ChoiceField(label="Scoring scale", choices=SCALE_CHOICES, initial="0-5")
        self.fields["minimum_score"] = forms.DecimalField(
            label="Minimum pass score",
            required=False,
            min_value=Decimal(0),
            max_value=Decimal(100),
            max_digits=5,
            decimal_places=2,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "data-width": "4"}),
            help_text="A bid scoring less than this fails. Leave empty for none.",
            error_messages={
                "invalid": f"Enter the minimum pass score of criterion {number} as a number, like 2",
                "min_value": f"The minimum pass score of criterion {number} must be 0 or more",
                "max_value": f"The minimum pass score of criterion {number} must be 100 or less",
                "max_digits": f"The minimum pass score of criterion {number} must be 100 or less",
                "max_whole_digits": f"The minimum pass score of criterion {number} must be 100 or less",
                "max_decimal_places": f"Give the minimum pass score of criterion {number} to at most 2 decimal places",
            },
        )
        self.fields["question"] = forms.CharField(
            label="The question bidders answer",
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text="For example, How will you reach residents who do not use digital services? "
            "Leave empty to ask the criterion's name as the question.",
            error_messages={"max_length": f"The question of criterion {number} must be 2,000 characters or fewer"},
        )
        self.fields["guidance"] = forms.CharField(
            label="Guidance for bidders and evaluators",
            required=False,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text="What a good answer covers. Shown to bidders under the question, as plain text.",
            error_messages={"max_length": f"The guidance of criterion {number} must be 5,000 characters or fewer"},
        )
        self.fields["word_limit"] = forms.IntegerField(
            label="Word limit",
            required=False,
            min_value=1,
            max_value=MAXIMUM_WORD_LIMIT,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "data-width": "5"}),
            help_text="The most words an answer may have. Leave empty for no limit.",
            error_messages={
                "invalid": f"Enter the word limit of criterion {number} as a whole number, like 500",
                "min_value": f"The word limit of criterion {number} must be at least 1",
                "max_value": f"The word limit of criterion {number} must be {MAXIMUM_WORD_LIMIT:,} or fewer",
            },
        )
        self.fields["attachments_allowed"] = forms.BooleanField(
            label="Bidders may attach documents to their answer", required=False, initial=True
        )
        if outcome_choices:
            # The council's social value framework outcomes ("Theme: outcome"): a social value
            # criterion names those it asks about; bidders commit to their measures first.
            self.fields["framework_outcomes"] = forms.MultipleChoiceField(
                label="Outcomes of the social value framework this criterion asks about",
                required=False,
                choices=outcome_choices,
                widget=forms.CheckboxSelectMultiple,
                help_text="Social value criteria only. Bidders see these outcomes and their measures, "
                "and choose those measures first for their commitments.",
                error_messages={
                    "invalid_choice": f"Choose outcomes of the council's social value framework for criterion {number}"
                },
            )
        for index, score in enumerate(self.descriptor_scores()):
            self.fields[f"descriptor_{index}"] = forms.CharField(
                label=f"What a score of {score} means",
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "max_length": f"What a score of {score} means, in criterion {number}, "
                    "must be 1,000 characters or fewer"
                },
            )

    QUESTION_FIELDS = ("question", "guidance", "word_limit", "attachments_allowed")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("framework_outcomes") and data.get("kind") and data.get("kind") != "social_value":
            self.add_error(
                "framework_outcomes",
                f"Only a social value criterion names framework outcomes: untick them for criterion {self.number}, "
                "or make it a social value criterion",
            )
        return data

    def outcomes_field(self) -> Any:
        return self["framework_outcomes"] if "framework_outcomes" in self.fields else None

    def framework_outcome_ids(self) -> tuple[int, ...]:
        return tuple(int(value) for value in self.cleaned_data.get("framework_outcomes") or ())

    def has_changed(self) -> bool:
        # An empty extra row stays empty when only its ticked-by-default box is untouched or unticked.
        return any(name != "attachments_allowed" for name in self.changed_data)

    def descriptor_scores(self) -> tuple[int, ...]:
        """The scores the descriptors describe, on the scale sent (or saved): 0 to 5, or 0, 20, ... 100."""
        scale = self.data.get(self.add_prefix("scale")) if self.is_bound else self.initial.get("scale")
        # The scale sent is a str, which Scale (a str enum) finds as a key.
        return DESCRIPTOR_SCORES.get(scale, DESCRIPTOR_SCORES[Scale.ZERO_TO_FIVE])  # type: ignore[arg-type]

    def main_fields(self) -> list[Any]:
        hidden = {
            *self.QUESTION_FIELDS,
            "framework_outcomes",
            *(name for name in self.fields if name.startswith("descriptor_")),
        }
        return [field for field in self.visible_fields() if field.name not in hidden]

    def question_fields(self) -> list[Any]:
        return [self[name] for name in self.QUESTION_FIELDS]

    def descriptor_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("descriptor_")]

    def question_has_errors(self) -> bool:
        return any(field.errors for field in [*self.question_fields(), *self.descriptor_fields()])

    def descriptors(self) -> tuple[str, ...]:
        return tuple(self.cleaned_data.get(f"descriptor_{i}", "") for i in range(len(self.descriptor_scores())))

    @staticmethod
    def initial_for_descriptors(descriptors: list[str]) -> dict[str, str]:
        return {f"descriptor_{index}": text for index, text in enumerate(descriptors)}


class BaseCriterionFormSet(NumberedRowsFormSet):
    """The criteria as rows; ``specs()`` turns them into the tree the service saves."""

    row_noun = "criterion"

    def clean(self) -> None:
        if any(self.errors):
            return
        kept = {form.number: form for form in self.kept_forms()}
        for form in kept.values():
            part_of = form.cleaned_data.get("part_of")
            if part_of and int(part_of) not in kept:
                form.add_error(
                    "part_of",
                    f"Criterion {part_of} is empty or removed: "
                    f"choose another criterion for criterion {form.number} to be part of",
                )

    def specs(self) -> list[Any]:
        kept = self.kept_forms()
        children: dict[int | None, list[CriterionForm]] = {}
        for form in kept:
            part_of = form.cleaned_data.get("part_of")
            children.setdefault(int(part_of) if part_of else None, []).append(form)

        def build(parent: int | None) -> tuple[CriterionSpec, ...]:
            return tuple(
                CriterionSpec(
                    title=form.cleaned_data["title"],
                    kind=form.cleaned_data["kind"],
                    weight=form.cleaned_data["weight"],
                    guidance=form.cleaned_data.get("guidance", ""),
                    scale=form.cleaned_data["scale"],
                    minimum_score=form.cleaned_data.get("minimum_score"),
                    parts=build(form.number),
                    question=form.cleaned_data.get("question", ""),
                    word_limit=form.cleaned_data.get("word_limit"),
                    attachments_allowed=bool(form.cleaned_data.get("attachments_allowed")),
                    scoring_descriptors=form.descriptors(),
                    framework_outcomes=form.framework_outcome_ids(),
                )
                for form in children.get(parent, [])
            )

        return list(build(None))


# The stubs give formset_factory BaseFormSet, not the class passed as ``formset``.
CriterionFormSet = cast(
    "type[BaseCriterionFormSet]",
    forms.formset_factory(
        CriterionForm, formset=BaseCriterionFormSet, extra=3, can_delete=True, can_delete_extra=False, max_num=30
    ),
)


class RationaleForm(GovukFormMixin, forms.Form):
    weighting_rationale = forms.CharField(
        label="Why these weights",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The written rationale for the weighting: an approver and, later, bidders and auditors read it",
        error_messages={"required": "Explain why the criteria have these weights"},
    )
    # The model's settings, fixed at publication with the weights and shown on the notice.
    blind_evaluation = forms.BooleanField(
        label="Blind evaluation of quality and social value",
        required=False,
        help_text=(
            "Evaluators and moderators see bids as Bid A, Bid B… and no prices until the moderated scores are locked"
        ),
    )
    price_formula = needed_sometimes(
        forms.ChoiceField(
            label="How price is scored",
            choices=PriceFormula.choices,
            initial=PriceFormula.RELATIVE_TO_LOWEST,
            required=False,  # left unanswered: the setting stays as it is
            widget=forms.RadioSelect,
            help_text=(
                "Relative to the lowest: the lowest price divided by the bid's price, times the price weight. "
                "Linear against the budget: the lowest price gets the full weight and each pound above it costs the "
                "same share of the weight, measured against the estimated value."
            ),
            error_messages={"required": "Select how price is scored", "invalid_choice": "Select how price is scored"},
        )
    )
    tie_break = needed_sometimes(
        forms.ChoiceField(
            label="How equal total scores are settled",
            choices=TieBreak.choices,
            initial=TieBreak.QUALITY_SOCIAL_VALUE_PRICE,
            required=False,  # left unanswered: the setting stays as it is
            widget=forms.RadioSelect,
            error_messages={
                "required": "Select how equal total scores are settled",
                "invalid_choice": "Select how equal total scores are settled",
            },
        )
    )
