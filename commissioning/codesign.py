"""Co-design, shared: who may comment in a round and who replies, and how a round reads.

Every app's co-design (a tender's draft specification, the social value framework) asks the same
questions of its rounds (``commissioning.models.codesign``):

- **Who may comment**: the council's citizens (people with the round's ``citizen_permission`` in
  the council, for example ``tender.comment``) when the round is open to citizens, commenting as
  themselves; and members of an organisation invited to the round, commenting for it.
- **Who replies** (and opens and closes rounds): the owner side, the people with the round's
  ``owner_permission`` (``tender.change``: commissioners; ``social_value.manage_framework``: admins).

``is_round_commenter`` and ``is_round_owner`` are ``rules`` predicates taking the round as their
object, so pages, the API and the services ask one question. The writes are in
``commissioning.services.codesign``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import rules
from django.db.models import Q, QuerySet

from commissioning.models import Council, Membership, Organisation, OrganisationMember, Role, User
from commissioning.models.codesign import AbstractCommentRound

__all__ = [
    "COMMENT_MAX_LENGTH",
    "REPLY_MAX_LENGTH",
    "MESSAGE_MAX_LENGTH",
    "REASON_MAX_LENGTH",
    "CLOSING_DATE_PASSED",
    "Capacities",
    "commenter_capacities",
    "may_comment",
    "is_round_commenter",
    "is_round_owner",
    "round_closed_reason",
    "rounds_for_commenter",
    "round_recipients",
]

COMMENT_MAX_LENGTH = 5000
REPLY_MAX_LENGTH = 5000
MESSAGE_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 200
CLOSING_DATE_PASSED = "The closing date passed"


@dataclass(frozen=True)
class Capacities:
    """How a person may comment in a round: as a citizen, and/or for invited organisations."""

    citizen: bool = False
    organisations: tuple[Organisation, ...] = ()

    def __bool__(self) -> bool:
        return self.citizen or bool(self.organisations)


def commenter_capacities(*, comment_round: AbstractCommentRound, user: Any) -> Capacities:
    """The ways ``user`` may comment in the round (two queries at most)."""
    if not user or not user.is_authenticated:
        return Capacities()
    citizen = comment_round.open_to_citizens and user.has_perm(comment_round.citizen_permission, comment_round.council)
    invited = comment_round.invitations.values("organisation")  # type: ignore[attr-defined]
    organisations = tuple(Organisation.objects.of_user(user).filter(pk__in=invited).order_by("name"))
    return Capacities(citizen=citizen, organisations=organisations)


def may_comment(*, capacities: Capacities, organisation: Organisation | None) -> tuple[bool, str]:
    """Whether someone with ``capacities`` may comment as a citizen (``organisation`` None) or for
    ``organisation``, and if not why."""
    if organisation is None:
        if capacities.citizen:
            return True, ""
        return False, "Only the council's residents may comment as themselves in this round"
    if organisation in capacities.organisations:
        return True, ""
    return False, "Only members of an organisation invited to this round may comment for it"


@rules.predicate
def is_round_commenter(user: Any, comment_round: AbstractCommentRound | None) -> bool:
    """Invited to comment in the round: a citizen when it is open to citizens, or a member of an
    invited organisation."""
    return comment_round is not None and bool(commenter_capacities(comment_round=comment_round, user=user))


@rules.predicate
def is_round_owner(user: Any, comment_round: AbstractCommentRound | None) -> bool:
    """The owner side of the round: may open, close and reply."""
    if comment_round is None or not user or not user.is_authenticated:
        return False
    return bool(user.has_perm(comment_round.owner_permission, comment_round.council))


def round_closed_reason(comment_round: AbstractCommentRound, *, now: datetime | None = None) -> str:
    """Why the round is closed, in plain words ("" while it is open)."""
    if comment_round.is_open(now):
        return ""
    return comment_round.closed_reason or CLOSING_DATE_PASSED


def rounds_for_commenter(
    rounds: QuerySet[Any], *, council: Council, user: User, citizen_permission: str
) -> QuerySet[Any]:
    """Of ``rounds``, those of the council the person was invited to, as a citizen or through an organisation."""
    invited = Q(invitations__organisation__in=Organisation.objects.of_user(user).values("pk"))
    if user.has_perm(citizen_permission, council):
        invited |= Q(open_to_citizens=True)
    return rounds.filter(invited, council=council).distinct()


def round_recipients(comment_round: AbstractCommentRound) -> list[User]:
    """Who is told a round opened: members of the invited organisations and, if the round is open to
    citizens, the council's citizens; active people with an e-mail address, each once."""
    users: dict[int, User] = {}
    if comment_round.open_to_citizens:
        citizens = Membership.objects.filter(council=comment_round.council, role=Role.CITIZEN).select_related("user")
        for membership in citizens:
            users[membership.user_id] = membership.user
    organisation_ids = comment_round.invitations.values("organisation")  # type: ignore[attr-defined]
    for member in OrganisationMember.objects.filter(organisation__in=organisation_ids).select_related("user"):
        users[member.user_id] = member.user
    return [user for user in users.values() if user.is_active and user.email]
