"""Co-design, shared: the forms every app's comment rounds use (open a round, close it, comment, reply).

An app gives the organisations that may be invited, and names the part a comment is on (its
``prefix``, so one page holds a form per part, and its title for the label).
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms

from commissioning.codesign import (
    COMMENT_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    REPLY_MAX_LENGTH,
    Capacities,
)
from commissioning.forms_govuk import GovukDateField, GovukFormMixin
from commissioning.models import Organisation

__all__ = ["AS_RESIDENT", "CloseRoundForm", "CommentForm", "CommentRoundForm", "ReplyForm"]

LONDON = ZoneInfo("Europe/London")
AS_RESIDENT = "resident"


class CommentRoundForm(GovukFormMixin, forms.Form):
    """Open a round: to the council's residents, to chosen organisations, or both; a message and a closing date."""

    open_to_citizens = forms.BooleanField(
        label="The council's residents",
        required=False,
        help_text="Every resident registered with the council as a citizen is e-mailed a link and may comment",
    )
    organisations = forms.ModelMultipleChoiceField(
        label="Organisations invited to comment",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Market engagement: every member of the organisations you choose is e-mailed a link",
    )
    message = forms.CharField(
        label="What would you like people to think about?",
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown at the top of the draft and in the e-mail, for example: Are the opening hours right?",
        error_messages={"max_length": f"The message must be {MESSAGE_MAX_LENGTH:,} characters or fewer"},
    )
    closes_on = GovukDateField(
        label="Closing date",
        required=False,
        help_text=(
            "Comments close at the end of this day (UK time), for example 31 12 2026. "
            "Leave it empty to close the round yourself."
        ),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisations"]).queryset = organisations

    def closes_at(self) -> datetime | None:
        day = self.cleaned_data.get("closes_on")
        return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON) if day else None


class CloseRoundForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why are you closing the round?",
        required=False,
        max_length=REASON_MAX_LENGTH,
        help_text="For example, We have enough comments to finish the specification",
        error_messages={"max_length": f"The reason must be {REASON_MAX_LENGTH} characters or fewer"},
    )


class ReplyForm(GovukFormMixin, forms.Form):
    """The owner's reply to one comment, prefixed by its id so many share the page."""

    reply = forms.CharField(
        label="Your reply",
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The commenter is e-mailed your reply, and the comment is marked resolved",
        error_messages={
            "required": "Enter a reply to the comment",
            "max_length": f"The reply must be {REPLY_MAX_LENGTH:,} characters or fewer",
        },
    )

    def __init__(self, *args: Any, comment: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"comment-{comment.pk}")
        kwargs.setdefault("initial", {"reply": comment.reply})
        super().__init__(*args, **kwargs)
        self.comment = comment


class CommentForm(GovukFormMixin, forms.Form):
    """A comment on one part (``title``), under ``prefix``. ``comment_as`` is asked only when the
    person may comment in more than one way (as a resident, for an invited organisation)."""

    body = forms.CharField(
        label="Your comment",
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter your comment",
            "max_length": f"Your comment must be {COMMENT_MAX_LENGTH:,} characters or fewer",
        },
    )
    comment_as = forms.ChoiceField(label="Comment as", widget=forms.RadioSelect)

    def __init__(self, *args: Any, title: str, capacities: Capacities, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = title
        self.fields["body"].label = f"Your comment on “{title}”"
        choices = [(AS_RESIDENT, "Yourself, as a resident")] if capacities.citizen else []
        choices += [(str(o.pk), o.name) for o in capacities.organisations]
        self.organisations = {str(o.pk): o for o in capacities.organisations}
        self.only_choice = choices[0][0] if len(choices) == 1 else None
        if self.only_choice is not None or not choices:
            # One way to comment: nothing to ask.
            del self.fields["comment_as"]
        else:
            cast(forms.ChoiceField, self.fields["comment_as"]).choices = choices
            self.fields["comment_as"].error_messages["required"] = (
                "Choose whether you comment as yourself or for an organisation"
            )

    @property
    def asks_comment_as(self) -> bool:
        return "comment_as" in self.fields

    def organisation(self) -> Organisation | None:
        return self.organisations.get(self.cleaned_data.get("comment_as") or self.only_choice or "")
