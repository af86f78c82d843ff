"""Writes about a person's own credentials: API tokens.

Tokens are knox tokens: only a SHA-512 digest is stored, with an expiry
(``COMMISSIONING_API_TOKEN_DAYS``), so the token itself exists only in the answer that creates it.
They belong to a person, not a council, so they write no council audit event. A request checks
only the expiry of the token it presents (``commissioning.api.authentication``); expired tokens are
deleted by :func:`api_tokens_prune` (Celery beat, daily) and a person's earlier tokens whenever they
create one.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from knox.models import AuthToken

from commissioning.models import User

__all__ = ["api_token_create", "api_tokens_prune", "api_tokens_revoke"]


@transaction.atomic
def api_token_create(*, user: User) -> tuple[AuthToken, str]:
    """A new token for the person, replacing any earlier one (one token per person).

    Returns the stored row and the token itself, which is shown once and never again.
    """
    AuthToken.objects.filter(user=user).delete()
    return AuthToken.objects.create(user=user)


@transaction.atomic
def api_tokens_revoke(*, user: User) -> int:
    """Every API token of the person stops working; returns how many there were."""
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted


@transaction.atomic
def api_tokens_prune(*, now: datetime | None = None) -> int:
    """Delete every token that has expired (they already stop working when presented); returns how many."""
    deleted, _ = AuthToken.objects.filter(expiry__lt=now or timezone.now()).delete()
    return deleted
