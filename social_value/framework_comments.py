"""Writes of the social value framework opened for comment: rounds, comments and replies.

The seed's ask: "the local voluntary sector has been involved in shaping the indicators". A council
admin opens the framework for comment to the council's citizens and/or invited local voluntary
groups (organisations of the VCSE legal forms, ``commissioning.models.organisations.VCSE_FORMS``);
commenters comment on a theme, an outcome or a measure; the admin resolves each comment with a
reply. A round closes when the admin closes it or its closing date passes (derived, never a job).

These check what only the framework knows (is this a part of the council's framework? is the
group a voluntary one?) and take the steps every co-design shares
(``commissioning.services.codesign``), audited with this app's words. Keyword-only, typed, atomic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.links import site_base_url
from commissioning.models import Council, Organisation, User
from commissioning.models.organisations import VCSE_FORMS
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
from social_value.audit_labels import SocialValueAction
from social_value.models import (
    FrameworkComment,
    FrameworkCommentInvitation,
    FrameworkCommentRound,
    FrameworkOutcome,
    Measure,
    SocialValueFramework,
    Theme,
)
from social_value.rules import may_reply_on_framework

__all__ = [
    "MAX_COMMENTS_PER_PERSON",
    "framework_comment_add",
    "framework_comment_resolve",
    "framework_comment_round_close",
    "framework_comment_round_open",
    "framework_section",
]

ACTIONS = CodesignActions(
    round_opened=SocialValueAction.FRAMEWORK_COMMENTS_OPENED,
    round_closed=SocialValueAction.FRAMEWORK_COMMENTS_CLOSED,
    comment_added=SocialValueAction.FRAMEWORK_COMMENT_ADDED,
    comment_resolved=SocialValueAction.FRAMEWORK_COMMENT_RESOLVED,
)
# A person's comments in one round are listed on their page in full: at most this many.
MAX_COMMENTS_PER_PERSON = 50
SECTION_KEY = re.compile(r"^(theme|outcome|measure):([1-9][0-9]{0,17})$")
NOT_A_SECTION = "Choose a theme, outcome or measure of the framework"


def _require_admin(actor: User, council: Council) -> None:
    if not actor.has_perm("social_value.manage_framework", council):
        raise PermissionDenied("Only a council admin can open, close or reply to comments on the framework.")


def framework_section(*, framework: SocialValueFramework, key: str) -> str:
    """The title of the part of ``framework`` the section key names ("theme:3", "outcome:7",
    "measure:12"); a measure in use, not retired. ValidationError for anything else."""
    match = SECTION_KEY.match(key or "")
    if match is None:
        raise ValidationError({"section": NOT_A_SECTION}, code="invalid_section")
    kind, pk = match.group(1), int(match.group(2))
    council = framework.council
    title: str | None
    if kind == "theme":
        title = (
            Theme.objects.filter(council=council, framework=framework, pk=pk).values_list("title", flat=True).first()
        )
    elif kind == "outcome":
        title = (
            FrameworkOutcome.objects.filter(council=council, theme__framework=framework, pk=pk)
            .values_list("title", flat=True)
            .first()
        )
    else:
        found = (
            Measure.objects.filter(council=council, outcome__theme__framework=framework, pk=pk, retired_at__isnull=True)
            .values_list("code", "name")
            .first()
        )
        title = f"{found[0]} {found[1]}" if found else None
    if title is None:
        raise ValidationError({"section": NOT_A_SECTION}, code="invalid_section")
    return title


@transaction.atomic
def framework_comment_round_open(
    *,
    council: Council,
    actor: User,
    open_to_citizens: bool,
    organisations: Iterable[Organisation],
    message: str = "",
    closes_at: datetime | None = None,
    base_url: str | None = None,
    now: datetime | None = None,
) -> FrameworkCommentRound:
    """Open the council's framework for comment to its citizens and/or invited local voluntary groups.

    Only a council admin may. Invited organisations must be voluntary, community or social
    enterprise ones (charity, CIC, co-operative, community group): the framework is shaped with
    the local voluntary sector, not by bidders. One round is open at a time. Everyone invited is
    e-mailed a link once the round is saved.
    """
    _require_admin(actor, council)
    now = now or timezone.now()
    framework = SocialValueFramework.objects.select_for_update().filter(council=council).first()
    if framework is None:
        raise ValidationError("The council has no social value framework to open for comment yet", code="none")
    chosen = list(organisations)
    errors: dict[str, list[str]] = {}
    not_voluntary = [o.name for o in chosen if o.legal_form not in VCSE_FORMS]
    if not_voluntary:
        errors["organisations"] = [
            "Invite voluntary, community or social enterprise organisations only: "
            f"{', '.join(sorted(not_voluntary))} {'is' if len(not_voluntary) == 1 else 'are'} not"
        ]
    chosen, message = codesign_round_validate(
        open_to_citizens=open_to_citizens,
        organisations=chosen,
        message=message,
        closes_at=closes_at,
        now=now,
        errors=errors,
    )
    codesign_rounds_lapsed_record(FrameworkCommentRound.objects.filter(framework=framework), now=now)
    if FrameworkCommentRound.objects.filter(framework=framework, closed_at__isnull=True).exists():
        raise ValidationError(
            "The framework is already open for comment: close that round before opening another", code="open"
        )
    comment_round = codesign_round_create(
        round_model=FrameworkCommentRound,
        invitation_model=FrameworkCommentInvitation,
        council=council,
        actor=actor,
        actions=ACTIONS,
        open_to_citizens=open_to_citizens,
        organisations=chosen,
        message=message,
        closes_at=closes_at,
        facts={"framework": framework.name},
        about={"framework": framework},
    )
    from social_value.framework_comment_tasks import send_framework_round_emails

    enqueue(
        send_framework_round_emails,
        council=council,
        round_id=comment_round.pk,
        base_url=base_url or site_base_url(),
    )
    return comment_round


@transaction.atomic
def framework_comment_round_close(
    *, round: FrameworkCommentRound, actor: User, reason: str = "", now: datetime | None = None
) -> FrameworkCommentRound:
    """The admin closes a round; comments already made stay, and may still be replied to."""
    comment_round = (
        FrameworkCommentRound.objects.select_for_update(of=("self",)).select_related("framework").get(pk=round.pk)
    )
    if not may_reply_on_framework.test(actor, comment_round):
        raise PermissionDenied("Only a council admin can close the framework for comment.")
    now = now or timezone.now()
    if not comment_round.is_open(now):
        raise ValidationError("This round is already closed", code="closed")
    reason = codesign_reason_clean(reason, default="Closed by the council")
    codesign_round_close(
        comment_round=comment_round,
        actor=actor,
        actions=ACTIONS,
        reason=reason,
        now=now,
        facts={"framework": comment_round.framework.name},
    )
    return comment_round


@transaction.atomic
def framework_comment_add(
    *,
    round: FrameworkCommentRound,
    section_key: str,
    author: User,
    organisation: Organisation | None,
    body: str,
    now: datetime | None = None,
) -> FrameworkComment:
    """A commenter comments on a theme, an outcome or a measure of the framework while the round is open.

    Who may: a citizen of the council when the round is open to citizens, commenting as themselves;
    a member of an invited voluntary group, commenting for it (``commissioning.codesign``). A
    person makes at most :data:`MAX_COMMENTS_PER_PERSON` comments in a round.
    """
    now = now or timezone.now()
    comment_round = FrameworkCommentRound.objects.select_related("framework__council").get(pk=round.pk)

    def section() -> tuple[dict[str, Any], dict[str, Any]]:
        title = framework_section(framework=comment_round.framework, key=section_key)
        if FrameworkComment.objects.filter(round=comment_round, author=author).count() >= MAX_COMMENTS_PER_PERSON:
            raise ValidationError(
                {"body": f"You have made {MAX_COMMENTS_PER_PERSON} comments in this round, the most one person can"},
                code="too_many",
            )
        return (
            {"section_key": section_key, "section_title": title},
            {"framework": comment_round.framework.name, "section": title},
        )

    return codesign_comment_create(
        comment_round=comment_round,
        comment_model=FrameworkComment,
        author=author,
        organisation=organisation,
        body=body,
        now=now,
        actions=ACTIONS,
        part=section,
    )


@transaction.atomic
def framework_comment_resolve(
    *, comment: FrameworkComment, actor: User, reply: str, base_url: str | None = None
) -> FrameworkComment:
    """The admin resolves a comment with a reply (required: every comment gets an answer), which is
    e-mailed to the commenter. A reply may be changed later (the commenter is told again); replies
    are allowed after the round closes."""
    comment = (
        FrameworkComment.objects.select_for_update(of=("self",)).select_related("round__framework").get(pk=comment.pk)
    )
    if not may_reply_on_framework.test(actor, comment.round):
        raise PermissionDenied("Only a council admin can reply to comments on the framework.")
    changed = codesign_comment_resolve(
        comment=comment,
        actor=actor,
        reply=reply,
        actions=ACTIONS,
        facts={"framework": comment.round.framework.name, "section": comment.section_title},
    )
    if changed and comment.resolved_at is not None:
        from social_value.framework_comment_tasks import send_framework_comment_reply_email

        enqueue(
            send_framework_comment_reply_email,
            council=comment.council,
            comment_id=comment.pk,
            resolved_at=comment.resolved_at.isoformat(),
            base_url=base_url or site_base_url(),
        )
    return comment
