"""GOV.UK's date input: one field for every date a form takes, with errors that say which part is wrong."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django import forms

from commissioning.forms_govuk import GovukDateField, GovukFormMixin

LONDON = ZoneInfo("Europe/London")


class DeadlineForm(GovukFormMixin, forms.Form):
    submission_deadline = GovukDateField(label="Submission deadline", with_time=True, help_text="UK time")
    award_date = GovukDateField(label="Planned award date", required=False)


def _deadline(day: str = "27", month: str = "3", year: str = "2027", time: str = "17:00") -> dict[str, str]:
    return {
        "submission_deadline_day": day,
        "submission_deadline_month": month,
        "submission_deadline_year": year,
        "submission_deadline_time": time,
    }


def _error(data: dict[str, str]) -> str:
    form = DeadlineForm(data)
    assert not form.is_valid()
    return form.errors["submission_deadline"][0]


def test_a_complete_date_and_time_is_an_aware_uk_datetime() -> None:
    award = {"award_date_day": "15", "award_date_month": "Feb", "award_date_year": "2027"}
    form = DeadlineForm({**_deadline(time="5:30pm"), **award})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["submission_deadline"] == datetime(2027, 3, 27, 17, 30, tzinfo=LONDON)
    assert form.cleaned_data["award_date"] == date(2027, 2, 15)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_deadline(month=""), "Submission deadline must include a month"),
        (_deadline(day="", month=""), "Submission deadline must include a day and month"),
        (_deadline(year=""), "Submission deadline must include a year"),
        (_deadline(time=""), "Submission deadline must include a time"),
        (_deadline(day="31", month="2"), "Submission deadline must be a real date"),
        (_deadline(month="13"), "Submission deadline must be a real date"),
        (_deadline(day="first"), "Submission deadline must be a real date"),
        (_deadline(year="27"), "Year must include 4 numbers"),
        (_deadline(time="25:00"), "Submission deadline must be a real time, like 17:00 or 5:30pm"),
        ({}, "Enter submission deadline"),
    ],
)
def test_errors_say_which_part_is_wrong(data: dict[str, str], message: str) -> None:
    assert _error(data) == message


def test_only_the_wrong_box_is_marked_and_the_summary_links_to_it() -> None:
    form = DeadlineForm(_deadline(month=""))
    form.is_valid()
    field = form["submission_deadline"]
    html = str(field)
    assert field.error_target_id == "id_submission_deadline_month"
    month = html[html.index('name="submission_deadline_month"') :].split(">")[0]
    day = html[html.index('name="submission_deadline_day"') :].split(">")[0]
    assert "govuk-input--error" in month and 'aria-invalid="true"' in month
    assert "govuk-input--error" not in day and "aria-invalid" not in day
    # What was typed is kept.
    assert 'value="27"' in html and 'value="2027"' in html and 'value="17:00"' in html


def test_the_boxes_are_labelled_and_grouped_under_the_fields_legend() -> None:
    html = str(DeadlineForm())
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Submission deadline</legend>' in html
    for part, label in (("day", "Day"), ("month", "Month"), ("year", "Year"), ("time", "Time")):
        assert (
            f'<label class="govuk-label govuk-date-input__label" for="id_submission_deadline_{part}">{label}</label>'
            in html
        )
    assert 'class="govuk-input govuk-date-input__input govuk-input--width-4"' in html
    assert 'inputmode="numeric"' in html
    assert 'type="date"' not in html and "datetime-local" not in html


def test_an_existing_value_is_shown_in_uk_time() -> None:
    form = DeadlineForm(initial={"submission_deadline": datetime(2027, 7, 1, 11, 0, tzinfo=ZoneInfo("UTC"))})
    html = str(form["submission_deadline"])
    assert 'value="1"' in html and 'value="7"' in html and 'value="12:00"' in html  # BST


def test_the_whole_value_under_the_fields_own_name_is_still_read() -> None:
    form = DeadlineForm({"submission_deadline": "2027-03-27T17:00", "award_date": "2027-02-15"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["submission_deadline"] == datetime(2027, 3, 27, 17, 0, tzinfo=LONDON)
    assert form.cleaned_data["award_date"] == date(2027, 2, 15)


def test_an_empty_optional_date_is_none() -> None:
    form = DeadlineForm({**_deadline(), "award_date_day": "", "award_date_month": "", "award_date_year": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["award_date"] is None


def test_every_form_date_is_a_govuk_date_input() -> None:
    """No form in the project asks for a date any other way (a picker, one text box, selects)."""
    import importlib
    import pkgutil

    import citizens
    import commissioning
    import grants
    import social_value
    import tenders

    offenders = []
    for package in (commissioning, tenders, social_value, citizens, grants):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if "migrations" in module.name or "settings" in module.name or "management" in module.name:
                continue
            loaded = importlib.import_module(module.name)
            for value in vars(loaded).values():
                if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == module.name:
                    for name, field in value.base_fields.items():
                        if isinstance(field, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField):
                            offenders.append(f"{module.name}.{value.__name__}.{name}")
    assert offenders == []
