"""Forms of the specification (its sections and versions) and of the council's clause library."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.html import escape
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import ProseEditorWidget

from commissioning.forms_govuk import GovukFormMixin

if TYPE_CHECKING:
    from tenders.models import Clause

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
    clause: forms.ModelChoiceField[Clause] = forms.ModelChoiceField(
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
        cast(forms.ModelChoiceField, self.fields["clause"]).queryset = clauses


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
