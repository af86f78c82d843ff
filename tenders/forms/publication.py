"""Forms of publication: the tender team, declarations, approval, documents, published changes and
eligibility overrides."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from commissioning.forms_govuk import GovukDateField, GovukFormMixin, needed_sometimes
from commissioning.models import Membership, Role
from tenders.forms.shared import kinds_field, local_area_field
from tenders.models import TeamRole, TenderDocument
from tenders.services.publication import MAX_DOCUMENT_BYTES, TYPES_TEXT, NewDocument

__all__ = [
    "TeamMemberForm",
    "DeclarationForm",
    "ApprovalForm",
    "ApprovalRequestForm",
    "DocumentForm",
    "ChangeForm",
    "OverrideRequestForm",
    "OverrideDecisionForm",
]


ROLE_OF: dict[str, TeamRole] = {
    Role.COMMISSIONER: TeamRole.COMMISSIONER,
    Role.OFFICER: TeamRole.OFFICER,
    Role.EVALUATOR: TeamRole.EVALUATOR,
}


class TeamMemberForm(GovukFormMixin, forms.Form):
    """A council member and the role they take on the tender's team (one they hold in the council)."""

    member = forms.ChoiceField(
        label="Person and role",
        help_text="Commissioners, officers and evaluators of the council",
        error_messages={"required": "Choose someone to add", "invalid_choice": "Choose someone from the list"},
    )

    def __init__(self, *args: Any, memberships: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {}
        choices = [("", "Choose a person")]
        for membership in memberships:
            if membership.role not in ROLE_OF:
                continue
            key = f"{membership.user_id}:{ROLE_OF[membership.role]}"
            self.people[key] = (membership.user, ROLE_OF[membership.role])
            label = f"{membership.user.name or membership.user.email} ({membership.get_role_display().lower()})"
            choices.append((key, label))
        cast(forms.ChoiceField, self.fields["member"]).choices = choices

    def chosen(self) -> tuple[Any, str]:
        return self.people[self.cleaned_data["member"]]


class DeclarationForm(GovukFormMixin, forms.Form):
    has_conflict = forms.TypedChoiceField(
        label="Do you have a conflict of interest in this tender?",
        help_text=(
            "For example a financial interest in, or a close relationship with, an organisation that may bid, "
            "or a role in one."
        ),
        choices=[("no", "No, I have no conflict of interest"), ("yes", "Yes, I have a conflict of interest")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you have a conflict of interest"},
    )
    details = needed_sometimes(
        forms.CharField(
            label="Details of the conflict",
            required=False,
            max_length=5000,
            help_text="Who or what it involves, and how. Leave empty if you have no conflict.",
            widget=forms.Textarea(attrs={"rows": 4}),
        )
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("has_conflict") and not data.get("details", "").strip():
            self.add_error("details", "Describe the conflict of interest")
        return data


def _decision_form(
    *, name: str, approve: str, refuse: str, required: str, comment_help: str, refusal_needs: str, rows: int
) -> type[forms.Form]:
    """A two-way decision (approve, or return/refuse with a reason): the officer's four-eyes forms."""

    class DecisionForm(GovukFormMixin, forms.Form):
        decision = forms.ChoiceField(
            label="Your decision",
            choices=[("approved", approve), ("returned", refuse)],
            widget=forms.RadioSelect,
            error_messages={"required": required},
        )
        comment = needed_sometimes(
            forms.CharField(
                label="Comment",
                required=False,
                max_length=5000,
                help_text=comment_help,
                widget=forms.Textarea(attrs={"rows": rows}),
            )
        )

        def clean(self) -> dict[str, Any]:
            super().clean()
            data = self.cleaned_data
            if data.get("decision") == "returned" and not data.get("comment", "").strip():
                self.add_error("comment", refusal_needs)
            return data

    DecisionForm.__name__ = DecisionForm.__qualname__ = name
    return DecisionForm


ApprovalForm = _decision_form(
    name="ApprovalForm",
    approve="Approve it for publication",
    refuse="Return it to the commissioner for changes",
    required="Choose whether to approve or return the tender",
    comment_help="Required when you return it: say what needs to change",
    refusal_needs="Say what needs to change before you can approve it",
    rows=4,
)


class ApprovalRequestForm(GovukFormMixin, forms.Form):
    """A commissioner sends the tender to the council's officers for approval, with an optional note."""

    note = forms.CharField(
        label="Note to the officers",
        required=False,
        max_length=2000,
        help_text="For example what changed since it was last returned",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "The note must be 2,000 characters or fewer"},
    )


def _document_field(required: bool) -> forms.FileField:
    return forms.FileField(
        label="Document",
        required=required,
        help_text=f"{TYPES_TEXT}, at most 10 MB",
        error_messages={"required": "Choose a document to upload", "empty": "The document is empty"},
    )


class DocumentForm(GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="What bidders will see, for example Pricing schedule",
        error_messages={"required": "Enter a title for the document"},
    )
    file = _document_field(required=True)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload is not None and upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError("The document must be 10 MB or smaller")
        return upload

    def document(self) -> NewDocument:
        upload = self.cleaned_data["file"]
        return NewDocument(title=self.cleaned_data["title"], filename=upload.name, data=upload.read())


def _deadline_field(label: str, what: str) -> GovukDateField:
    return GovukDateField(
        label=label,
        required=False,
        with_time=True,
        help_text="UK time, for example 8 1 2027 and 12:00. Leave it as it is to keep it; it can only be extended.",
    )


class ChangeForm(GovukFormMixin, forms.Form):
    """A change to a published tender, published as its next version with a reason."""

    reason = forms.CharField(
        label="Why the tender is changing",
        max_length=5000,
        help_text="Bidders read this with the change",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the tender is changing: bidders read this"},
    )
    clarification_deadline = _deadline_field("Clarification deadline", "clarification deadline")
    submission_deadline = _deadline_field("Submission deadline", "submission deadline")
    description = forms.CharField(
        label="Description", required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    withdraw = forms.MultipleChoiceField(
        label="Withdraw documents", required=False, widget=forms.CheckboxSelectMultiple
    )
    document_title = forms.CharField(label="Title of a new document", required=False, max_length=200)
    document_file = _document_field(required=False)

    def __init__(self, *args: Any, documents: list[TenderDocument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["withdraw"]).choices = [(str(d.pk), d.title) for d in documents]
        if not documents:
            del self.fields["withdraw"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("document_file") and not data.get("document_title", "").strip():
            self.add_error("document_title", "Enter a title for the new document")
        if data.get("document_title", "").strip() and not data.get("document_file"):
            self.add_error("document_file", "Choose the new document to upload")
        upload = data.get("document_file")
        if upload is not None and upload.size > MAX_DOCUMENT_BYTES:
            self.add_error("document_file", "The document must be 10 MB or smaller")
        return data

    def new_documents(self) -> list[NewDocument]:
        upload = self.cleaned_data.get("document_file")
        if not upload:
            return []
        return [NewDocument(title=self.cleaned_data["document_title"], filename=upload.name, data=upload.read())]

    def withdrawn_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data.get("withdraw", [])]


class OverrideRequestForm(GovukFormMixin, forms.Form):
    reserved_for_local = local_area_field()
    reserved_for = kinds_field(
        "Reserved for these kinds of organisation", "Leave both empty to let any kind of organisation bid"
    )
    reason = forms.CharField(
        label="Why this tender needs different eligibility",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Explain why this tender needs different eligibility"},
    )


OverrideDecisionForm = _decision_form(
    name="OverrideDecisionForm",
    approve="Approve the request",
    refuse="Refuse the request",
    required="Choose whether to approve or refuse the request",
    comment_help="Required when you refuse it",
    refusal_needs="Say why you refuse the request",
    rows=3,
)
