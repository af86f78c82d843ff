"""Co-design, shared: the steps every app's comment rounds take (open, invite, comment, reply, close).

An app's services (``tenders.services.codesign``, ``social_value.framework_comments``) check what
only they know (is the tender published? is this a measure of the council's framework?) and call
these steps, which check what every round shares, write the rows and the audit event. Each step is
audited with the caller's own action codes (:class:`CodesignActions`) and facts, so the trail says
"commented on the draft specification" or "commented on the social value framework".

Callers run inside their own ``@transaction.atomic`` service; the steps are atomic too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from commissioning.audit import audit_record
from commissioning.codesign import (
    CLOSING_DATE_PASSED,
    COMMENT_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    REPLY_MAX_LENGTH,
    commenter_capacities,
    may_comment,
)
from commissioning.models import Council, Organisation, User
from commissioning.models.codesign import AbstractComment, AbstractCommentInvitation, AbstractCommentRound

__all__ = [
    "CodesignActions",
    "codesign_round_validate",
    "codesign_round_create",
    "codesign_round_close",
    "codesign_rounds_lapsed_record",
    "codesign_reason_clean",
    "codesign_comment_create",
    "codesign_comment_resolve",
]

_Round = TypeVar("_Round", bound=AbstractCommentRound)
_Comment = TypeVar("_Comment", bound=AbstractComment)


@dataclass(frozen=True)
class CodesignActions:
    """The audit action codes an app records for each step of its rounds."""

    round_opened: str
    round_closed: str
    comment_added: str
    comment_resolved: str


def codesign_round_validate(
    *,
    open_to_citizens: bool,
    organisations: Iterable[Organisation],
    message: str,
    closes_at: datetime | None,
    now: datetime,
    errors: dict[str, list[str]] | None = None,
) -> tuple[list[Organisation], str]:
    """Check what a new round asks for: at least one group invited, a message of a sensible length,
    a closing date in the future. Returns the organisations (each once) and the message, trimmed;
    raises one ValidationError with every problem (and the caller's own ``errors``)."""
    errors = dict(errors or {})
    chosen = list(dict.fromkeys(organisations))
    if not open_to_citizens and not chosen:
        errors.setdefault("organisations", []).append(
            "Choose who may comment: the council's residents, organisations, or both"
        )
    message = message.strip()
    if len(message) > MESSAGE_MAX_LENGTH:
        errors["message"] = [f"The message must be {MESSAGE_MAX_LENGTH:,} characters or fewer"]
    if closes_at is not None and closes_at <= now:
        errors["closes_at"] = ["The closing date must be in the future"]
    if errors:
        raise ValidationError(errors, code="invalid")
    return chosen, message


@transaction.atomic
def codesign_round_create(
    *,
    round_model: type[_Round],
    invitation_model: type[AbstractCommentInvitation],
    council: Council,
    actor: User,
    actions: CodesignActions,
    open_to_citizens: bool,
    organisations: list[Organisation],
    message: str,
    closes_at: datetime | None,
    facts: dict[str, Any],
    about: dict[str, Any],
) -> _Round:
    """Write a validated round (``about``: the foreign key to what it is about) and its invitations, audited."""
    comment_round = round_model.objects.create(
        council=council,
        open_to_citizens=open_to_citizens,
        message=message,
        closes_at=closes_at,
        opened_by=actor,
        **about,
    )
    invitation_model.objects.bulk_create(
        invitation_model(council=council, round=comment_round, organisation=organisation)  # type: ignore[misc]
        for organisation in organisations
    )
    audit_record(
        council=council,
        actor=actor,
        action=actions.round_opened,
        target=comment_round,
        after={
            **facts,
            "open_to_citizens": open_to_citizens,
            "organisations": [o.name for o in organisations],
            "message": message,
            "closes_at": closes_at,
        },
    )
    return comment_round


def codesign_rounds_lapsed_record(rounds: QuerySet[Any], *, now: datetime) -> None:
    """Of ``rounds`` (one owner's), those whose closing date passed are closed already (derived):
    record it, with the closing date as when, so a new round may open."""
    for lapsed in rounds.select_for_update().filter(closed_at__isnull=True, closes_at__lte=now):
        lapsed.closed_at, lapsed.closed_reason = lapsed.closes_at, CLOSING_DATE_PASSED
        lapsed.save(update_fields=["closed_at", "closed_reason"])


def codesign_reason_clean(reason: str, *, default: str) -> str:
    """A reason for closing a round, on one line; ``default`` when none is given."""
    reason = " ".join(reason.split()) or default
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": f"The reason must be {REASON_MAX_LENGTH} characters or fewer"}, code="max_length"
        )
    return reason


