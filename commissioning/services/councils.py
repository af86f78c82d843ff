"""Writes about councils, memberships, invitations and organisations.

Keyword-only, typed and atomic; each consequential change writes one audit event in the same
transaction and defers side effects (e-mail) until commit.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from commissioning.audit import audit_record
from commissioning.audit_labels import CoreAction
from commissioning.errors import Conflict
from commissioning.models import (
    Council,
    Invitation,
    Membership,
    Organisation,
    OrganisationMember,
    OrganisationRole,
    Role,
    User,
)
from commissioning.queue import enqueue
from commissioning.rules import forget_council_roles
from commissioning.services.changes import refuse_unknown_fields
from commissioning.tenancy import council_scope, platform_scope

COUNCIL_SETTINGS_FIELDS = ("display_name", "colour", "local_area", "logo")


def _settings_snapshot(council: Council) -> dict[str, Any]:
    return {
        "display_name": council.display_name,
        "colour": council.colour,
        "local_area": list(council.local_area),
        "logo": council.logo.name if council.logo else "",
    }


@transaction.atomic
def council_update_settings(*, council: Council, actor: User, **changes: Any) -> Council:
    """Council admins change branding and the local area (which decides who counts as local)."""
    refuse_unknown_fields(changes, COUNCIL_SETTINGS_FIELDS, what="council settings")
    before = _settings_snapshot(council)
    for field, value in changes.items():
        setattr(council, field, value)
    council.full_clean()
    council.save()
    after = _settings_snapshot(council)
    if after != before:
        audit_record(
            council=council,
            actor=actor,
            action=CoreAction.COUNCIL_SETTINGS_CHANGED,
            target=council,
            before=before,
            after=after,
        )
    return council


# --- Invitations and memberships ----------------------------------------------------------------


@transaction.atomic
def invitation_create(*, council: Council, invited_by: User, email: str, role: str, base_url: str) -> Invitation:
    """Invite a person by e-mail to a role. One open invitation per address and role."""
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": "Choose a role"})
    if Membership.objects.filter(council=council, user__email__iexact=email, role=role).exists():
        raise Conflict({"email": f"{email} is already a {Role(role).label} of this council"})
    open_invitations = Invitation.objects.filter(
        council=council,
        email__iexact=email,
        role=role,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    if open_invitations.exists():
        raise Conflict({"email": f"{email} already has an open invitation for this role"})
    invitation = Invitation.objects.create(council=council, email=email, role=role, invited_by=invited_by)
    audit_record(
        council=council,
        actor=invited_by,
        action=CoreAction.INVITATION_CREATED,
        target=invitation,
        after={"email": email, "role": role, "expires_at": invitation.expires_at},
    )
    from commissioning.tasks import send_invitation_email

    enqueue(send_invitation_email, council=council, invitation_id=invitation.pk, base_url=base_url)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    if not invitation.is_open:
        raise ValidationError(f"This invitation is already {invitation.status}")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(council=invitation.council, actor=actor, action=CoreAction.INVITATION_REVOKED, target=invitation)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Accept an invitation. It must be open, and sent to the address the person signed in with."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status == "expired":
        raise ValidationError("This invitation has expired. Ask the council for a new one.")
    if not invitation.is_open:
        raise ValidationError(f"This invitation has been {invitation.status} already.")
    if invitation.email.lower() != user.email.lower():
        raise PermissionDenied(
            f"This invitation was sent to {invitation.email}. Sign in with that address to accept it."
        )
    membership, _ = Membership.objects.get_or_create(council=invitation.council, user=user, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    forget_council_roles(user)
    audit_record(
        council=invitation.council,
        actor=user,
        action=CoreAction.INVITATION_ACCEPTED,
        target=invitation,
        after={"role": invitation.role},
    )
    return membership


def invitation_find(*, token: str) -> Invitation | None:
    """Find an invitation by its secret token, whichever council it belongs to.

    The token is the only key: it is 256 random bits and sent only to the invited address.
    """
    with platform_scope():
        return Invitation.objects.select_related("council").filter(token=token).first()


def invitation_accept_from_session(*, request: HttpRequest, user: User, token: str) -> Membership | None:
    invitation = invitation_find(token=token)
    if invitation is None:
        return None
    try:
        with council_scope(invitation.council):
            membership = invitation_accept(invitation=invitation, user=user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error.messages[0] if isinstance(error, ValidationError) else str(error))
        return None
    messages.success(request, f"You have joined {invitation.council.header_name} as {membership.get_role_display()}.")
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    """Remove a role from a person. A council always keeps at least one admin."""
    if membership.role == Role.ADMIN:
        admins = Membership.objects.filter(council=membership.council, role=Role.ADMIN).count()
        if admins <= 1:
            raise ValidationError("A council needs at least one admin. Invite another admin first.")
    audit_record(
        council=membership.council,
        actor=actor,
        action=CoreAction.MEMBERSHIP_REMOVED,
        target=membership,
        before={"user": membership.user.email, "role": membership.role},
    )
    membership.delete()
    forget_council_roles(membership.user)


@transaction.atomic
def membership_add(*, council: Council, user: User, role: str, actor: User | None) -> Membership:
    """Give a person a role directly (platform set-up and demo data; councils use invitations)."""
    membership, created = Membership.objects.get_or_create(council=council, user=user, role=role)
    if created:
        audit_record(
            council=council,
            actor=actor,
            action=CoreAction.MEMBERSHIP_ADDED,
            target=membership,
            after={"user": user.email, "role": role},
        )
    forget_council_roles(user)
    return membership


# --- Organisations ------------------------------------------------------------------------------


@transaction.atomic
def organisation_register(*, owner: User, **fields: Any) -> Organisation:
    """A provider registers its organisation once; the person registering becomes its owner."""
    organisation = Organisation(**fields)
    organisation.full_clean()
    organisation.save()
    OrganisationMember.objects.create(organisation=organisation, user=owner, role=OrganisationRole.OWNER)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor: User, **fields: Any) -> Organisation:
    for field, value in fields.items():
        setattr(organisation, field, value)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def organisation_member_add(
    *, organisation: Organisation, actor: User, email: str, role: str = OrganisationRole.MEMBER
) -> OrganisationMember:
    """Add a person who already has an account. An organisation may have several owners."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationError(
            {"email": "Nobody has an account with that email address yet. Ask them to create an account first."}
        )
    if OrganisationMember.objects.is_member(user=user, organisation=organisation):
        raise Conflict({"email": f"{user.email} is already a member of {organisation.name}"})
    return OrganisationMember.objects.create(organisation=organisation, user=user, role=role)


@transaction.atomic
def organisation_member_remove(*, member: OrganisationMember, actor: User) -> None:
    """Remove a member. An organisation always keeps at least one owner."""
    if member.role == OrganisationRole.OWNER:
        owners = OrganisationMember.objects.filter(
            organisation=member.organisation, role=OrganisationRole.OWNER
        ).count()
        if owners <= 1:
            raise ValidationError("An organisation needs at least one owner. Make someone else an owner first.")
    member.delete()


__all__ = [
    "council_update_settings",
    "invitation_create",
    "invitation_revoke",
    "invitation_accept",
    "invitation_find",
    "invitation_accept_from_session",
    "membership_remove",
    "membership_add",
    "organisation_register",
    "organisation_update",
    "organisation_member_add",
    "organisation_member_remove",
]
