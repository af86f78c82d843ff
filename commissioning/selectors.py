"""Reads of the core app. Council-owned reads are always given the council."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from commissioning.audit import SEALED_ACTION
from commissioning.audit_entries import opened_seals, unsealed_facts
from commissioning.audit_labels import ACTION_LABELS, action_label
from commissioning.models import (
    AppraisalOption,
    AuditEvent,
    Commission,
    Council,
    Indicator,
    Invitation,
    Membership,
    Organisation,
    Outcome,
    Role,
    User,
)


@dataclass
class CouncilMemberships:
    council: Council
    roles: list[str] = field(default_factory=list)

    @property
    def role_labels(self) -> list[str]:
        return [Role(r).label for r in self.roles]


def councils_for_user(*, user: User) -> list[CouncilMemberships]:
    """The councils a person belongs to, with their roles: for the council switcher.

    The same one read per request as every membership check (``rules.council_memberships``).
    """
    from commissioning.rules import council_memberships

    return [
        CouncilMemberships(council=council, roles=sorted(roles))
        for council, roles in council_memberships(user).values()
    ]


def organisations_for_user(*, user: User) -> QuerySet[Organisation]:
    return (
        Organisation.objects.of_user(user).annotate(member_count=Count("memberships", distinct=True)).order_by("name")
    )


def council_members(*, council: Council) -> list[tuple[User, list[Membership]]]:
    memberships = Membership.objects.filter(council=council).select_related("user").order_by("user__email", "role")
    grouped: dict[int, tuple[User, list[Membership]]] = {}
    for membership in memberships:
        grouped.setdefault(membership.user_id, (membership.user, []))[1].append(membership)
    return list(grouped.values())


def council_invitations(*, council: Council) -> QuerySet[Invitation]:
    return Invitation.objects.filter(council=council).select_related("invited_by", "accepted_by")


def audit_events(
    *,
    council: Council,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    date_from: object = None,
    date_to: object = None,
    now: datetime | None = None,
) -> QuerySet[AuditEvent] | list[AuditEvent]:
    """The council's events, newest first, filtered. Read them through
    :func:`commissioning.audit_entries.audit_entries`, which keeps sealed events sealed.

    A filter on who, what or the kind of object matches a sealed event only once its seal is open
    (its facts are decrypted to be matched, so the answer is then a list); before that a sealed
    event matches no such filter, so a filter cannot be used to learn who is bidding.
    """
    events = AuditEvent.objects.filter(council=council).select_related("actor").order_by("-sequence")
    if date_from:
        events = events.filter(created_at__date__gte=date_from)
    if date_to:
        events = events.filter(created_at__date__lte=date_to)
    if not (action or actor or object_type):
        return events
    readable = Q(sealed_by="")
    if action:
        readable &= Q(action=action)
    if actor:
        readable &= Q(actor_label__icontains=actor) | Q(actor__name__icontains=actor)
    if object_type:
        readable &= Q(object_type=object_type)
    sealed_references = events.exclude(sealed_by="").values_list("sealed_by", flat=True).distinct()
    opened = opened_seals(sealed_references, now=now)
    if not opened:
        return events.filter(readable)
    candidates = list(events.filter(readable | Q(sealed_by__in=opened)))
    facts = unsealed_facts(e for e in candidates if e.sealed_by)

    def matches(event: AuditEvent) -> bool:
        if not event.sealed_by:
            return True
        fact = facts[event.pk]
        who = f"{fact.get('actor_label') or ''} {fact.get('actor_name') or ''}".lower()
        return (
            (not action or fact.get("action") == action)
            and (not actor or actor.lower() in who)
            and (not object_type or fact.get("object_type") == object_type)
        )

    return [e for e in candidates if matches(e)]


def audit_actions(*, council: Council) -> list[tuple[str, str]]:
    """The actions to filter by, as (code, words): every action the platform records (sealed ones
    included, so the list itself says nothing about what happened) and any other found in the trail."""
    found = set(
        AuditEvent.objects.filter(council=council)
        .exclude(action=SEALED_ACTION)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
    codes = set(ACTION_LABELS) | found
    return sorted(((code, action_label(code)) for code in codes), key=lambda pair: pair[1])


def public_councils() -> QuerySet[Council]:
    return Council.objects.order_by("name")


# --- Commissions and the outcomes framework -----------------------------------------------------


def outcomes_framework(*, council: Council, active_only: bool = False) -> QuerySet[Outcome]:
    """The council's outcomes, in order, each with its indicators (two queries in all)."""
    outcomes = Outcome.objects.filter(council=council).prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.filter(council=council).order_by("name"))
    )
    return outcomes.filter(is_active=True) if active_only else outcomes


def outcome_get(*, council: Council, outcome_id: int) -> Outcome:
    outcome = Outcome.objects.filter(council=council, pk=outcome_id).first()
    if outcome is None:
        raise Http404("No such outcome")
    return outcome


def commission_list(*, council: Council, created_by: User | None = None) -> QuerySet[Commission]:
    """The council's commissions, newest first, with outcomes and options in a constant number of queries."""
    commissions = (
        Commission.objects.filter(council=council)
        .select_related("created_by", "decided_by")
        .prefetch_related(
            Prefetch("outcomes", queryset=Outcome.objects.filter(council=council).order_by("position", "title")),
            Prefetch("options", queryset=AppraisalOption.objects.filter(council=council).order_by("position")),
        )
        .order_by("-created_at", "-pk")
    )
    if created_by is not None:
        commissions = commissions.filter(created_by=created_by)
    return commissions


def commission_get(*, council: Council, commission_id: int) -> Commission:
    """One commission of the council (404 otherwise), with its outcomes, indicators and options."""
    commission = (
        commission_list(council=council)
        .prefetch_related(
            Prefetch("outcomes__indicators", queryset=Indicator.objects.filter(council=council).order_by("name"))
        )
        .filter(pk=commission_id)
        .first()
    )
    if commission is None:
        raise Http404("No such commission")
    return commission


def api_token_current(*, user: User):  # type: ignore[no-untyped-def]
    """The person's API token that still works (its digest and dates, never the token), or None."""
    from django.db.models import Q
    from django.utils import timezone
    from knox.models import AuthToken

    working = Q(expiry__isnull=True) | Q(expiry__gt=timezone.now())
    return AuthToken.objects.filter(working, user=user).order_by("-created").first()
