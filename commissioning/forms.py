from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from commissioning.forms_govuk import GovukDateField, GovukFormMixin
from commissioning.models import (
    Council,
    DeliveryOption,
    Organisation,
    OrganisationRole,
    Outcome,
    OwnershipType,
    Role,
)
from commissioning.models.commissions import DEFAULT_OPTION, POSITION_MAX, decision_errors
from commissioning.postcodes import parse_districts


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to its field, or at the top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class InvitationForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(label="Email address", help_text="We will send the invitation to this address")
    role = forms.ChoiceField(label="Role", choices=Role.choices, widget=forms.RadioSelect)


class CouncilSettingsForm(GovukFormMixin, forms.ModelForm):
    local_area_text = forms.CharField(
        label="Local area",
        help_text="Postcode districts, separated by commas or spaces, for example L34, L35, L36",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    class Meta:
        model = Council
        fields = ["display_name", "colour", "logo"]
        labels = {"display_name": "Display name", "colour": "Brand colour"}
        help_texts = {
            "display_name": "Shown in the header, for example Knowsley Council",
            "colour": "A hex code, for example #1d70b8. Must contrast with white text.",
            "logo": "PNG, JPEG or SVG, at most 1 MB",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance and not self.is_bound:
            self.initial["local_area_text"] = ", ".join(self.instance.local_area)

    def clean_local_area_text(self) -> list[str]:
        try:
            return parse_districts(self.cleaned_data["local_area_text"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_colour(self) -> str:
        colour = self.cleaned_data["colour"]
        if _contrast_with_white(colour) < 4.5:
            raise forms.ValidationError(
                "Choose a darker colour: white text on it must have a contrast ratio of at least 4.5:1"
            )
        return colour

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "size") and logo.size > 1024 * 1024:
            raise forms.ValidationError("The logo must be 1 MB or smaller")
        return logo


def _contrast_with_white(hex_colour: str) -> float:
    """WCAG 2 contrast ratio of white on the colour."""
    value = hex_colour.lstrip("#")
    if len(value) != 6:
        return 0.0
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def _yes_no(value: str) -> bool:
    return value == "True"


class OrganisationForm(GovukFormMixin, forms.ModelForm):
    # Unanswered ownership questions are filled from the legal form (commissioning.ownership).
    ownership = forms.ChoiceField(
        label="Ownership",
        choices=OwnershipType.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="Who owns the organisation. If you leave this, it is filled from the legal form.",
    )
    asset_locked = forms.TypedChoiceField(
        label="Are the organisation's profits locked in for the community (an asset lock)?",
        choices=[("True", "Yes"), ("False", "No")],
        coerce=_yes_no,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text="A charity's and a CIC's are, by law. If you leave this, it is filled from the legal form.",
    )

    class Meta:
        model = Organisation
        fields = list(Organisation.PROFILE_FIELDS)
        labels = {"name": "Organisation name", "legal_form": "Legal form", "size_band": "Size"}
        help_texts = {
            "companies_house_number": "8 characters, for example 01234567 or SC123456. Required for a CIC.",
            "charity_number": "For example 1123456 (England and Wales), SC012345 or NIC100001",
            "postcode": "Where the organisation is registered, for example L36 9YU",
            "parent_name": "Only for a subsidiary of a group or a company backed by private equity: "
            "the company (or fund) at the top of the group",
            "parent_country": "For example United Kingdom, or United States",
        }
        widgets = {
            "legal_form": forms.RadioSelect,
            "size_band": forms.RadioSelect,
            "postcode": forms.TextInput(attrs={"data-width": "10", "autocomplete": "postal-code"}),
            "operating_postcode": forms.TextInput(attrs={"data-width": "10"}),
            "companies_house_number": forms.TextInput(attrs={"data-width": "10"}),
            "charity_number": forms.TextInput(attrs={"data-width": "10"}),
            "parent_country": forms.TextInput(attrs={"data-width": "20"}),
        }


class OrganisationMemberForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(label="Email address", help_text="The person must already have an account")
    role = forms.ChoiceField(
        label="Role", choices=OrganisationRole.choices, widget=forms.RadioSelect, initial=OrganisationRole.MEMBER
    )


class AuditFilterForm(GovukFormMixin, forms.Form):
    action = forms.ChoiceField(label="Action", required=False)
    actor = forms.CharField(label="Who (name or email contains)", required=False)
    date_from = GovukDateField(label="From date", required=False, help_text="For example 1 11 2026")
    date_to = GovukDateField(label="To date", required=False, help_text="For example 30 11 2026")

    def __init__(self, *args: Any, actions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = cast(forms.ChoiceField, self.fields["action"])
        action.choices = [("", "Any action")] + [(code, words.capitalize()) for code, words in actions]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The to date must be on or after the from date")
        return data


# --- Commissions, the outcomes framework and the options appraisal -----------------------------


class MoneyInput(forms.TextInput):
    """A pounds input: GOV.UK's £ prefix (govuk_field.html reads ``prefix``), a decimal keypad."""

    prefix = "£"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "spellcheck": "false", "data-width": "10", **(attrs or {})})


class MoneyField(forms.DecimalField):
    """An amount in pounds, written as people write it: 12500, 12,500, £12,500.50.

    ``what`` names the amount inside error messages ("the amount band 2 starts from"); it defaults
    to the label. Amounts are more than £0 unless ``allow_zero`` (a band's lower bound).
    """

    widget = MoneyInput

    def __init__(self, *, label: str, what: str | None = None, allow_zero: bool = False, **kwargs: Any) -> None:
        named = what or f"the {label[0].lower()}{label[1:]}"
        subject = named[0].upper() + named[1:]
        messages = {
            "invalid": f"Enter {named} as an amount in pounds, like 12,500 or 12500.50",
            "min_value": f"{subject} must be £0 or more" if allow_zero else f"{subject} must be more than £0",
            "max_digits": f"{subject} must be less than £1 trillion",
            "max_whole_digits": f"{subject} must be less than £1 trillion",
            "max_decimal_places": f"Enter {named} to the nearest penny",
        }
        if what:
            messages["required"] = f"Enter {what}"
        super().__init__(
            label=label,
            max_digits=14,
            decimal_places=2,
            min_value=Decimal(0) if allow_zero else Decimal("0.01"),
            error_messages=messages,
            **kwargs,
        )

    # django-stubs have DecimalField inherit IntegerField's ``int | None``; Django returns a Decimal.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().removeprefix("£").replace(",", "").replace(" ", "")
        return super().to_python(value)


class OutcomeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Outcome) -> str:
        return obj.title


class CommissionForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=200, help_text="For example, Community navigation service")
    need = forms.CharField(
        label="The need",
        help_text="What residents need, in their words where you can, and why it matters now",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    outcomes = OutcomeChoiceField(
        label="Outcomes",
        queryset=Outcome.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose the outcomes from the council's outcomes framework that this commission should achieve",
    )
    estimated_annual_value = MoneyField(label="Estimated annual value")
    whole_life_value = MoneyField(
        label="Whole-life value", help_text="The value over the whole life of the arrangement, including extensions"
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the framework's active outcomes can be chosen; ones already chosen stay visible.
        chosen = [o.pk for o in self.initial.get("outcomes", [])]
        declared = self.fields["outcomes"]
        # A new field rather than a new queryset: GovukFormMixin.__init__ has already frozen the
        # declared field's choices (from Outcome.objects.none()) into a list.
        self.fields["outcomes"] = OutcomeChoiceField(
            label=declared.label,
            help_text=declared.help_text,
            required=False,
            queryset=Outcome.objects.filter(council=council).filter(Q(is_active=True) | Q(pk__in=chosen)),
            widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        annual, whole_life = data.get("estimated_annual_value"), data.get("whole_life_value")
        if annual is not None and whole_life is not None and whole_life < annual:
            self.add_error("whole_life_value", "The whole-life value must be at least the estimated annual value")
        return data


class AppraisalNotesForm(GovukFormMixin, forms.Form):
    """Notes on each option of the appraisal: one textarea per option, in-house first."""

    def __init__(self, *args: Any, options: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for option in options:
            hint = (
                "The default: what would it take for the council to deliver this itself?" if option.is_default else ""
            )
            self.fields[option.kind] = forms.CharField(
                label=option.get_kind_display(),
                required=False,
                initial=option.notes,
                help_text=hint,
                widget=forms.Textarea(attrs={"rows": 3}),
            )


class DecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=DeliveryOption.choices,
        initial=DEFAULT_OPTION,
        widget=forms.RadioSelect,
        help_text="In-house delivery is the default",
    )
    decision_reason = forms.CharField(
        label="Reason for the decision",
        help_text="For any option other than in-house delivery, explain why the council should not deliver it itself",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reason for the decision"},
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "decision" in data:
            for field, message in decision_errors(data["decision"], data.get("decision_reason", "")).items():
                self.add_error(field, message)
        return data


class OutcomeForm(GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="Outcome", max_length=200, help_text="For example, People are connected to their community"
    )
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    position = forms.IntegerField(
        label="Position in the list",
        required=False,
        min_value=0,
        max_value=POSITION_MAX,
        help_text="Outcomes are listed from the lowest number. Leave empty to add at the end.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "data-width": "4"}),
    )
    is_active = forms.BooleanField(
        label="Commissions can choose this outcome",
        required=False,
        initial=True,
        help_text="Untick to retire an outcome: commissions that chose it keep it",
    )


class IndicatorForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        label="Indicator", max_length=200, help_text="For example, Residents who say they feel part of their community"
    )
    measure = forms.CharField(
        label="How it is measured",
        max_length=200,
        help_text="The unit or the method, for example ‘percentage of residents surveyed’",
    )
