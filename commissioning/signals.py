"""Signal receivers of the core app."""

from typing import Any

from allauth.account.signals import user_logged_in, user_signed_up
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
