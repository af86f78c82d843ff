"""Forms of bids on the provider side: the opportunity finder's filters and each task of a bid.

Every bid form carries the draft's ``revision`` (hidden), so a save from a stale page is refused
and the page shows the typed text again.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms.utils import flatatt
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from commissioning.forms import MoneyField
from commissioning.forms_govuk import GovukDateField, GovukFormMixin, needed_sometimes
from tenders import exclusion
from tenders.bid_problems import word_count
from tenders.forms.shared import NumberedRowsFormSet, amount_text
from tenders.services.bids import ATTACHMENT_KINDS_TEXT
from tenders.timetable import STATUS_GROUP_LABELS
from tenders.weights import plain_number

__all__ = [
    "OpportunityFilterForm",
    "StartBidForm",
    "AnswerForm",
    "PricesForm",
    "CommitmentForm",
    "CommitmentFormSet",
    "DeclarationsForm",
    "SubmitForm",
    "ConfirmBidForm",
    "RevisionForm",
]

YES_NO = [("yes", "Yes"), ("no", "No")]


class ManyOptionsSelect(forms.Select):
    """A select of many plain options written in Python: Django renders a template per option,
    which for the finder's 50 councils cost about 4 ms of every page."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        selected = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, mark_safe(" selected") if str(v) in selected else "", label) for v, label in self.choices),  # noqa: S308 (a constant)
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )


class OpportunityFilterForm(GovukFormMixin, forms.Form):
    council = forms.ChoiceField(label="Council", required=False, widget=ManyOptionsSelect)
    min_value = MoneyField(label="Value from", required=False, allow_zero=True, what="the lowest value")
    max_value = MoneyField(label="Value up to", required=False, allow_zero=True, what="the highest value")
    closing_before = GovukDateField(
        label="Closing before", required=False, help_text="For example 31 1 2027", error_name="The closing date"
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[*STATUS_GROUP_LABELS.items(), ("all", "Open and closed")],
        initial="open",
        widget=forms.RadioSelect,
        help_text="Open opportunities are shown unless you choose otherwise",
    )
    open_to_me = forms.BooleanField(
        label="Only opportunities my organisation can bid for",
        required=False,
        help_text="Open for bids now, under each council's local spend policy",
    )

    def __init__(self, *args: Any, councils: list[tuple[str, str]], signed_in: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["council"]).choices = [("", "All councils"), *councils]
        if not signed_in:
            del self.fields["open_to_me"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        low, high = data.get("min_value"), data.get("max_value")
        if low is not None and high is not None and high < low:
            self.add_error("max_value", "The highest value must be at least the lowest value")
        return data


class RevisionForm(GovukFormMixin, forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class StartBidForm(GovukFormMixin, forms.Form):
    organisation = forms.TypedChoiceField(
        label="Which organisation is bidding?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the organisation that is bidding"},
    )

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["organisation"]).choices = [(o.pk, o.name) for o in organisations]
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.initial.setdefault("organisation", organisations[0].pk)


