"""Who may do what: `rules` predicates shared by pages and the API.

Council permissions take the council as their object: ``user.has_perm("council.manage_members",
council)``. Organisation permissions take the organisation. The README's role × action table is
checked against PERMISSIONS_TABLE, so the two cannot drift apart. The table is the registry's
(``commissioning.extensions``): the core's rows are below; each app registers its own from its
``AppConfig.ready()`` (``tenders.rules``: tenders, bids, clauses, clarifications, the spend
policy), built from the role predicates here.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Exists, OuterRef
from django.utils.functional import LazyObject, empty

from commissioning.extensions import PERMISSIONS_TABLE, register_permissions
from commissioning.models import Council, Membership, Organisation, OrganisationMember, OrganisationRole, Role
from commissioning.tenancy import own_memberships_scope


def _cache_holder(user: Any) -> Any:
    """The object the request's caches live on: the user itself, not ``request.user``'s lazy proxy.

    The middleware asks with ``request.user`` (a lazy object), while ``user.has_perm`` runs on the
    object behind it; caching on the proxy's own ``__dict__`` would read the roles twice.
    """
    if isinstance(user, LazyObject):
        if user._wrapped is empty:  # type: ignore[attr-defined]
            user._setup()  # type: ignore[attr-defined]
        return user._wrapped  # type: ignore[attr-defined]
    return user


def council_memberships(user: Any) -> dict[int, tuple[Council, frozenset[str]]]:
    """Every council the person belongs to, with their roles there, ordered by council name.

    Read once per request (one query, cached on the user object): the middleware's membership
    check, the layout's council switcher, every ``rules`` predicate and the views all use it. In a
    council request the database already knows who is signed in, so reading the person's own
    memberships across councils needs no switch of scope (:func:`own_memberships_scope`).
    """
    if not user or not user.is_authenticated:
        return {}
    holder = _cache_holder(user)
    cached: dict[int, tuple[Council, frozenset[str]]] | None = holder.__dict__.get("_council_memberships")
    if cached is None:
        from allauth.mfa.models import Authenticator

        # Whether the person has an authenticator app, read in the same query: every council page
        # and API request asks it next (commissioning.tenancy.needs_mfa_setup).
        totp = Authenticator.objects.filter(user=OuterRef("user_id"), type=Authenticator.Type.TOTP)
        with own_memberships_scope(holder.pk):
            rows = list(
                Membership.objects.filter(user=holder)
                .select_related("council")
                .annotate(has_totp=Exists(totp))
                .order_by("council__name", "role")
            )
        grouped: dict[int, tuple[Council, list[str]]] = {}
        for membership in rows:
            grouped.setdefault(membership.council_id, (membership.council, []))[1].append(membership.role)
        cached = {pk: (council, frozenset(roles)) for pk, (council, roles) in grouped.items()}
        holder.__dict__["_council_memberships"] = cached
        if rows:
            holder.__dict__["_has_totp"] = rows[0].has_totp
    return cached


def has_totp(user: Any) -> bool:
    """Whether the person has an authenticator app: read with their memberships when those were
    read in this request (:func:`council_memberships`), otherwise asked now."""
    holder = _cache_holder(user)
    known: bool | None = holder.__dict__.get("_has_totp")
    if known is not None and "_council_memberships" in holder.__dict__:
        return known
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=holder, type=Authenticator.Type.TOTP).exists()


def council_roles(user: Any, council: Council | None) -> frozenset[str]:
    """The user's roles in the council (from :func:`council_memberships`, read once per request)."""
    if council is None:
        return frozenset()
    entry = council_memberships(user).get(council.pk)
    return entry[1] if entry else frozenset()


def forget_council_roles(user: Any) -> None:
    """After a change of someone's memberships: the next question reads them again."""
    holder = _cache_holder(user)
    holder.__dict__.pop("_council_memberships", None)
    holder.__dict__.pop("_has_totp", None)


def has_role(*roles: str) -> rules.Predicate:
    wanted = frozenset(roles)

    @rules.predicate(name=f"has_role({', '.join(sorted(wanted))})")
    def predicate(user: Any, council: Council | None) -> bool:
        return bool(council_roles(user, council) & wanted)

    return predicate


@rules.predicate
def is_council_member(user: Any, council: Council | None) -> bool:
    return bool(council_roles(user, council))


def organisation_role(user: Any, organisation: Organisation | None) -> str | None:
    if not user or not user.is_authenticated or organisation is None:
        return None
    cache: dict[int, str | None] = _cache_holder(user).__dict__.setdefault("_organisation_roles", {})
    if organisation.pk not in cache:
        membership = OrganisationMember.objects.of(user=user, organisation=organisation)
        cache[organisation.pk] = membership.values_list("role", flat=True).first()
    return cache[organisation.pk]


@rules.predicate
def is_organisation_member(user: Any, organisation: Organisation | None) -> bool:
    """The one predicate for "is this person a member of this organisation" (any role), cached per
    request; services ask ``OrganisationMember.objects.is_member`` (read in their transaction)."""
    return organisation_role(user, organisation) is not None


@rules.predicate
def is_organisation_owner(user: Any, organisation: Organisation | None) -> bool:
    return organisation_role(user, organisation) == OrganisationRole.OWNER


is_admin = has_role(Role.ADMIN)
is_officer = has_role(Role.OFFICER)
is_commissioner = has_role(Role.COMMISSIONER)
is_evaluator = has_role(Role.EVALUATOR)

# The core's rows: permission name -> (predicate, who, what it allows). Apps add theirs
# (tenders.rules) from their AppConfig.ready(); PERMISSIONS_TABLE holds every row.
CORE_PERMISSIONS: dict[str, tuple[rules.Predicate, str, str]] = {
    "council.view_dashboard": (is_council_member, "any role", "See the council dashboard"),
    "council.view_members": (is_admin, "admin", "List members and invitations"),
    "council.manage_members": (is_admin, "admin", "Invite, change and remove members"),
    "council.change_settings": (is_admin, "admin", "Change branding and local area"),
    "council.view_audit": (is_admin | is_officer, "admin, officer", "Browse and filter the audit trail"),
    "commission.view": (
        is_admin | is_commissioner | is_evaluator | is_officer,
        "admin, commissioner, evaluator, officer",
        "See commissions, their options appraisal and the outcomes framework",
    ),
    "commission.change": (is_commissioner, "commissioner", "Open and change commissions and appraisal notes"),
    "commission.decide": (is_commissioner, "commissioner", "Record the options appraisal decision"),
    "outcomes.manage": (is_admin | is_commissioner, "admin, commissioner", "Add and change outcomes and indicators"),
    "organisation.view": (is_organisation_member, "organisation member", "See the organisation"),
    "organisation.change": (is_organisation_owner, "organisation owner", "Change the organisation's details"),
    "organisation.manage_members": (
        is_organisation_owner,
        "organisation owner",
        "Add and remove organisation members",
    ),
}

register_permissions(CORE_PERMISSIONS)


def _with_article(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def who_may(permission: str) -> str:
    """Who may do it, as people say it: "a commissioner or an officer of the council".

    The table's ``who`` ("commissioner, officer") is the README's column; messages need English.
    """
    who = PERMISSIONS_TABLE[permission][1]
    if who == "any role":
        return "a member of the council"
    if who.startswith("organisation "):
        return f"{_with_article(who.removeprefix('organisation '))} of the organisation"
    people = [_with_article(role.strip()) for role in who.split(",")]
    listed = people[0] if len(people) == 1 else f"{', '.join(people[:-1])} or {people[-1]}"
    return f"{listed} of the council"
