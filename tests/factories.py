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


def api_token(user: User) -> str:
    """A working API token for the person (a knox token: only its hash is stored)."""
    from knox.models import AuthToken

    return AuthToken.objects.create(user=user)[1]


def give_totp(user: User) -> str:
    """Give the person an authenticator app; returns the secret so a test can compute codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def force_login_with_mfa(client, user: User) -> None:  # type: ignore[no-untyped-def]
    """Like ``client.force_login``, for a session whose sign-in included a second factor.

    Platform staff need one for the admin (commissioning.admin.session_used_mfa); this writes the
    record allauth keeps when the person gives their password and a code, without a code's
    once-per-window limit.
    """
    import time

    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )

    client.force_login(user)
    session = client.session
    now = time.time()
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session.save()


def totp_secret_of(user: User) -> str:
    """The secret of the person's authenticator app, as their phone holds it."""
    from allauth.mfa.utils import decrypt

    return decrypt(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"])


def totp_code_now(secret: str) -> str:
    """The code the person's authenticator app shows at this moment."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    if period - time.time() % period < 2:  # about to change: use the next window's code
        time.sleep(2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def sign_in(client, email: str, *, password: str = PASSWORD, totp_secret: str | None = None):  # type: ignore[no-untyped-def]
    """Sign in through allauth's own form (and its code prompt when a secret is given); the last answer."""
    response = client.post("/accounts/login/", {"login": email, "password": password})
    if totp_secret is not None:
        assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/", response
        response = client.post("/accounts/2fa/authenticate/", {"code": totp_code_now(totp_secret)})
    return response


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
