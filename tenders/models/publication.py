"""Publication: the tender team, conflict declarations, four-eyes approval, published revisions,
documents and clarification questions.

A tender is published as :class:`TenderRevision` number 1, which freezes a
:class:`~tenders.models.SpecificationVersion` and a snapshot of the evaluation model and
timetable. A later change (an extended deadline, a corrected document) is a new revision with a
reason; bids submitted against an earlier revision must be confirmed or resubmitted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q

from commissioning.tenancy import CouncilOwned

if TYPE_CHECKING:
    from commissioning.models import User
    from tenders.models.tender import Tender


class TeamRole(models.TextChoices):
    COMMISSIONER = "commissioner", "Commissioner"
    OFFICER = "officer", "Officer"
    EVALUATOR = "evaluator", "Evaluator"


class TenderTeamMember(CouncilOwned):
    """Someone working on a tender. Everyone on the team declares conflicts of interest before publication."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=TeamRole.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tender", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "user", "role"], name="tender_team_member_unique"),
            models.CheckConstraint(condition=Q(role__in=TeamRole.values), name="tender_team_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class ConflictDeclaration(CouncilOwned):
    """A person's declaration of interests for one tender. A new declaration replaces the previous one
    (kept: ``superseded_at`` is set), so what was declared when is never lost.

    One register for the tender team and the evaluators: an evaluator's declaration against a
    bidder (:class:`~tenders.models.BidderConflictDeclaration`) renews their declaration for the
    tender (``from_evaluation``), naming each conflicting bid as they see it ("Bid A" when blind)
    and carrying over a conflict they declared for the tender themselves."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="conflict_declarations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    has_conflict = models.BooleanField()
    details = models.TextField(blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    # Written by an evaluator's declaration against a bidder, not declared for the tender directly.
    from_evaluation = models.BooleanField(default=False)

    class Meta:
        ordering = ["tender", "-declared_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "user"], condition=Q(superseded_at__isnull=True), name="conflict_declaration_current"
            ),
            models.CheckConstraint(
                condition=Q(has_conflict=False) | ~Q(details=""), name="conflict_declaration_details"
            ),
        ]

    def __str__(self) -> str:
        return f"Declaration by {self.user}"


class ApprovalDecision(models.TextChoices):
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned for changes"


class TenderApproval(CouncilOwned):
    """An officer's decision on a tender ready for publication: its specification and evaluation model.

    ``content_sha256`` is the hash of what was approved (specification version, evaluation model,
    weighting rationale, timetable): publication checks that nothing changed since.
    """

    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="approvals")
    decision = models.CharField(max_length=20, choices=ApprovalDecision.choices)
    comment = models.TextField(blank=True)
    specification_version = models.ForeignKey(
        "tenders.SpecificationVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    content_sha256 = models.CharField(max_length=64)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tender", "-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(decision__in=ApprovalDecision.values), name="tender_approval_known"),
            models.CheckConstraint(
                condition=Q(decision="approved") | ~Q(comment=""), name="tender_approval_returned_with_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.decided_by}"


class ApprovalRequest(CouncilOwned):
    """A commissioner sends a draft tender to the council's officers for approval.

    ``asked`` keeps who was asked (each officer's id, name and e-mail at the time), so the tender
    page can say who was asked and when even if the officers change later. The request is
    answered by the next :class:`TenderApproval` decided after ``requested_at``.
    """

    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="approval_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True, help_text="What the commissioner tells the officers")
    asked = models.JSONField(default=list)

    class Meta:
        ordering = ["tender", "-requested_at", "-pk"]
        indexes = [models.Index(fields=["council", "tender", "requested_at"], name="approval_request_tender")]

    def __str__(self) -> str:
        return f"Approval asked for {self.tender}"


class ContributionKind(models.TextChoices):
    DRAFTED = "drafted", "Drafted the specification"


class TenderContributor(CouncilOwned):
    """Who contributed to a tender, and how: the data four eyes reads (``may_approve``).

    Written by the services that change the specification, in the same transaction as their audit
    event, and kept when a later save by someone else replaces the section's ``updated_by``. One
    row per tender, person and kind of contribution; ``first_at`` is when they first did it.
    """

    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="contributors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=ContributionKind.choices)
    first_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tender", "first_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "user", "kind"], name="tender_contributor_unique"),
            models.CheckConstraint(condition=Q(kind__in=ContributionKind.values), name="tender_contributor_kind_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display().lower()} for {self.tender}"

    @classmethod
    def record(cls, *, tender: Tender, user: User | None, kind: str) -> None:
        """Remember that ``user`` contributed to ``tender`` (once per kind; nobody for the system)."""
        if user is None or not user.is_authenticated:
            return
        cls.objects.get_or_create(council_id=tender.council_id, tender=tender, user=user, kind=kind)


class TenderRevision(CouncilOwned):
    """A published version of a tender: number 1 is the first publication; later ones carry a reason.

    The snapshots are what providers bid against: the evaluation model (criteria tree with
    weights), its settings (blind evaluation, price formula, tie-break), the timetable and the
    lots, as published.
    """

    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    reason = models.TextField(blank=True)
    specification_version = models.ForeignKey(
        "tenders.SpecificationVersion", on_delete=models.PROTECT, related_name="+"
    )
    approval = models.ForeignKey(TenderApproval, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    evaluation_model = models.JSONField(default=list)
    # {"blind_evaluation": bool, "price_formula": str, "tie_break": str}: fixed at publication, as approved.
    evaluation_settings = models.JSONField(default=dict, blank=True)
    timetable = models.JSONField(default=dict)
    lots = models.JSONField(default=list)
    # What a later version changed, for bidders: {"before": {...}, "after": {...}, "documents_added": [...],
    # "documents_withdrawn": [...]} with deadlines as ISO 8601 text. Empty for the first publication.
    changes = models.JSONField(default=dict, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["tender", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "number"], name="tender_revision_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="tender_revision_number_positive"),
            models.CheckConstraint(condition=Q(number=1) | ~Q(reason=""), name="tender_revision_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.tender}, published version {self.number}"


def tender_document_path(instance: TenderDocument, filename: str) -> str:
    return f"councils/{instance.council_id}/tenders/{instance.tender_id}/documents/{filename}"


class TenderDocument(CouncilOwned):
    """A document published with a tender (for example a pricing schedule or a draft contract)."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=tender_document_path, max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Replaced documents stay listed in the revision that published them.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tender", "title", "pk"]

    def __str__(self) -> str:
        return self.title


class ClarificationQuestion(CouncilOwned):
    """A provider's question about a tender, and the commissioner's answer published to every bidder.

    Who asked is never published: ``published_question`` is the question as the commissioner
    publishes it (the asker's wording, with anything identifying removed).
    """

    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="clarifications")
    organisation = models.ForeignKey("commissioning.Organisation", on_delete=models.PROTECT, related_name="+")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    question = models.TextField()
    asked_at = models.DateTimeField(auto_now_add=True)
    published_question = models.TextField(blank=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tender", "asked_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | (~Q(answer="") & ~Q(published_question="")),
                name="clarification_published_with_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"Question on {self.tender}"


class EligibilityOverride(CouncilOwned):
    """A commissioner's request to set a tender's eligibility other than its value band says, with a
    written reason; it takes effect only once an officer (not the requester) approves it."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="eligibility_overrides")
    reserved_for_local = models.BooleanField(default=False)
    reserved_for_vcse = models.BooleanField(default=False)
    reserved_for_sme = models.BooleanField(default=False)
    reason = models.TextField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=20, choices=ApprovalDecision.choices, blank=True)
    decision_comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tender", "-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="eligibility_override_reason"),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decided_at__isnull=False), name="eligibility_override_decided_at"
            ),
        ]

    def __str__(self) -> str:
        return f"Eligibility override for {self.tender}"
