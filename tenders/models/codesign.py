"""Co-design: a draft specification opened for comment to chosen groups, comments per section, replies.

A :class:`CommentRound` opens a tender's draft specification to the council's citizens and/or
named provider organisations (:class:`CommentInvitation`). People comment on a section
(:class:`SectionComment`); the commissioner resolves each comment with a reply. A round closes
when the commissioner closes it or, at the latest, when the tender is published.

The fields every co-design shares are the core's (``commissioning.models.codesign``); these name
what a tender's rounds are about, and who comments and replies.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import Q

from commissioning.models.codesign import AbstractComment, AbstractCommentInvitation, AbstractCommentRound


class CommentRound(AbstractCommentRound):
    """A period in which a tender's draft specification is open for comment. At most one is open per tender."""

    citizen_permission = "tender.comment"
    owner_permission = "tender.change"

    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="comment_rounds")

    class Meta:
        ordering = ["tender", "-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender"], condition=Q(closed_at__isnull=True), name="comment_round_one_open_per_tender"
            ),
        ]

    def __str__(self) -> str:
        return f"Comments on {self.tender}"

    def is_open(self, now: datetime | None = None) -> bool:
        """Open until the commissioner closes it, its closing date passes, or the tender is published."""
        return super().is_open(now) and self.tender.published_at is None


class CommentInvitation(AbstractCommentInvitation):
    """A provider organisation invited to comment in a round (market engagement)."""

    round = models.ForeignKey(CommentRound, on_delete=models.CASCADE, related_name="invitations")

    class Meta:
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="comment_invitation_unique"),
        ]


class SectionComment(AbstractComment):
    """A comment on one section of a draft specification, and the commissioner's reply that resolves it.

    ``section_title`` keeps the title the section had, so a comment still reads sensibly if the
    section is renamed or removed later.
    """

    round = models.ForeignKey(CommentRound, on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(
        "tenders.SpecificationSection", on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    section_title = models.CharField(max_length=200)

    class Meta:
        ordering = ["round", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | ~Q(reply=""), name="section_comment_resolved_with_reply"
            ),
        ]

    def __str__(self) -> str:
        return f"Comment on {self.section_title}"
