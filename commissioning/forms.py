from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from commissioning.forms_govuk import GovukFormMixin
from commissioning.models import Council, Organisation, OrganisationRole, Role
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


class OrganisationForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = list(Organisation.PROFILE_FIELDS)
        labels = {"name": "Organisation name", "legal_form": "Legal form", "size_band": "Size"}
        help_texts = {
            "companies_house_number": "8 characters, for example 01234567 or SC123456. Required for a CIC.",
            "charity_number": "For example 1123456 (England and Wales), SC012345 or NIC100001",
            "postcode": "Where the organisation is registered, for example L36 9YU",
        }
        widgets = {
            "legal_form": forms.RadioSelect,
            "size_band": forms.RadioSelect,
            "postcode": forms.TextInput(attrs={"data-width": "10", "autocomplete": "postal-code"}),
            "operating_postcode": forms.TextInput(attrs={"data-width": "10"}),
            "companies_house_number": forms.TextInput(attrs={"data-width": "10"}),
            "charity_number": forms.TextInput(attrs={"data-width": "10"}),
        }


class OrganisationMemberForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(label="Email address", help_text="The person must already have an account")
    role = forms.ChoiceField(
        label="Role", choices=OrganisationRole.choices, widget=forms.RadioSelect, initial=OrganisationRole.MEMBER
    )


class AuditFilterForm(GovukFormMixin, forms.Form):
    action = forms.ChoiceField(label="Action", required=False)
    actor = forms.CharField(label="Who (email contains)", required=False)
    date_from = forms.DateField(
        label="From date",
        required=False,
        help_text="For example 2026-11-01",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(label="To date", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Any action")] + [(a, a) for a in actions]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The to date must be on or after the from date")
        return data
