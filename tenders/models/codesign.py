"""Co-design: a draft specification opened for comment to chosen groups, comments per section, replies.

A :class:`CommentRound` opens a tender's draft specification to the council's citizens and/or
named provider organisations (:class:`CommentInvitation`). People comment on a section
(:class:`SectionComment`); the commissioner resolves each comment with a reply. A round closes
when the commissioner closes it or, at the latest, when the tender is published.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from commissioning.tenancy import CouncilOwned


class CommentRound(CouncilOwned):
    """A period in which a tender's draft specification is open for comment. At most one is open per tender."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="comment_rounds")
    open_to_citizens = models.BooleanField(default=False)
    message = models.TextField(blank=True, help_text="What the commissioner asks commenters to think about")
    closes_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["tender", "-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender"], condition=Q(closed_at__isnull=True), name="comment_round_one_open_per_tender"
            ),
        ]

    def __str__(self) -> str:
        return f"Comments on {self.tender}"


class CommentInvitation(CouncilOwned):
    """A provider organisation invited to comment in a round (market engagement)."""

    round = models.ForeignKey(CommentRound, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey("commissioning.Organisation", on_delete=models.CASCADE, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="comment_invitation_unique"),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class SectionComment(CouncilOwned):
    """A comment on one section of a draft specification, and the commissioner's reply that resolves it.

    ``section_title`` keeps the title the section had, so a comment still reads sensibly if the
    section is renamed or removed later.
    """

    round = models.ForeignKey(CommentRound, on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(
        "tenders.SpecificationSection", on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    section_title = models.CharField(max_length=200)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Set when the author comments for an invited organisation; empty for a citizen.
    organisation = models.ForeignKey(
        "commissioning.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    reply = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | ~Q(reply=""), name="section_comment_resolved_with_reply"
            ),
        ]

    def __str__(self) -> str:
        return f"Comment on {self.section_title}"

    @property
    def resolved(self) -> bool:
        return self.resolved_at is not None
