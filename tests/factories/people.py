"""People: accounts with a verified e-mail, and what a test needs to sign them in (the password, an
authenticator app and its codes, an API token, a session that went through MFA)."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from commissioning.models import User

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory[User]):
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
