"""Councils, their members and invitations; and the first stage of a test world (``people``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import factory
from django.utils import timezone

from commissioning.models import Council, Invitation, Membership, OutboxMessage, Role
from tests.factories.organisations import OrganisationFactory, OrganisationMemberFactory
from tests.factories.people import UserFactory, give_totp

if TYPE_CHECKING:
    from tests.factories.worlds import CouncilWorld


class CouncilFactory(factory.django.DjangoModelFactory[Council]):
    class Meta:
        model = Council

    name = factory.Sequence(lambda n: f"Borough Council {n}")
    slug = factory.Sequence(lambda n: f"borough-{n}")
    display_name = factory.LazyAttribute(lambda c: c.name)
    local_area = factory.LazyFunction(lambda: ["L34", "L35", "L36"])


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    council = factory.SubFactory(CouncilFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.COMMISSIONER


class InvitationFactory(factory.django.DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation

    council = factory.SubFactory(CouncilFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Role.EVALUATOR
    invited_by = factory.SubFactory(UserFactory)


def people(world: CouncilWorld) -> None:
    """One member in every role (staff with an authenticator app unless ``world.mfa`` is off), an
    invitation from the admin, and a provider who owns a community organisation."""
    council, slug = world.council, world.council.slug
    for role in Role.values:
        person = UserFactory(email=f"{role}@{slug}.example.org", name=f"{role.title()} of {slug.title()}")
        MembershipFactory(council=council, user=person, role=role)
        if world.mfa and role != Role.CITIZEN:
            give_totp(person)
        world.people[role] = person
    world.invitation = InvitationFactory(
        council=council, invited_by=world.people[Role.ADMIN], email=f"invited@{slug}.example.org"
    )
    # The invitation's e-mail task as the outbox keeps it once handed to the broker and run (sent:
    # no relay or fast path touches it, so no test's worker gets an e-mail it did not ask for).
    handed_over = timezone.now()
    OutboxMessage.objects.create(
        council=council,
        task="commissioning.tasks.send_invitation_email",
        kwargs={"council_id": council.pk, "invitation_id": world.invitation.pk, "base_url": "http://testserver/"},
        sent_at=handed_over,
        done_at=handed_over,
    )
    world.provider = UserFactory(email=f"provider@{slug}.example.org")
    world.organisation = OrganisationFactory(name=f"{slug.title()} Community Trust")
    OrganisationMemberFactory(organisation=world.organisation, user=world.provider)
