"""Reads of the social value framework opened for comment, always given the council, in a constant
number of queries; comments are paged, never listed whole."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from commissioning.codesign import Capacities, commenter_capacities, round_closed_reason, rounds_for_commenter
from commissioning.models import Council, Organisation, User
from commissioning.models.organisations import VCSE_FORMS
from commissioning.paginator import CountedPaginator
from social_value.models import FrameworkComment, FrameworkCommentInvitation, FrameworkCommentRound

__all__ = [
    "COMMENTS_PAGE",
    "SECTION_KEY_PATTERN",
    "round_closed_reason",
    "FrameworkConsultation",
    "comment_counts_by_section",
    "comment_round_get",
    "comment_round_latest",
    "comment_rounds",
    "comments_page",
    "comments_queryset",
    "framework_consultation_get",
    "framework_consultations_for_user",
    "invited_to_comment",
    "my_comments",
    "voluntary_groups_to_invite",
]

COMMENTS_PAGE = 25
SECTION_KEY_PATTERN = re.compile(r"^(theme|outcome|measure):[1-9][0-9]{0,17}$")
ROUNDS_LISTED = 20


def _with_counts(rounds: QuerySet[FrameworkCommentRound]) -> QuerySet[FrameworkCommentRound]:
    return (
        rounds.select_related("framework", "opened_by")
        .annotate(
            comment_count=Count("comments", distinct=True),
            unresolved_count=Count("comments", filter=Q(comments__resolved_at__isnull=True), distinct=True),
        )
        .prefetch_related(
            Prefetch("invitations", queryset=FrameworkCommentInvitation.objects.select_related("organisation"))
        )
    )


def comment_rounds(*, council: Council) -> QuerySet[FrameworkCommentRound]:
    """The council's rounds on its framework, newest first, with ``comment_count`` and ``unresolved_count``."""
    return _with_counts(FrameworkCommentRound.objects.filter(council=council)).order_by("-opened_at", "-pk")


def comment_round_latest(*, council: Council) -> FrameworkCommentRound | None:
    return comment_rounds(council=council).first()


def comment_round_get(*, council: Council, round_id: int) -> FrameworkCommentRound:
    found = comment_rounds(council=council).filter(pk=round_id).first()
    if found is None:
        raise Http404("No such round of comments")
    return found


def comments_queryset(
    *, comment_round: FrameworkCommentRound, section_key: str = "", author: User | None = None
) -> QuerySet[FrameworkComment]:
    """The round's comments, oldest first, optionally on one part or by one person."""
    comments = FrameworkComment.objects.filter(council=comment_round.council_id, round=comment_round).select_related(
        "author", "organisation", "resolved_by"
    )
    if section_key:
        comments = comments.filter(section_key=section_key)
    if author is not None:
        comments = comments.filter(author=author)
    return comments.order_by("created_at", "pk")


def comments_page(*, comment_round: FrameworkCommentRound, page: int | str | None, section_key: str = "") -> Page:
    """One page of the round's comments (one query when the page has rows)."""
    paginator = CountedPaginator(comments_queryset(comment_round=comment_round, section_key=section_key), COMMENTS_PAGE)
    return paginator.get_page(page)


def comment_counts_by_section(*, comment_round: FrameworkCommentRound) -> dict[str, tuple[int, int]]:
    """Per section key: how many comments, and how many without a reply (one aggregate query)."""
    rows = (
        FrameworkComment.objects.filter(council=comment_round.council_id, round=comment_round)
        .values("section_key")
        .annotate(total=Count("pk"), unresolved=Count("pk", filter=Q(resolved_at__isnull=True)))
        .order_by()
    )
    return {row["section_key"]: (row["total"], row["unresolved"]) for row in rows}


def my_comments(*, comment_round: FrameworkCommentRound, author: User) -> dict[str, list[FrameworkComment]]:
    """The person's comments in the round by section key (at most MAX_COMMENTS_PER_PERSON: the
    services refuse more)."""
    from social_value.framework_comments import MAX_COMMENTS_PER_PERSON

    mine: dict[str, list[FrameworkComment]] = {}
    for comment in comments_queryset(comment_round=comment_round, author=author)[:MAX_COMMENTS_PER_PERSON]:
        mine.setdefault(comment.section_key, []).append(comment)
    return mine


@dataclass(frozen=True)
class FrameworkConsultation:
    """A round as a commenter sees it."""

    round: FrameworkCommentRound
    is_open: bool
    capacities: Capacities


def _rounds_for_user(*, council: Council, user: User) -> QuerySet[FrameworkCommentRound]:
    return rounds_for_commenter(
        FrameworkCommentRound.objects.all(),
        council=council,
        user=user,
        citizen_permission=FrameworkCommentRound.citizen_permission,
    )


def invited_to_comment(*, council: Council, user: User) -> bool:
    """Whether the person was invited to any round on the council's framework."""
    return user.is_authenticated and _rounds_for_user(council=council, user=user).exists()


def framework_consultations_for_user(
    *, council: Council, user: User, now: datetime | None = None
) -> list[FrameworkConsultation]:
    """Open rounds the person may comment in, then closed ones they commented in (newest first, at most 20)."""
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    rounds = (
        _rounds_for_user(council=council, user=user)
        .select_related("framework")
        .annotate(my_comments=Count("comments", filter=Q(comments__author=user), distinct=True))
        .order_by("-opened_at", "-pk")[:ROUNDS_LISTED]
    )
    found = []
    for comment_round in rounds:
        is_open = comment_round.is_open(now)
        if is_open or comment_round.my_comments:
            found.append(FrameworkConsultation(round=comment_round, is_open=is_open, capacities=Capacities()))
    return found


def framework_consultation_get(
    *, council: Council, user: User, round_id: int, now: datetime | None = None
) -> FrameworkConsultation:
    """The round for a commenter; 404 for anyone not invited to it (as a citizen or a voluntary group)."""
    comment_round = (
        FrameworkCommentRound.objects.filter(council=council, pk=round_id).select_related("framework").first()
    )
    if comment_round is None or not user.is_authenticated:
        raise Http404("No such consultation")
    capacities = commenter_capacities(comment_round=comment_round, user=user)
    if not capacities:
        raise Http404("No such consultation")
    return FrameworkConsultation(round=comment_round, is_open=comment_round.is_open(now), capacities=capacities)


def voluntary_groups_to_invite(*, council: Council) -> QuerySet[Organisation]:
    """Voluntary, community and social enterprise organisations to invite: those registered or
    operating in the council's local area (its postcode districts) when it has one, by name. The
    API may invite any VCSE organisation."""
    groups = Organisation.objects.filter(legal_form__in=VCSE_FORMS)
    if council.local_area:
        local = Q()
        for district in council.local_area:
            local |= Q(postcode__startswith=f"{district} ") | Q(operating_postcode__startswith=f"{district} ")
        groups = groups.filter(local)
    return groups.order_by("name")
