"""Forms of the tenders app: the spend policy bands (a formset), the tender policy, the eligibility checker."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.html import escape
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import ProseEditorWidget

from commissioning.forms import MoneyField
from commissioning.forms_govuk import GovukDateField, GovukFormMixin
from commissioning.models import Organisation
from tenders import eligibility
from tenders.calendar import MINIMUM_STANDSTILL_DAYS
from tenders.models import DESCRIPTOR_SCORES, Scale
from tenders.services.evaluation_model import MAXIMUM_WORD_LIMIT

KIND_CHOICES = [(eligibility.VCSE, "VCSE organisations"), (eligibility.SME, "SMEs (fewer than 250 staff)")]
PROBLEM_FIELDS = {"lower": "lower_bound", "upper": "upper_bound"}


def amount_text(amount: Decimal) -> str:
    """5000.00 -> "5,000" (as people write it; the field reads it back)."""
    return eligibility.money(amount).removeprefix("£")


class BandForm(GovukFormMixin, forms.Form):
    """One value band. ``number`` (from 1) names the band in its legend and its error messages."""

    def __init__(self, *args: Any, number: int = 1, **kwargs: Any) -> None:
        self.number = number
        super().__init__(*args, **kwargs)
        self.fields["label"] = forms.CharField(
            label="Name",
            required=False,
            max_length=100,
            help_text="For example, Low value. Leave empty to name the band by its values.",
        )
        self.fields["lower_bound"] = MoneyField(
            what=f"the amount band {number} starts from",
            allow_zero=True,
            label="From",
            help_text="Contracts worth this much are in this band",
        )
        self.fields["upper_bound"] = MoneyField(
            what=f"the amount band {number} goes up to",
            allow_zero=True,
            label="Up to",
            required=False,
            help_text="Contracts worth this much are in the next band. Leave empty in the last band.",
        )
        self.fields["reserved_for_local"] = forms.BooleanField(
            label="Reserved for organisations based in the local area",
            required=False,
            help_text="Only organisations registered or operating in the council's postcode districts may bid",
        )
        self.fields["reserved_for"] = forms.MultipleChoiceField(
            label="Reserved for these kinds of organisation",
            choices=KIND_CHOICES,
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text="Only these may bid. Leave both empty to let any kind of organisation bid.",
        )
        self.fields["welcome"] = forms.MultipleChoiceField(
            label="Say on the notice that these are welcome",
            choices=KIND_CHOICES,
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text="This excludes nobody: it only invites them",
        )

    def to_band(self) -> eligibility.Band:
        data = self.cleaned_data
        return eligibility.Band(
            lower=data["lower_bound"],
            upper=data.get("upper_bound"),
            reserved_for_local=bool(data.get("reserved_for_local")),
            reserved_for=frozenset(data.get("reserved_for") or ()),
            welcome=frozenset(data.get("welcome") or ()),
            label=data.get("label", "").strip(),
        )

    @staticmethod
    def initial_for(band: eligibility.Band) -> dict[str, Any]:
        return {
            "label": band.label,
            "lower_bound": amount_text(band.lower),
            "upper_bound": amount_text(band.upper) if band.upper is not None else "",
            "reserved_for_local": band.reserved_for_local,
            "reserved_for": sorted(band.reserved_for),
            "welcome": sorted(band.welcome),
        }


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


class BaseBandFormSet(NumberedRowsFormSet):
    """The bands, checked together by ``eligibility.band_problems``; each problem is shown on its band's field."""

    row_noun = "band"

    def clean(self) -> None:
        if any(self.errors):
            return
        kept = self.kept_forms()
        bands = [form.to_band() for form in kept]
        for problem in eligibility.band_problems(bands, numbers=[form.number for form in kept]):
            field = PROBLEM_FIELDS.get(problem.field or "")
            if problem.index is not None and field:
                kept[problem.index].add_error(field, problem.message)
            else:
                raise forms.ValidationError(problem.message)

    def bands(self) -> list[eligibility.Band]:
        return [form.to_band() for form in self.kept_forms()]