@transaction.atomic
def codesign_round_close(
    *,
    comment_round: AbstractCommentRound,
    actor: User | None,
    actions: CodesignActions,
    reason: str,
    now: datetime,
    facts: dict[str, Any],
) -> None:
    """Record that the (locked) round closed now, and why; comments stay and may still be replied to."""
    comment_round.closed_at, comment_round.closed_reason = now, reason
    comment_round.save(update_fields=["closed_at", "closed_reason"])
    audit_record(
        council=comment_round.council,
        actor=actor,
        action=actions.round_closed,
        target=comment_round,
        after={**facts, "reason": reason},
    )


def _body_clean(body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Enter your comment"}, code="required")
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"body": f"Your comment must be {COMMENT_MAX_LENGTH:,} characters or fewer"}, code="max_length"
        )
    return body


@transaction.atomic
def codesign_comment_create(
    *,
    comment_round: AbstractCommentRound,
    comment_model: type[_Comment],
    author: User,
    organisation: Organisation | None,
    body: str,
    now: datetime,
    actions: CodesignActions,
    part: Callable[[], tuple[dict[str, Any], dict[str, Any]]],
) -> _Comment:
    """A commenter comments on one part of what the round is about, while the round is open.

    The rule every round shares: a citizen of the council comments as themselves when the round is
    open to citizens, a member of an invited organisation comments for it (else PermissionDenied);
    nobody comments once it is closed. Then ``part()`` checks the part is the round's (raising the
    app's own ValidationError if not) and gives the comment's fields that say which part it is, and
    the audit facts.
    """
    capacities = commenter_capacities(comment_round=comment_round, user=author)
    allowed, reason = may_comment(capacities=capacities, organisation=organisation)
    if not allowed:
        raise PermissionDenied(reason)
    if not comment_round.is_open(now):
        raise ValidationError("This round of comments is closed", code="closed")
    on, facts = part()
    body = _body_clean(body)
    comment = comment_model.objects.create(
        council=comment_round.council,
        round=comment_round,
        author=author,
        organisation=organisation,
        body=body,
        **on,
    )
    audit_record(
        council=comment_round.council,
        actor=author,
        action=actions.comment_added,
        target=comment,
        after={**facts, "organisation": organisation.name if organisation else None, "body": body},
    )
    return comment


@transaction.atomic
def codesign_comment_resolve(
    *, comment: AbstractComment, actor: User, reply: str, actions: CodesignActions, facts: dict[str, Any]
) -> bool:
    """The owner resolves the (locked) comment with a reply; False when it already had this very reply.

    A reply is required (every comment gets an answer); a resolved comment's reply may be changed.
    Replies are allowed after the round closes.
    """
    reply = reply.strip()
    if not reply:
        raise ValidationError({"reply": "Enter a reply to the comment"}, code="required")
    if len(reply) > REPLY_MAX_LENGTH:
        raise ValidationError(
            {"reply": f"The reply must be {REPLY_MAX_LENGTH:,} characters or fewer"}, code="max_length"
        )
    if reply == comment.reply and comment.resolved_at is not None:
        return False
    before = {"reply": comment.reply, "resolved_at": comment.resolved_at} if comment.resolved_at else None
    comment.reply, comment.resolved_by, comment.resolved_at = reply, actor, timezone.now()
    comment.save(update_fields=["reply", "resolved_by", "resolved_at"])
    audit_record(
        council=comment.council,
        actor=actor,
        action=actions.comment_resolved,
        target=comment,
        before=before,
        after={**facts, "reply": reply},
    )
    return True