class AnswerForm(GovukFormMixin, forms.Form):
    """One question: the answer in words (the word limit is counted here and again on submission)
    and, if the question allows them, a document.

    The question and its guidance are what council staff typed: the label is escaped by Django and
    the hint is escaped here (its line breaks kept), and the form templates escape any hint that is
    not a SafeString built from constants.
    """

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    answer = forms.CharField(
        required=False,
        strip=False,
        # govuk-js-character-count: GOV.UK's character count counts the words as they are typed.
        widget=forms.Textarea(attrs={"rows": 12, "class": "govuk-js-character-count"}),
    )
    file = forms.FileField(
        label="Attach a document",
        required=False,
        help_text=f"{ATTACHMENT_KINDS_TEXT}, smaller than the size limit",
    )

    def __init__(self, *args: Any, question: Any, number: int, max_mb: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        self.fields["answer"].label = question.question_text
        hint = question.guidance or ""
        if question.word_limit:
            hint = f"{hint}\n\nUp to {question.word_limit:,} words.".strip()
        self.fields["answer"].help_text = linebreaksbr(hint, autoescape=True)  # escapes, keeps the line breaks
        if question.attachments_allowed:
            self.fields["file"].help_text = f"{ATTACHMENT_KINDS_TEXT}, smaller than {max_mb} MB"
        else:
            del self.fields["file"]

    def clean_answer(self) -> str:
        answer = self.cleaned_data["answer"]
        if "\x00" in answer:
            raise forms.ValidationError("Remove the null characters from your answer")
        limit = self.question.word_limit
        words = word_count(answer)
        if limit and words > limit:
            raise forms.ValidationError(
                f"Your answer has {words:,} words: the limit is {limit:,}. "
                f"Remove {words - limit:,} {'word' if words - limit == 1 else 'words'} and save again."
            )
        return answer

    def word_count_text(self) -> str:
        """The words in the answer as shown (sent, or saved), said without JavaScript too."""
        value = self["answer"].value()
        words = word_count(value if isinstance(value, str) else "")
        if not words:
            return ""
        text = f"The answer above has {words:,} {'word' if words == 1 else 'words'}"
        limit = self.question.word_limit
        if limit and words > limit:
            text += f", {words - limit:,} too many"
        return f"{text}."


class PricesForm(GovukFormMixin, forms.Form):
    """A price per lot: leave a lot empty to not bid for it."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, lots: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        several = len(lots) > 1
        for key, title in lots:
            self.fields[f"price_{key}"] = MoneyField(
                label=f"Your price for {title}",
                what=f"your price for {title}",
                required=False,
                help_text="The total price over the whole contract, including VAT"
                + (". Leave empty if you are not bidding for this lot." if several else ""),
            )

    @staticmethod
    def initial_for(prices: dict[str, Any]) -> dict[str, Any]:
        from decimal import Decimal, InvalidOperation

        initial = {}
        for key, value in prices.items():
            try:
                initial[f"price_{key}"] = amount_text(Decimal(str(value)))
            except InvalidOperation:
                initial[f"price_{key}"] = value
        return initial

    def prices(self) -> dict[str, str]:
        return {
            name.removeprefix("price_"): (f"{value:.2f}" if value is not None else "")
            for name, value in self.cleaned_data.items()
            if name.startswith("price_")
        }


FRAMEWORK, OTHER = "framework", "other"


def measure_choices(measures: Any) -> list[Any]:
    """The select's choices: one optgroup per theme and outcome of the council's newest published
    framework (``social_value.selectors.PublishedMeasures``), the outcomes the tender asks about
    first and marked so; each option says the measure's unit."""
    choices: list[Any] = [("", "Choose a measure")]
    for group in measures.groups:
        label = f"{group.label} (asked about in this tender)" if group.asked else group.label
        choices.append((label, [(str(v.pk), f"{v.name} (in {v.unit})") for v in group.versions]))
    return choices


class CommitmentForm(GovukFormMixin, forms.Form):
    """One social value commitment: a measure, how much, by when, and whether it is delivered in
    the council's local area.

    With a published framework (``measures``), the measure is picked from it (its unit comes with
    it) or is "another measure" with its own words and unit, which evaluators see flagged; the
    words are required when "another measure" is chosen, with or without JavaScript. Without one,
    the measure and unit are typed (``measures`` is None).
    """

    def __init__(self, *args: Any, number: int = 1, measures: Any = None, **kwargs: Any) -> None:
        self.number = number
        self.measures = measures
        self.versions = measures.by_id() if measures is not None else {}
        super().__init__(*args, **kwargs)
        if measures is not None:
            self.fields["choice"] = forms.ChoiceField(
                label="Which measure?",
                choices=[(FRAMEWORK, "A measure of the council's framework"), (OTHER, "Another measure")],
                initial=FRAMEWORK,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose a measure of the framework or another measure for commitment {number}"
                },
            )
            self.fields["measure_version"] = needed_sometimes(
                forms.ChoiceField(
                    label="Measure",
                    required=False,
                    choices=measure_choices(measures),
                    help_text="The council's measures, by theme and outcome. The unit comes with the measure.",
                    error_messages={
                        "invalid_choice": f"Choose a measure of the council's framework for commitment {number}"
                    },
                )
            )
            self.fields["other_measure"] = needed_sometimes(
                forms.CharField(
                    label="Your measure",
                    required=False,
                    max_length=300,
                    help_text="What you will do, for example trees planted in local parks",
                    error_messages={
                        "max_length": f"Your measure for commitment {number} must be 300 characters or fewer"
                    },
                )
            )
            self.fields["other_unit"] = needed_sometimes(
                forms.CharField(
                    label="Its unit",
                    required=False,
                    max_length=60,
                    help_text="For example trees, hours, people",
                    widget=forms.TextInput(attrs={"data-width": "20"}),
                    error_messages={"max_length": f"The unit of commitment {number} must be 60 characters or fewer"},
                )
            )
        else:
            self.fields["measure"] = forms.CharField(
                label="Measure",
                max_length=300,
                help_text="What you will do, for example local people employed on the contract",
                error_messages={"required": f"Enter the measure of commitment {number}"},
            )
        self.fields["quantity"] = forms.DecimalField(
            label="Quantity",
            max_digits=12,
            decimal_places=2,
            min_value=0,
            help_text="In the measure's unit" if measures is not None else "",
            widget=forms.TextInput(attrs={"inputmode": "decimal", "data-width": "10"}),
            error_messages={
                "required": f"Enter the quantity of commitment {number}",
                "invalid": f"Enter the quantity of commitment {number} as a number, like 3 or 2.5",
                "min_value": f"The quantity of commitment {number} must be 0 or more",
                "max_digits": f"The quantity of commitment {number} must be less than 10,000,000,000",
                "max_whole_digits": f"The quantity of commitment {number} must be less than 10,000,000,000",
                "max_decimal_places": f"Give the quantity of commitment {number} to at most 2 decimal places",
            },
        )
        if measures is None:
            self.fields["unit"] = forms.CharField(
                label="Unit",
                max_length=60,
                help_text="For example jobs, hours, people",
                widget=forms.TextInput(attrs={"data-width": "20"}),
                error_messages={"required": f"Enter the unit of commitment {number}"},
            )
        self.fields["by"] = GovukDateField(
            label="By when",
            help_text="For example 31 12 2027",
            error_name=f"The date of commitment {number}",
            error_messages={"required": f"Enter the date commitment {number} will be met by"},
        )
        self.fields["local"] = forms.ChoiceField(
            label="Will it be delivered in the council's local area?",
            choices=YES_NO,
            widget=forms.RadioSelect,
            error_messages={
                "required": f"Say whether commitment {number} will be delivered in the council's local area"
            },
        )

    def has_changed(self) -> bool:
        # An empty extra row is unchanged while only its preset "a measure of the framework" is sent.
        return any(name != "choice" for name in self.changed_data)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.measures is None:
            return data
        if data.get("choice") == OTHER:
            if not (data.get("other_measure") or "").strip():
                self.add_error("other_measure", f"Enter your measure for commitment {self.number}")
            if not (data.get("other_unit") or "").strip():
                self.add_error("other_unit", f"Enter the unit of your measure for commitment {self.number}")
        elif data.get("choice") == FRAMEWORK and not data.get("measure_version"):
            if "measure_version" not in self.errors:
                self.add_error(
                    "measure_version", f"Choose a measure of the council's framework for commitment {self.number}"
                )
        return data

    def unit_text(self) -> str:
        """The unit of the framework measure shown (sent, or saved): the quantity's fixed suffix."""
        if self.measures is None:
            return ""
        value = self["measure_version"].value()
        version = self.versions.get(int(value)) if str(value or "").isdecimal() else None
        return version.unit if version is not None else ""

    @staticmethod
    def initial_for(commitment: dict[str, Any], measures: Any) -> dict[str, Any]:
        """A stored commitment as the form's initial values. One saved before measures could be
        picked (only measure and unit words) is another measure."""
        local = commitment.get("local")
        initial: dict[str, Any] = {
            "quantity": commitment.get("quantity", ""),
            "by": commitment.get("by", ""),
            "local": None if local is None or local == "" else "yes" if local in (True, "yes", "true") else "no",
        }
        if measures is None:
            return {**initial, "measure": commitment.get("measure", ""), "unit": commitment.get("unit", "")}
        version = str(commitment.get("measure_version") or "")
        if version and not commitment.get("other"):
            return {**initial, "choice": FRAMEWORK, "measure_version": version}
        return {
            **initial,
            "choice": OTHER,
            "other_measure": commitment.get("measure", ""),
            "other_unit": commitment.get("unit", ""),
        }

    def commitment(self) -> dict[str, Any]:
        """What the sealed draft keeps: the measure version picked (its name and unit with it), or
        another measure in the bidder's words (``other``)."""
        data = self.cleaned_data
        common = {
            "quantity": plain_number(data["quantity"]),  # 100, never "1E+2"
            "by": data["by"].isoformat(),
            "local": data["local"] == "yes",
        }
        if self.measures is None:
            return {
                "measure_version": None,
                "measure": data["measure"].strip(),
                "unit": data["unit"].strip(),
                **common,
                "other": True,
            }
        if data["choice"] == FRAMEWORK:
            version = self.versions[int(data["measure_version"])]
            return {
                "measure_version": version.pk,
                "measure": version.name,
                "unit": version.unit,
                **common,
                "other": False,
            }
        return {
            "measure_version": None,
            "measure": data["other_measure"].strip(),
            "unit": data["other_unit"].strip(),
            **common,
            "other": True,
        }