BandFormSet = forms.formset_factory(
    BandForm, formset=BaseBandFormSet, extra=1, can_delete=True, can_delete_extra=False, max_num=20
)


class EffectiveDateForm(GovukFormMixin, forms.Form):
    effective_from = GovukDateField(
        label="Date the bands take effect",
        help_text="Today or later, for example 1 4 2027. Tenders already advertised keep the bands they had.",
        error_name="The date the bands take effect",
        error_messages={"required": "Enter the date the bands take effect"},
    )

    def clean_effective_from(self) -> Any:
        day = self.cleaned_data["effective_from"]
        if day < timezone.localdate():
            raise forms.ValidationError("The date the bands take effect must be today or in the future")
        return day


class TenderPolicyForm(GovukFormMixin, forms.Form):
    minimum_social_value_weight = forms.DecimalField(
        label="Minimum social value weight, in percent",
        help_text="Every evaluation model must give social value at least this share of the score. The default is 10.",
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "data-width": "4"}),
        error_messages={
            "required": "Enter the minimum social value weight",
            "invalid": "Enter the minimum social value weight as a number, like 10 or 12.5",
            "min_value": "The minimum social value weight must be 0 or more",
            "max_value": "The minimum social value weight must be 100 or less",
            "max_digits": "The minimum social value weight must be 100 or less",
            "max_whole_digits": "The minimum social value weight must be 100 or less",
            "max_decimal_places": "Give the minimum social value weight to at most 2 decimal places",
        },
    )
    standstill_days = forms.IntegerField(
        label="Standstill period, in working days",
        help_text=(
            f"At least {MINIMUM_STANDSTILL_DAYS} working days (Procurement Act 2023, section 51). "
            "Weekends and bank holidays do not count."
        ),
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


class EligibilityCheckForm(GovukFormMixin, forms.Form):
    """The public "Check if you are eligible" form: a value and, for a signed-in provider, their organisation."""

    estimated_value = MoneyField(
        what="the estimated value of the contract",
        label="Estimated value of the contract",
        help_text="The whole contract, including VAT, for example 20,000",
    )
    organisation = forms.ModelChoiceField(
        label="Your organisation",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Do not check an organisation",
        error_messages={"invalid_choice": "Select one of your organisations"},
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations


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
    standstill_days = forms.IntegerField(
        label="Standstill period, in working days",
        help_text=f"At least {MINIMUM_STANDSTILL_DAYS} working days. Weekends and bank holidays do not count.",
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

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        clarification, submission = data.get("clarification_deadline"), data.get("submission_deadline")
        if clarification and submission and clarification >= submission:
            self.add_error(
                "clarification_deadline", "The clarification deadline must be before the submission deadline"
            )
        return data


class LotForm(GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Huyton and Prescot. Lots are numbered for you, so leave out “Lot 1”.",
    )
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    estimated_value = MoneyField(label="Estimated value", required=False, help_text="Leave empty if not known yet")


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

    def __init__(self, *args: Any, number: int = 1, **kwargs: Any) -> None:
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

    def has_changed(self) -> bool:
        # An empty extra row stays empty when only its ticked-by-default box is untouched or unticked.
        return any(name != "attachments_allowed" for name in self.changed_data)

    def descriptor_scores(self) -> tuple[int, ...]:
        """The scores the descriptors describe, on the scale sent (or saved): 0 to 5, or 0, 20, ... 100."""
        scale = self.data.get(self.add_prefix("scale")) if self.is_bound else self.initial.get("scale")
        return DESCRIPTOR_SCORES.get(scale, DESCRIPTOR_SCORES[Scale.ZERO_TO_FIVE])  # type: ignore[call-overload]

    def main_fields(self) -> list[Any]:
        hidden = {*self.QUESTION_FIELDS, *(name for name in self.fields if name.startswith("descriptor_"))}
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
        from tenders.services import CriterionSpec

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
                )
                for form in children.get(parent, [])
            )

        return list(build(None))


CriterionFormSet = forms.formset_factory(
    CriterionForm, formset=BaseCriterionFormSet, extra=3, can_delete=True, can_delete_extra=False, max_num=30
)


class RationaleForm(GovukFormMixin, forms.Form):
    weighting_rationale = forms.CharField(
        label="Why these weights",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The written rationale for the weighting: an approver and, later, bidders and auditors read it",
        error_messages={"required": "Explain why the criteria have these weights"},
    )


# --- The specification and the clause library ---------------------------------------------------

# Hints are escaped unless they are SafeStrings: escape() makes one whose tag names are read, not run.
BODY_HELP = escape(
    "Write in HTML: paragraphs in <p>, lists in <ul> or <ol> with <li>, <strong>, <em>, headings <h3> and "
    "<h4>, links and <blockquote>. Anything else is removed when the section is saved."
)


SECTION_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "HardBreak": True,
    "Heading": {"levels": [3, 4]},
    "Link": {"enableTarget": False},
    "Blockquote": True,
}
SECTION_BODY_HELP = escape(
    "Use the buttons above the text for headings, bold, italic, lists, links and quotes. Without "
    "JavaScript, write in HTML: paragraphs in <p>, lists in <ul> or <ol> with <li>, <strong>, <em>, "
    "headings <h3> and <h4>, links and <blockquote>. Anything else is removed when the section is saved."
)


