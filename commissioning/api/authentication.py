"""API token authentication: knox's, without its per-request sweep of the person's other tokens.

knox's ``TokenAuthentication`` reads every token of the person on every request, to delete the
expired ones (``_cleanup_token``): one query a request for housekeeping. Here a request checks
only the expiry of the token it presents (an expired token is refused and deleted, as in knox),
and expired tokens are pruned by :func:`commissioning.services.api_tokens_prune`, which Celery beat
runs daily and which runs whenever a person creates a token.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox import auth
from knox.signals import token_expired

__all__ = ["TokenAuthentication"]


class TokenAuthentication(auth.TokenAuthentication):
    """knox tokens (a SHA-512 digest with an expiry), one query a request: the token with its person."""

    def _cleanup_token(self, auth_token: Any) -> bool:
        """Whether the presented token has expired (and so is deleted and skipped); nothing else is read."""
        if auth_token.expiry is None or auth_token.expiry >= timezone.now():
            return False
        username = auth_token.user.get_username()
        auth_token.delete()
        token_expired.send(sender=self.__class__, username=username, source="auth_token")
        return True


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI security scheme: knox's own (``Authorization: Token <key>``), for this class."""

    target_class = "commissioning.api.authentication.TokenAuthentication"
