"""GOV.UK Design System markup for Django forms.

``{{ form }}`` renders an error summary and then each field as a GOV.UK form group, because
``settings.FORM_RENDERER`` points at :class:`GovukFormRenderer`. The renderer also hands every form
(ours and django-allauth's alike) a :class:`GovukBoundField`, which adds the GOV.UK classes to the
widget when it is rendered: only then do we know whether the field has errors, so the error
modifiers (``govuk-input--error``) cannot be set once in ``Form.__init__``.

A form may ask for a narrower input with a widget attribute, e.g.
``forms.TextInput(attrs={"data-width": "10"})`` gives ``govuk-input--width-10`` and
``attrs={"data-width": "one-half"}`` gives ``govuk-!-width-one-half``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any, cast

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils import timezone

# GOV.UK's fixed widths (characters) for inputs, and its fluid widths for any control.
FIXED_WIDTHS = frozenset({"2", "3", "4", "5", "10", "20", "30"})
FLUID_WIDTHS = frozenset({"full", "three-quarters", "two-thirds", "one-half", "one-third", "one-quarter"})


# Widget classes and the component for each, the first that matches (a subclass before its base).
WIDGET_KINDS: tuple[tuple[type[forms.Widget], str], ...] = (
    (forms.CheckboxSelectMultiple, "checkboxes"),
    (forms.RadioSelect, "radios"),
    (forms.CheckboxInput, "checkbox"),
    (forms.FileInput, "file"),
    (forms.PasswordInput, "password"),
    (forms.Textarea, "textarea"),
    (forms.Select, "select"),
)


def field_kind(widget: forms.Widget) -> str:
    """Which GOV.UK component renders this widget: the templates branch on it."""
    if widget.is_hidden:
        return "hidden"
    kind = next((kind for widget_class, kind in WIDGET_KINDS if isinstance(widget, widget_class)), None)
    if kind is not None:
        return kind
    if getattr(widget, "use_fieldset", False):  # Django 4.1+; not in django-stubs' Widget
        # MultiWidget and friends: several inputs under one legend.
        return "fieldset"
    return "input"


def needed_sometimes(field: forms.Field) -> forms.Field:
    """Mark a field that is not required by itself but is after some answers (the form's ``clean``
    says when, and its hint tells the person): GOV.UK labels it without "(optional)"."""
    field.needed_sometimes = True  # type: ignore[attr-defined]
    return field


def width_class(widget: forms.Widget) -> str | None:
    width = str(widget.attrs.get("data-width", "")).strip()
    if width in FIXED_WIDTHS and field_kind(widget) in {"input", "password"}:
        return f"govuk-input--width-{width}"
    if width in FLUID_WIDTHS:
        return f"govuk-!-width-{width}"
    return None


def widget_classes(widget: forms.Widget, *, has_errors: bool = False) -> list[str]:
    """The GOV.UK classes for a widget, with the error modifier when the field has errors."""
    kind = field_kind(widget)
    classes: list[str] = []
    if isinstance(widget, forms.SelectDateWidget):
        classes = ["govuk-select"] + (["govuk-select--error"] if has_errors else [])
    elif kind in {"input", "fieldset"}:
        classes = ["govuk-input"] + (["govuk-input--error"] if has_errors else [])
    elif kind == "password":
        classes = ["govuk-input", "govuk-password-input__input", "govuk-js-password-input-input"]
        classes += ["govuk-input--error"] if has_errors else []
    elif kind == "textarea":
        classes = ["govuk-textarea"] + (["govuk-textarea--error"] if has_errors else [])
    elif kind == "select":
        classes = ["govuk-select"] + (["govuk-select--error"] if has_errors else [])
    elif kind == "file":
        classes = ["govuk-file-upload"] + (["govuk-file-upload--error"] if has_errors else [])
    elif kind in {"checkbox", "checkboxes"}:
        classes = ["govuk-checkboxes__input"]
    elif kind == "radios":
        classes = ["govuk-radios__input"]
    width = width_class(widget)
    if width:
        classes.append(width)
    return classes


def merge_classes(*groups: str | list[str] | None) -> str:
    """Join class lists, keeping the first occurrence of each class."""
    seen: dict[str, None] = {}
    for group in groups:
        if not group:
            continue
        names = group.split() if isinstance(group, str) else group
        for name in names:
            seen.setdefault(name, None)
    return " ".join(seen)


def _lower_first(text: str) -> str:
    # "Email address" -> "email address", but "VAT number" stays as it is.
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def required_message(kind: str, label: str) -> str:
    """A GOV.UK-style message for an empty required field, naming the field.

    Django's "This field is required." does not say which field it is about, so a list of them
    in the error summary cannot tell the user what to fix (WCAG 3.3.1, GOV.UK error messages).
    """
    if kind == "checkbox":
        return f"Select “{label}” to continue"
    if kind == "file":
        return f"Select a file for {_lower_first(label)}"
    if kind in {"radios", "checkboxes", "select"}:
        return f"Select {_lower_first(label)}"
    return f"Enter {_lower_first(label)}"


_DJANGO_REQUIRED = str(forms.Field.default_error_messages["required"])


class GovukBoundField(BoundField):
    """A bound field that renders its widget with GOV.UK classes and hint and error ids.

    It also replaces Django's default "This field is required." with a message that names the
    field ("Enter email address"); a message the form sets itself is left alone. Each form has
    its own copy of its fields, so this changes nothing outside this form.
    """

    def __init__(self, form: forms.BaseForm, field: forms.Field, name: str) -> None:
        super().__init__(form, field, name)
        if str(field.error_messages.get("required", "")) == _DJANGO_REQUIRED and self.label:
            field.error_messages["required"] = required_message(self.kind, str(self.label).strip())

    @property
    def kind(self) -> str:
        return field_kind(self.field.widget)

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}-hint" if self.auto_id else ""

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}-error" if self.auto_id else ""

    @property
    def error_target_id(self) -> str:
        """The id the error summary links to: the input itself, or the first radio or checkbox."""
        if not self.auto_id:
            return ""
        if self.kind in {"radios", "checkboxes"}:
            return f"{self.auto_id}_0"
        if isinstance(self.field.widget, GovukDateWidget):
            # The first wrong box of the date (GOV.UK), or its day.
            wrong = self._error_parts()
            return f"{self.auto_id}_{wrong[0] if wrong else 'day'}"
        return self.id_for_label or self.auto_id

    def _error_parts(self) -> list[str]:
        parts: list[str] = []
        for error in self.errors.as_data() if self.errors else []:
            for item in error.error_list:
                found = (item.params or {}).get("parts", "") if isinstance(item.params, dict) else ""
                parts += [part for part in str(found).split() if part not in parts]
        return parts

    @property
    def aria_describedby(self) -> str | None:
        # Preserve an aria-describedby set on the widget by the form's author.
        if self.field.widget.attrs.get("aria-describedby"):
            return None
        ids = []
        if self.auto_id and not self.is_hidden:
            if self.help_text:
                ids.append(self.hint_id)
            if self.errors:
                ids.append(self.error_id)
        return " ".join(ids)

    @property
    def is_optional(self) -> bool:
        """Labelled "(optional)": not required, unless needed after some answers (``needed_sometimes``)."""
        if getattr(self.field, "needed_sometimes", False):
            return False
        return not self.field.required and self.kind not in {"checkbox", "hidden"}

    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        widget = widget or self.field.widget
        # Django's stubs type the attributes str | bool; a widget's own may be anything.
        attrs = cast("dict[str, Any]", super().build_widget_attrs(attrs, widget))
        if widget.is_hidden:
            return attrs
        attrs["class"] = merge_classes(
            widget.attrs.get("class"),
            attrs.get("class"),
            widget_classes(widget, has_errors=bool(self.errors)),
        )
        if isinstance(widget, GovukDateWidget) and self.errors:
            attrs["data-error-parts"] = " ".join(self._error_parts())
        # GOV.UK: placeholder text disappears as you type and is often mistaken for a value;
        # the label and hint say what to enter. False drops the attribute from the output.
        if widget.attrs.get("placeholder"):
            attrs["placeholder"] = False
        if field_kind(widget) == "password":
            attrs.setdefault("spellcheck", "false")
            attrs.setdefault("autocapitalize", "none")
        if self.name == "code" and field_kind(widget) == "input":
            # allauth's security code (authenticator or recovery code): short, no spelling help.
            attrs["class"] = merge_classes(attrs["class"], "govuk-input--width-10")
            attrs.setdefault("autocomplete", "one-time-code")
            attrs.setdefault("spellcheck", "false")
            attrs.setdefault("autocapitalize", "none")
        return attrs


class GovukFormMixin:
    """Use GOV.UK markup for this form even where another renderer is in force.

    Sets the GOV.UK classes on the widgets at once (for templates that read ``widget.attrs``);
    the error modifiers are added when the field is rendered, by :class:`GovukBoundField`.
    """

    bound_field_class: type[BoundField] | None = GovukBoundField  # as Django's BaseForm types it
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if widget.is_hidden:
                continue
            is_radios = isinstance(widget, forms.RadioSelect) and not isinstance(widget, forms.CheckboxSelectMultiple)
            # Model choices stay a queryset (set later by views); they drop the blank with empty_label=None.
            if is_radios and isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                # Radios need no "---------" option: an unanswered question has none checked.
                choices = cast("Iterable[tuple[Any, Any]]", field.choices)  # normalised by ChoiceField
                field.choices = [choice for choice in choices if choice[0] not in ("", None)]
            widget.attrs["class"] = merge_classes(widget.attrs.get("class"), widget_classes(widget))


class GovukFormRenderer(TemplatesSetting):
    """Renders forms and fields with the GOV.UK templates in ``templates/forms/``.

    TemplatesSetting loads templates through ``settings.TEMPLATES``, so Django's own widget
    templates are found only with ``"django.forms"`` in INSTALLED_APPS (and APP_DIRS on).
    """

    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"
    bound_field_class = GovukBoundField


# --- Dates: GOV.UK's date input --------------------------------------------------------------------

DATE_PARTS = ("day", "month", "year")
MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>am|pm)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?$")


def _as_local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


class GovukDateWidget(forms.MultiWidget):
    """GOV.UK's date input: day, month and year boxes (and, for a deadline, a time) under one legend.

    https://design-system.service.gov.uk/components/date-input/ — separate boxes, not a picker:
    they work with every keyboard, screen reader and browser, and the error says which part is
    wrong. A request that sends the whole value under the field's own name (``deadline=2027-03-27T17:00``,
    as links, scripts and older pages do) is read as well.
    """

    template_name = "django/forms/widgets/govuk_date.html"
    use_fieldset = True

    def __init__(self, attrs: dict[str, Any] | None = None, *, with_time: bool = False) -> None:
        self.with_time = with_time
        numeric = {"inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            part: forms.TextInput(attrs=dict(numeric)) for part in DATE_PARTS
        }
        if with_time:
            widgets["time"] = forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"})
        super().__init__(widgets, attrs)

    @property
    def parts(self) -> tuple[str, ...]:
        return (*DATE_PARTS, "time") if self.with_time else DATE_PARTS

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, str) and _ISO_DATE.match(value.strip()):
            value = datetime.fromisoformat(value.strip()) if self.with_time else date.fromisoformat(value.strip()[:10])
        if isinstance(value, datetime):
            value = _as_local(value)
            parts = [str(value.day), str(value.month), str(value.year)]
            return [*parts, value.strftime("%H:%M")] if self.with_time else parts
        if isinstance(value, date):
            parts = [str(value.day), str(value.month), str(value.year)]
            return [*parts, ""] if self.with_time else parts
        return [None] * len(self.parts)

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[Any]:
        whole = data.get(name)
        if isinstance(whole, str) and whole.strip() and not any(f"{name}_{part}" in data for part in self.parts):
            if _ISO_DATE.match(whole.strip()):
                return self.decompress(whole)
            # Not a date at all: keep it where the person can see it, in the day box.
            return [whole, "", "", ""][: len(self.parts)]
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and super().value_omitted_from_data(data, files, name)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = dict(attrs or {})
        wrong = set(str(attrs.pop("data-error-parts", "")).split())
        # The fieldset carries aria-describedby (hint and error); the boxes carry only their label.
        attrs.pop("aria-describedby", None)
        has_errors = "govuk-input--error" in str(attrs.get("class", ""))
        attrs.pop("class", None)
        context = super().get_context(name, value, attrs)
        labels = {"day": "Day", "month": "Month", "year": "Year", "time": "Time"}
        widths = {"day": "2", "month": "2", "year": "4", "time": "5"}
        box_id = context["widget"]["attrs"].get("id")
        for part, subwidget in zip(self.parts, context["widget"]["subwidgets"], strict=True):
            error = has_errors and (not wrong or part in wrong)
            if box_id:
                subwidget["attrs"]["id"] = f"{box_id}_{part}"  # id_deadline_month, not Django's id_deadline_1
            subwidget["part"] = part
            subwidget["label"] = labels[part]
            if error:
                subwidget["attrs"]["aria-invalid"] = "true"
            else:
                subwidget["attrs"].pop("aria-invalid", None)
            subwidget["attrs"]["class"] = merge_classes(
                "govuk-input govuk-date-input__input",
                f"govuk-input--width-{widths[part]}",
                "govuk-input--error" if error else None,
            )
        return context


class GovukDateField(forms.MultiValueField):
    """A date (or, ``with_time=True``, a date and time in UK time) entered in GOV.UK's date input.

    Errors say which part is wrong, as GOV.UK's pattern asks: "Submission deadline must include a
    month", "… must be a real date", "Year must include 4 numbers". Month names ("Feb") are accepted.
    Returns a ``date``, or an aware ``datetime`` in the current time zone.
    """

    widget = GovukDateWidget

    def __init__(self, *, with_time: bool = False, error_name: str = "", **kwargs: Any) -> None:
        self.with_time = with_time
        # How errors name the date when the label does not read well in a sentence ("By when").
        self.error_name = error_name
        kwargs.setdefault("widget", GovukDateWidget(with_time=with_time))
        parts = (*DATE_PARTS, "time") if with_time else DATE_PARTS
        fields = tuple(forms.CharField(required=False, max_length=10) for _ in parts)
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    @property
    def _name(self) -> str:
        return str(self.error_name or self.label or "The date").strip()

    def _invalid(self, message: str, parts: list[str]) -> forms.ValidationError:
        return forms.ValidationError(message, code="invalid", params={"parts": " ".join(parts)})

    def compress(self, data_list: list[Any]) -> date | datetime | None:
        values = [str(value or "").strip() for value in data_list]
        if not any(values):
            return None
        parts = (*DATE_PARTS, "time") if self.with_time else DATE_PARTS
        missing = [part for part, value in zip(parts, values, strict=False) if not value]
        if missing:
            words = " and ".join(missing) if len(missing) < 3 else f"{missing[0]}, {missing[1]} and {missing[2]}"
            raise self._invalid(f"{self._name} must include a {words}", missing)
        day_text, month_text, year_text = values[:3]
        month_number = MONTH_NAMES.get(month_text.lower()) or (int(month_text) if month_text.isdecimal() else None)
        checks = (("day", day_text.isdecimal()), ("month", month_number is not None), ("year", year_text.isdecimal()))
        wrong = [part for part, ok in checks if not ok]
        if wrong:
            raise self._invalid(f"{self._name} must be a real date", wrong)
        if len(year_text) != 4:
            raise self._invalid("Year must include 4 numbers", ["year"])
        try:
            value = date(int(year_text), month_number or 0, int(day_text))
        except ValueError:
            wrong = ["month"] if not 1 <= (month_number or 0) <= 12 else ["day"]
            raise self._invalid(f"{self._name} must be a real date", wrong) from None
        if not self.with_time:
            return value
        found = _TIME.match(values[3].lower().replace(" ", ""))
        hour = int(found["hour"]) if found else -1
        minute = int(found["minute"] or 0) if found else -1
        if found and found["half"]:
            hour = -1 if not 1 <= hour <= 12 else (hour % 12) + (12 if found["half"] == "pm" else 0)
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            raise self._invalid(f"{self._name} must be a real time, like 17:00 or 5:30pm", ["time"])
        return timezone.make_aware(datetime.combine(value, time(hour, minute)))
