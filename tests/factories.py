"""factory-boy factories that build whole, consistent councils.

Council-owned rows must be created inside a scope; ``council_with_people`` does it for you.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from commissioning.models import (
    Council,
    Invitation,
    LegalForm,
    Membership,
    Organisation,
    OrganisationMember,
    OrganisationRole,
    Role,
    SizeBand,
    User,
)
from commissioning.tenancy import council_scope

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council

    name = factory.Sequence(lambda n: f"Borough Council {n}")
    slug = factory.Sequence(lambda n: f"borough-{n}")
    display_name = factory.LazyAttribute(lambda c: c.name)
    local_area = factory.LazyFunction(lambda: ["L34", "L35", "L36"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    council = factory.SubFactory(CouncilFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.COMMISSIONER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    council = factory.SubFactory(CouncilFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Role.EVALUATOR
    invited_by = factory.SubFactory(UserFactory)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Community Organisation {n}")
    legal_form = LegalForm.CHARITY
    charity_number = factory.Sequence(lambda n: f"{1100000 + n}")
    address_line_1 = "1 High Street"
    town = "Huyton"
    postcode = "L36 9UJ"
    size_band = SizeBand.SMALL


def give_totp(user: User) -> str:
    """Give the person an authenticator app; returns the secret so a test can compute codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


# Functions that give a test council data in more models. Each area's factories module
# (tests/factories_<area>.py) registers one, so every council built by council_with_people, and
# so the cross-council probe's council B, has data in every council-owned model. Private text
# should contain "<slug>-private" (e.g. "southwark-private-notes"): the probe looks for it.
WORLD_BUILDERS: list = []


def world_builder(function):  # type: ignore[no-untyped-def]
    WORLD_BUILDERS.append(function)
    return function


@dataclass
class CouncilWorld:
    """A council with one person in every role, an invitation and an organisation."""

    council: Council
    people: dict[str, User] = field(default_factory=dict)
    invitation: Invitation | None = None
    organisation: Organisation | None = None
    provider: User | None = None


def council_with_people(*, slug: str, name: str | None = None, mfa: bool = True) -> CouncilWorld:
    council = CouncilFactory(slug=slug, name=name or f"{slug.title()} Council", display_name=name or "")
    world = CouncilWorld(council=council)
    with council_scope(council):
        for role in Role.values:
            person = UserFactory(email=f"{role}@{slug}.example.org", name=f"{role.title()} of {slug.title()}")
            MembershipFactory(council=council, user=person, role=role)
            if mfa and role != Role.CITIZEN:
                give_totp(person)
            world.people[role] = person
        world.invitation = InvitationFactory(
            council=council, invited_by=world.people[Role.ADMIN], email=f"invited@{slug}.example.org"
        )
    world.provider = UserFactory(email=f"provider@{slug}.example.org")
    world.organisation = OrganisationFactory(name=f"{slug.title()} Community Trust")
    OrganisationMember.objects.create(organisation=world.organisation, user=world.provider, role=OrganisationRole.OWNER)
    for build in WORLD_BUILDERS:
        with council_scope(council):
            build(world)
    return world


def _load_area_factories() -> None:
    import importlib
    import pkgutil
    from pathlib import Path

    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name.startswith("factories_"):
            importlib.import_module(f"tests.{module.name}")


_load_area_factories()

__all__ = ["Authenticator", "CouncilWorld", "council_with_people", "give_totp", "world_builder"]
