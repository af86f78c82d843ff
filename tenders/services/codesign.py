"""Writes of co-design: comment rounds on draft specifications, comments and replies.

A commissioner opens a tender's draft specification for comment to the council's citizens and/or
named provider organisations (market engagement); commenters comment on a section; the
commissioner resolves each comment with a reply. A round is closed when the commissioner closes it,
when its closing date passes, or when the tender is published (derived: see
:func:`tenders.selectors.codesign.round_is_open`), so nothing depends on a scheduled job.

Keyword-only, typed and atomic; each change writes one audit event in the same transaction, and
e-mails go out through Celery once it commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.codesign import (
    COMMENT_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    REPLY_MAX_LENGTH,
)
from commissioning.links import site_base_url
from commissioning.models import Organisation, User
from commissioning.queue import enqueue
from commissioning.services.codesign import (
    CodesignActions,
    codesign_comment_create,
    codesign_comment_resolve,
    codesign_reason_clean,
    codesign_round_close,
    codesign_round_create,
    codesign_round_validate,
    codesign_rounds_lapsed_record,
)
from tenders.audit_labels import TenderAction
from tenders.models import CommentInvitation, CommentRound, SectionComment, SpecificationSection, Tender

__all__ = [
    "COMMENT_MAX_LENGTH",
    "REPLY_MAX_LENGTH",
    "MESSAGE_MAX_LENGTH",
    "PUBLISHED_REASON",
    "comment_round_open",
    "comment_round_close",
    "comment_rounds_close_for_publication",
    "comment_add",
    "comment_resolve",
]

PUBLISHED_REASON = "The tender was published"
# The shared steps (commissioning.services.codesign) audit with the tenders' words.
ACTIONS = CodesignActions(
    round_opened=TenderAction.CODESIGN_ROUND_OPENED,
    round_closed=TenderAction.CODESIGN_ROUND_CLOSED,
    comment_added=TenderAction.CODESIGN_COMMENT_ADDED,
    comment_resolved=TenderAction.CODESIGN_COMMENT_RESOLVED,
)


def _require_commissioner(actor: User, tender: Tender) -> None:
    if not actor.has_perm("tender.change", tender.council):
        raise PermissionDenied("Only a council commissioner can open, close or reply to comments on a specification.")


def _locked_tender(tender: Tender) -> Tender:
    return Tender.objects.select_for_update(of=("self",)).get(pk=tender.pk)


@transaction.atomic
def comment_round_open(
    *,
    tender: Tender,
    actor: User,
    open_to_citizens: bool,
    organisations: Iterable[Organisation],
    message: str = "",
    closes_at: datetime | None = None,
    base_url: str | None = None,
    now: datetime | None = None,
) -> CommentRound:
    """Open the draft specification for comment to the council's citizens and/or named organisations.

    Only a commissioner (``tender.change``) may; not once the tender is published (its
    specification is then fixed), and not while another round is open (one at a time per tender).
    At least one group is invited. Everyone invited is e-mailed a link once the round is saved.
    """
    _require_commissioner(actor, tender)
    now = now or timezone.now()
    tender = _locked_tender(tender)
    if tender.published_at is not None:
        raise ValidationError(
            "The specification cannot be opened for comment because the tender is published", code="published"
        )
    organisations, message = codesign_round_validate(
        open_to_citizens=open_to_citizens, organisations=organisations, message=message, closes_at=closes_at, now=now
    )
    codesign_rounds_lapsed_record(CommentRound.objects.filter(tender=tender), now=now)
    if CommentRound.objects.filter(tender=tender, closed_at__isnull=True).exists():
        raise ValidationError(
            "The specification is already open for comment: close that round before opening another", code="open"
        )
    comment_round = codesign_round_create(
        round_model=CommentRound,
        invitation_model=CommentInvitation,
        council=tender.council,
        actor=actor,
        actions=ACTIONS,
        open_to_citizens=open_to_citizens,
        organisations=organisations,
        message=message,
        closes_at=closes_at,
        facts={"tender": tender.title},
        about={"tender": tender},
    )
    from tenders.tasks.codesign import send_comment_round_emails

    enqueue(
        send_comment_round_emails,
        council=tender.council,
        round_id=comment_round.pk,
        base_url=base_url or site_base_url(),
    )
    return comment_round


def _close(comment_round: CommentRound, actor: User | None, reason: str, now: datetime) -> None:
    codesign_round_close(
        comment_round=comment_round,
        actor=actor,
        actions=ACTIONS,
        reason=reason,
        now=now,
        facts={"tender": comment_round.tender.title},
    )


@transaction.atomic
def comment_round_close(
    *, round: CommentRound, actor: User, reason: str = "", now: datetime | None = None
) -> CommentRound:
    """The commissioner closes a round early; comments already made stay, and may still be replied to."""
    _require_commissioner(actor, round.tender)
    now = now or timezone.now()
    comment_round = CommentRound.objects.select_for_update().select_related("tender").get(pk=round.pk)
    if comment_round.closed_at is not None:
        raise ValidationError("This round is already closed", code="closed")
    reason = codesign_reason_clean(reason, default="Closed by the commissioner")
    _close(comment_round, actor, reason, now)
    return comment_round


@transaction.atomic
def comment_rounds_close_for_publication(*, tender: Tender, actor: User | None) -> list[CommentRound]:
    """Close any open round of the tender because it is being published.

    Publication calls this in its own transaction. Rounds are closed by publication anyway
    (``round_is_open`` reads ``tender.published_at``): this records when and why.
    """
    now = timezone.now()
    closed = []
    for comment_round in (
        CommentRound.objects.select_for_update().select_related("tender").filter(tender=tender, closed_at__isnull=True)
    ):
        _close(comment_round, actor, PUBLISHED_REASON, now)
        closed.append(comment_round)
    return closed


@transaction.atomic
def comment_add(
    *,
    round: CommentRound,
    section: SpecificationSection,
    author: User,
    organisation: Organisation | None,
    body: str,
    now: datetime | None = None,
) -> SectionComment:
    """A commenter comments on one section while the round is open.

    Who may: a citizen of the council (``tender.comment``) when the round is open to citizens,
    commenting as themselves (``organisation`` None); or a member of an invited organisation,
    commenting for it.
    """
    now = now or timezone.now()
    comment_round = CommentRound.objects.select_related("tender").get(pk=round.pk)

    def check_section() -> tuple[dict[str, Any], dict[str, Any]]:
        if section.tender_id != comment_round.tender_id:
            raise ValidationError({"section": "Choose a section of this specification"}, code="invalid_section")
        return (
            {"section": section, "section_title": section.title},
            {"tender": comment_round.tender.title, "section": section.title},
        )

    return codesign_comment_create(
        comment_round=comment_round,
        comment_model=SectionComment,
        author=author,
        organisation=organisation,
        body=body,
        now=now,
        actions=ACTIONS,
        part=check_section,
    )


@transaction.atomic
def comment_resolve(*, comment: SectionComment, actor: User, reply: str, base_url: str | None = None) -> SectionComment:
    """The commissioner resolves a comment with a reply, which is e-mailed to the commenter.

    A reply is required (every comment gets an answer). A resolved comment's reply may be changed;
    the commenter is told again. Replies are allowed after the round closes.
    """
    comment = SectionComment.objects.select_for_update(of=("self",)).select_related("round__tender").get(pk=comment.pk)
    _require_commissioner(actor, comment.round.tender)
    changed = codesign_comment_resolve(
        comment=comment,
        actor=actor,
        reply=reply,
        actions=ACTIONS,
        facts={"tender": comment.round.tender.title, "section": comment.section_title},
    )
    if not changed or comment.resolved_at is None:
        return comment
    from tenders.tasks.codesign import send_comment_reply_email

    enqueue(
        send_comment_reply_email,
        council=comment.council,
        comment_id=comment.pk,
        resolved_at=comment.resolved_at.isoformat(),
        base_url=base_url or site_base_url(),
    )
    return comment