class BaseCommitmentFormSet(NumberedRowsFormSet):
    row_noun = "commitment"

    def commitments(self) -> list[dict[str, Any]]:
        return [form.commitment() for form in self.kept_forms()]


# The stubs give formset_factory BaseFormSet, not the class passed as ``formset``.
CommitmentFormSet = cast(
    "type[BaseCommitmentFormSet]",
    forms.formset_factory(
        CommitmentForm, formset=BaseCommitmentFormSet, extra=1, can_delete=True, can_delete_extra=False, max_num=30
    ),
)


class DeclarationsForm(GovukFormMixin, forms.Form):
    """The bid's declarations. A "yes" to the exclusion grounds needs the grounds and the details,
    and asks for any self-cleaning evidence (Procurement Act 2023 ss. 57-58, Schedules 6-7)."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    exclusion_grounds = forms.ChoiceField(
        label="Do any of the exclusion grounds apply to your organisation or anyone connected to it?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="The mandatory grounds of Schedule 6 and the discretionary grounds of Schedule 7 to the "
        "Procurement Act 2023, listed below. Connected people include your directors, anyone with "
        "significant control of your organisation, and your parent and subsidiary companies.",
        error_messages={"required": "Say whether any exclusion grounds apply to your organisation"},
    )
    mandatory_grounds = forms.MultipleChoiceField(
        label=f"{exclusion.SCHEDULE[exclusion.MANDATORY]}: which apply?",
        required=False,
        choices=exclusion.choices(exclusion.MANDATORY),
        widget=forms.CheckboxSelectMultiple,
        help_text="Only if you answered yes. Select all that apply.",
    )
    discretionary_grounds = forms.MultipleChoiceField(
        label=f"{exclusion.SCHEDULE[exclusion.DISCRETIONARY]}: which apply?",
        required=False,
        choices=exclusion.choices(exclusion.DISCRETIONARY),
        widget=forms.CheckboxSelectMultiple,
        help_text="Only if you answered yes. Select all that apply.",
    )
    exclusion_details = forms.CharField(
        label="What happened",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Only if you answered yes. For each ground: what happened, when, and whether it was your "
        "organisation or a connected person (who). Give any conviction, decision or order and its date.",
        error_messages={"max_length": "The details must be 10,000 characters or fewer"},
    )
    self_cleaning = forms.CharField(
        label="What you have done so that it will not happen again (self-cleaning)",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Only if you answered yes. Section 58 of the Act: the council considers evidence that the "
        "circumstances will not happen again, for example that you have accepted responsibility, paid "
        "compensation, changed the people involved, or put in place training, monitoring or new procedures. "
        "Say what evidence you can provide.",
        error_messages={"max_length": "The self-cleaning evidence must be 10,000 characters or fewer"},
    )
    conflicts = forms.ChoiceField(
        label="Do you have a conflict of interest with anyone at the council involved in this tender?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you have a conflict of interest"},
    )
    conflicts_details = forms.CharField(
        label="Details of the conflict of interest",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Who it involves and how you will manage it. Only if you answered yes.",
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("exclusion_grounds") == "yes":
            chosen = [*data.get("mandatory_grounds", []), *data.get("discretionary_grounds", [])]
            found = {
                "exclusion_grounds": True,
                "exclusion_ground_keys": chosen,
                "exclusion_details": data.get("exclusion_details", ""),
            }
            fields = {"exclusion_ground_keys": "mandatory_grounds", "exclusion_details": "exclusion_details"}
            for problem in exclusion.exclusion_problems(found):
                self.add_error(fields.get(problem.field, "exclusion_grounds"), problem.message)
        if data.get("conflicts") == "yes" and not data.get("conflicts_details", "").strip():
            self.add_error("conflicts_details", "Describe your conflict of interest and how you will manage it")
        return data

    @staticmethod
    def initial_for(declarations: dict[str, Any]) -> dict[str, Any]:
        def yes_no(value: Any) -> str | None:
            return None if value is None else "yes" if value else "no"

        keys = list(declarations.get("exclusion_ground_keys") or [])
        return {
            "exclusion_grounds": yes_no(declarations.get("exclusion_grounds")),
            "mandatory_grounds": [k for k in keys if k in dict(exclusion.choices(exclusion.MANDATORY))],
            "discretionary_grounds": [k for k in keys if k in dict(exclusion.choices(exclusion.DISCRETIONARY))],
            "exclusion_details": declarations.get("exclusion_details", ""),
            "self_cleaning": declarations.get("self_cleaning", ""),
            "conflicts": yes_no(declarations.get("conflicts")),
            "conflicts_details": declarations.get("conflicts_details", ""),
        }

    def declarations(self) -> dict[str, Any]:
        data = self.cleaned_data
        excluded = data["exclusion_grounds"] == "yes"
        conflicts = data["conflicts"] == "yes"
        return {
            "exclusion_grounds": excluded,
            # A "no" clears what a "yes" said, so the council never reads stale details.
            "exclusion_ground_keys": [*data["mandatory_grounds"], *data["discretionary_grounds"]] if excluded else [],
            "exclusion_details": data.get("exclusion_details", "").strip() if excluded else "",
            "self_cleaning": data.get("self_cleaning", "").strip() if excluded else "",
            "conflicts": conflicts,
            "conflicts_details": data.get("conflicts_details", "").strip() if conflicts else "",
        }


class ConfirmBidForm(GovukFormMixin, forms.Form):
    """Confirm the submitted bid against the tender's latest version (one button; a one-time key)."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)


class SubmitForm(GovukFormMixin, forms.Form):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label="I confirm that the information in this bid is true and complete, and that I may submit it "
        "for my organisation",
        error_messages={"required": "Confirm that the bid is true and complete, and that you may submit it"},
    )
