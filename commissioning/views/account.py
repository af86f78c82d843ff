"""The person's own API token, for scripts and integrations (token authentication)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from commissioning import services
from commissioning.http import AuthenticatedRequest
from commissioning.selectors import api_token_current, councils_for_user
from commissioning.tenancy import needs_mfa_setup


@never_cache
@login_required
def api_token(request: AuthenticatedRequest) -> HttpResponse:
    """Create, replace or revoke the token. Council staff need MFA first: a token is a credential.

    Only a hash of the token is stored, so it is shown once, in the answer that creates it.
    """
    staff_roles = frozenset(role for entry in councils_for_user(user=request.user) for role in entry.roles)
    if needs_mfa_setup(request.user, staff_roles):
        messages.info(request, "Set up two-factor authentication before you create an API token.")
        return redirect("mfa_activate_totp")
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if services.api_tokens_revoke(user=request.user):
                messages.success(request, "Your API token has been revoked. It no longer works.")
            return redirect("account_api_token")
        token, secret = services.api_token_create(user=request.user)
        return render(request, "account/api_token.html", {"token": token, "new_token": secret})
    return render(request, "account/api_token.html", {"token": api_token_current(user=request.user)})
