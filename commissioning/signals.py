"""Signal receivers of the core app."""

from typing import Any

from allauth.account.signals import user_logged_in, user_signed_up
from allauth.mfa.signals import authenticator_removed
from django.dispatch import receiver
from django.http import HttpRequest

from commissioning.models import User


@receiver(user_logged_in)
@receiver(user_signed_up)
def accept_pending_invitation(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """An invitation link stores its token in the session; accept it once the person is signed in."""
    token = request.session.pop("invitation_token", None)
    if not token:
        return
    from commissioning.services import invitation_accept_from_session

    invitation_accept_from_session(request=request, user=user, token=token)


@receiver(authenticator_removed)
def revoke_api_tokens_without_mfa(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """Removing the last authenticator also revokes the API token.

    A token is created only behind two-factor authentication; without it the token would be a
    password-strength credential that outlives the protection it was issued under.
    """
    from allauth.mfa.models import Authenticator

    from commissioning.services import api_tokens_revoke

    if Authenticator.objects.filter(user=user).exclude(type=Authenticator.Type.RECOVERY_CODES).exists():
        return
    if api_tokens_revoke(user=user):
        from django.contrib import messages

        messages.warning(
            request,
            "Your API token was revoked with your authenticator. "
            "Create a new one once two-factor authentication is set up again.",
        )
