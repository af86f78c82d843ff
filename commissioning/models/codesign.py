"""Co-design, shared: a thing opened for comment to chosen groups, comments on its parts, replies.

The core knows no domain app, so it holds only the abstract shape every app's co-design shares
(a tender's draft specification in ``tenders``, the social value framework in ``social_value``):

- :class:`AbstractCommentRound`: a period in which the thing is open for comment, to the council's
  citizens (``open_to_citizens``) and/or invited organisations, with a message and an optional
  closing date. Open until the owner closes it or ``closes_at`` passes (derived, never a job).
- :class:`AbstractCommentInvitation`: an organisation invited to comment in a round.
- :class:`AbstractComment`: a comment by a person (for an invited organisation, or as a citizen),
  and the owner's reply that resolves it.

A concrete round names the foreign key to what it is about, its own one-open-round constraint and
the two permissions that decide who comments and who replies (see ``commissioning.codesign``);
a concrete invitation and comment name their ``round``. The abstract fields keep the names the
tenders' tables already had, so moving them here changed no schema.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from commissioning.tenancy import CouncilOwned

__all__ = ["AbstractComment", "AbstractCommentInvitation", "AbstractCommentRound"]


class AbstractCommentRound(CouncilOwned):
    """A period in which something the council owns is open for comment."""

    # The council permission of citizens who may comment when the round is open to citizens, and
    # the one of the owner side, who open, close and reply (``commissioning.codesign``).
    citizen_permission: ClassVar[str]
    owner_permission: ClassVar[str]

    open_to_citizens = models.BooleanField(default=False)
    message = models.TextField(blank=True, help_text="What the commissioner asks commenters to think about")
    closes_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True

    def is_open(self, now: datetime | None = None) -> bool:
        """Open until the owner closes it or its closing date passes. An app may add its own end
        (a tender's round also ends when the tender is published)."""
        now = now or timezone.now()
        return self.closed_at is None and (self.closes_at is None or self.closes_at > now)


class AbstractCommentInvitation(CouncilOwned):
    """An organisation invited to comment in a round."""

    organisation = models.ForeignKey("commissioning.Organisation", on_delete=models.CASCADE, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.organisation)


class AbstractComment(CouncilOwned):
    """A comment in a round, and the owner's reply that resolves it."""

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
        abstract = True

    @property
    def resolved(self) -> bool:
        return self.resolved_at is not None
