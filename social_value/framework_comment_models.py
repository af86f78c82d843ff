"""The social value framework opened for comment (co-design of the indicators).

A council admin opens the framework for comment to the council's citizens and/or invited local
voluntary groups (organisations of the VCSE legal forms): a :class:`FrameworkCommentRound`, with
its :class:`FrameworkCommentInvitation` rows. Commenters comment on a theme, an outcome or a
measure of the framework (:class:`FrameworkComment`, by a section key such as ``"measure:12"``);
the admin resolves each comment with a reply. A round closes when the admin closes it or its
closing date passes. The shared shape and rules are the core's (``commissioning.models.codesign``,
``commissioning.codesign``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from commissioning.models.codesign import AbstractComment, AbstractCommentInvitation, AbstractCommentRound

__all__ = ["FrameworkComment", "FrameworkCommentInvitation", "FrameworkCommentRound", "SectionKind"]


class SectionKind(models.TextChoices):
    """What a comment is on: the part of the framework its section key names."""

    THEME = "theme", "Theme"
    OUTCOME = "outcome", "Outcome"
    MEASURE = "measure", "Measure"


class FrameworkCommentRound(AbstractCommentRound):
    """A period in which the council's social value framework is open for comment. One open at a time."""

    citizen_permission = "social_value.comment_framework"
    owner_permission = "social_value.manage_framework"

    framework = models.ForeignKey(
        "social_value.SocialValueFramework", on_delete=models.CASCADE, related_name="comment_rounds"
    )

    class Meta:
        ordering = ["framework", "-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework"], condition=Q(closed_at__isnull=True), name="sv_comment_round_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"Comments on {self.framework}"


class FrameworkCommentInvitation(AbstractCommentInvitation):
    """A local voluntary group invited to comment on the framework."""

    round = models.ForeignKey(FrameworkCommentRound, on_delete=models.CASCADE, related_name="invitations")

    class Meta:
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="sv_comment_invitation_unique"),
        ]


class FrameworkComment(AbstractComment):
    """A comment on a theme, an outcome or a measure, and the admin's reply that resolves it.

    ``section_key`` ("theme:<id>", "outcome:<id>", "measure:<id>") names the part; ``section_title``
    keeps what it was called, so the comment still reads sensibly if the part is renamed later.
    """

    round = models.ForeignKey(FrameworkCommentRound, on_delete=models.CASCADE, related_name="comments")
    section_key = models.CharField(max_length=40)
    section_title = models.CharField(max_length=300)

    class Meta:
        ordering = ["round", "created_at", "pk"]
        indexes = [models.Index(fields=["round", "section_key"], name="sv_comment_round_section")]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | ~Q(reply=""), name="sv_comment_resolved_with_reply"
            ),
            models.CheckConstraint(
                condition=Q(section_key__regex=r"^(theme|outcome|measure):[1-9][0-9]*$"), name="sv_comment_section_key"
            ),
        ]

    def __str__(self) -> str:
        return f"Comment on {self.section_title}"

    @property
    def section_kind(self) -> str:
        return self.section_key.partition(":")[0]