class SectionForm(GovukFormMixin, forms.Form):
    """One section of the specification, prefixed by its id so many can share the page."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title = forms.CharField(
        label="Section title", max_length=200, error_messages={"required": "Enter a title for the section"}
    )
    # The rich-text editor (django-prose-editor) offers only what our sanitiser keeps
    # (tenders.specification.ALLOWED_TAGS); without JavaScript it is the plain HTML textarea.
    # The service sanitises with nh3 on every save whatever the browser sent.
    body = ProseEditorFormField(
        label="Text",
        required=False,
        strip=False,
        widget=ProseEditorWidget(attrs={"rows": 10}),
        help_text=SECTION_BODY_HELP,
        config={"extensions": SECTION_EDITOR_EXTENSIONS},
    )
    clause = forms.ModelChoiceField(
        label="Clause to insert at the end of this section",
        queryset=None,
        required=False,
        empty_label="Choose a clause",
        error_messages={"invalid_choice": "Choose a clause from the council's library"},
    )

    def __init__(self, *args: Any, section: Any, clauses: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"section-{section.pk}")
        kwargs.setdefault("initial", {"revision": section.revision, "title": section.title, "body": section.body})
        super().__init__(*args, **kwargs)
        self.section = section
        self.fields["clause"].queryset = clauses


class NewSectionForm(GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="Title of the new section",
        max_length=200,
        help_text="For example, Outcomes",
        error_messages={"required": "Enter a title for the new section"},
    )


class VersionForm(GovukFormMixin, forms.Form):
    note = forms.CharField(
        label="What changed in this version",
        max_length=300,
        required=False,
        help_text="For example, Outcomes agreed with residents",
        error_messages={"max_length": "The note must be 300 characters or fewer"},
    )


class ClauseForm(GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Rooted in the community",
        error_messages={"required": "Enter a title for the clause"},
    )
    category = forms.CharField(
        label="Category", max_length=100, required=False, help_text="For example, Community or Social value"
    )
    body = forms.CharField(
        label="Text of the clause",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=BODY_HELP,
        error_messages={"required": "Enter the text of the clause"},
    )
    active = forms.BooleanField(
        label="Offer this clause in specifications",
        required=False,
        initial=True,
        help_text="Untick to keep it in the library without offering it",
    )
