"""The person's own API token, for scripts and integrations (token authentication)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from rest_framework.authtoken.models import Token

from commissioning.selectors import councils_for_user
from commissioning.tenancy import needs_mfa_setup


@login_required
def api_token(request: HttpRequest) -> HttpResponse:
    """Show, create or replace the token. Council staff need MFA first: a token is a credential."""
    staff_roles = frozenset(role for entry in councils_for_user(user=request.user) for role in entry.roles)
    if needs_mfa_setup(request.user, staff_roles):
        messages.info(request, "Set up two-factor authentication before you create an API token.")
        return redirect("mfa_activate_totp")
    token = Token.objects.filter(user=request.user).first()
    if request.method == "POST":
        if token is not None:
            token.delete()
        token = Token.objects.create(user=request.user)
        messages.success(request, "Your new API token is shown below. Any earlier token no longer works.")
        return redirect("account_api_token")
    return render(request, "account/api_token.html", {"token": token})
