"""Reads of co-design: comment rounds on draft specifications, comments and replies.

Whether a round is open is derived from its timestamps and the tender's (closed by the
commissioner, past its closing date, or the tender published), never from a scheduled job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from commissioning.codesign import Capacities, rounds_for_commenter
from commissioning.codesign import commenter_capacities as _capacities
from commissioning.codesign import may_comment as _may_comment
from commissioning.models import Council, Organisation, User
from tenders.models import CommentInvitation, CommentRound, SectionComment, SpecificationSection, Tender

__all__ = [
    "round_is_open",
    "round_closed_reason",
    "Capacities",
    "commenter_capacities",
    "may_comment",
    "comment_rounds_queryset",
    "comment_rounds",
    "comment_round_get",
    "comment_round_latest",
    "SectionComments",
    "comments_by_section",
    "Consultation",
    "invited_to_comment",
    "consultations_for_user",
    "consultation_get",
    "own_comments",
    "organisations_to_invite",
]


def round_is_open(comment_round: CommentRound, *, now: datetime | None = None) -> bool:
    """Open until the commissioner closes it, its closing date passes, or the tender is published."""
    return comment_round.is_open(now)


def round_closed_reason(comment_round: CommentRound, *, now: datetime | None = None) -> str:
    """Why the round is closed, in plain words ("" while it is open)."""
    if round_is_open(comment_round, now=now):
        return ""
    if comment_round.closed_reason:
        return comment_round.closed_reason
    if comment_round.tender.published_at is not None:
        return "The tender was published"
    return "The closing date passed"


def commenter_capacities(*, comment_round: CommentRound, user: User) -> Capacities:
    """How the person may comment in the round (the core's rule, ``commissioning.codesign``)."""
    return _capacities(comment_round=comment_round, user=user)


def may_comment(*, comment_round: CommentRound, user: User, organisation: Organisation | None) -> tuple[bool, str]:
    """Whether ``user`` may comment in the round as a citizen (``organisation`` None) or for ``organisation``."""
    return _may_comment(capacities=_capacities(comment_round=comment_round, user=user), organisation=organisation)


def _with_counts(rounds: QuerySet[CommentRound]) -> QuerySet[CommentRound]:
    return (
        rounds.select_related("tender", "opened_by")
        .annotate(
            comment_count=Count("comments", distinct=True),
            unresolved_count=Count("comments", filter=Q(comments__resolved_at__isnull=True), distinct=True),
        )
        .prefetch_related(
            Prefetch("invitations", queryset=CommentInvitation.objects.select_related("organisation")),
        )
    )


def comment_rounds_queryset(*, council: Council, tender: Tender) -> QuerySet[CommentRound]:
    """The tender's rounds with their counts and invitations, for the API to page through."""
    return _with_counts(CommentRound.objects.filter(council=council, tender=tender))


def comment_rounds(*, council: Council, tender: Tender) -> list[CommentRound]:
    """The tender's rounds, newest first, with ``comment_count`` and ``unresolved_count``."""
    return list(_with_counts(CommentRound.objects.filter(council=council, tender=tender)).order_by("-opened_at", "-pk"))


def comment_round_latest(*, council: Council, tender: Tender) -> CommentRound | None:
    rounds = _with_counts(CommentRound.objects.filter(council=council, tender=tender))
    return rounds.order_by("-opened_at", "-pk").first()


def comment_round_get(*, council: Council, tender: Tender, round_id: int) -> CommentRound:
    comment_round = _with_counts(CommentRound.objects.filter(council=council, tender=tender, pk=round_id)).first()
    if comment_round is None:
        raise Http404("No such round of comments")
    return comment_round


@dataclass
class SectionComments:
    """One section of the specification (or a section since removed) and its comments."""

    title: str
    section: SpecificationSection | None = None
    comments: list[SectionComment] = field(default_factory=list)


def comments_by_section(
    *, comment_round: CommentRound, author: User | None = None, include_empty: bool = True
) -> list[SectionComments]:
    """The round's comments grouped by the tender's current sections, in order; then comments on
    sections since removed, by the title they had. Two queries whatever the number of comments."""
    sections = list(SpecificationSection.objects.filter(tender=comment_round.tender_id).order_by("position", "pk"))
    comments = SectionComment.objects.filter(round=comment_round).select_related(
        "author", "organisation", "resolved_by"
    )
    if author is not None:
        comments = comments.filter(author=author)
    groups = {section.pk: SectionComments(title=section.title, section=section) for section in sections}
    removed: dict[str, SectionComments] = {}
    for comment in comments.order_by("created_at", "pk"):
        group = groups.get(comment.section_id) if comment.section_id else None
        if group is None:
            group = removed.setdefault(comment.section_title, SectionComments(title=comment.section_title))
        group.comments.append(comment)
    ordered = [g for g in groups.values() if include_empty or g.comments]
    return ordered + list(removed.values())


def own_comments(*, comment_round: CommentRound, author: User) -> list[SectionComment]:
    return list(
        SectionComment.objects.filter(round=comment_round, author=author)
        .select_related("organisation")
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class Consultation:
    """A round as a commenter sees it."""

    round: CommentRound
    is_open: bool
    capacities: Capacities


def _rounds_for_user(*, council: Council, user: User) -> QuerySet[CommentRound]:
    """Rounds of the council the person was invited to, as a citizen or through an organisation."""
    return rounds_for_commenter(
        CommentRound.objects.all(), council=council, user=user, citizen_permission=CommentRound.citizen_permission
    )


def invited_to_comment(*, council: Council, user: User) -> bool:
    """Whether the person was invited to any of the council's rounds on draft specifications."""
    return user.is_authenticated and _rounds_for_user(council=council, user=user).exists()


def consultations_for_user(*, council: Council, user: User, now: datetime | None = None) -> list[Consultation]:
    """Open rounds the person may comment in, then closed ones they commented in (to read the replies)."""
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    rounds = list(
        _rounds_for_user(council=council, user=user)
        .select_related("tender")
        .annotate(my_comments=Count("comments", filter=Q(comments__author=user), distinct=True))
        .order_by("-opened_at", "-pk")
    )
    found = []
    for comment_round in rounds:
        is_open = round_is_open(comment_round, now=now)
        if is_open or comment_round.my_comments:
            found.append(Consultation(round=comment_round, is_open=is_open, capacities=Capacities()))
    return found


def consultation_get(*, council: Council, user: User, round_id: int, now: datetime | None = None) -> Consultation:
    """The round for a commenter; 404 for anyone not invited to it (as a citizen or an organisation)."""
    comment_round = CommentRound.objects.filter(council=council, pk=round_id).select_related("tender").first()
    if comment_round is None or not user.is_authenticated:
        raise Http404("No such consultation")
    capacities = commenter_capacities(comment_round=comment_round, user=user)
    if not capacities:
        raise Http404("No such consultation")
    return Consultation(round=comment_round, is_open=round_is_open(comment_round, now=now), capacities=capacities)


def organisations_to_invite() -> QuerySet[Organisation]:
    """Registered provider organisations (global: any may be invited to any council's round)."""
    return Organisation.objects.order_by("name")
