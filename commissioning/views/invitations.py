"""Accepting an invitation: by signing up or logging in, then confirming."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from commissioning import services
from commissioning.tenancy import council_scope


def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_find(token=token)
    if invitation is None:
        raise Http404("No such invitation")
    council = invitation.council
    context: dict[str, Any] = {"invitation": invitation, "council": council}
    if not request.user.is_authenticated:
        # Remember the token: it is accepted as soon as the person signs up or logs in.
        request.session["invitation_token"] = token
        return render(request, "invitations/accept_anonymous.html", context)
    if request.method == "POST":
        try:
            with council_scope(council):
                membership = services.invitation_accept(invitation=invitation, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            context["error"] = error.messages[0] if isinstance(error, ValidationError) else str(error)
            return render(request, "invitations/accept.html", context, status=400)
        messages.success(request, f"You have joined {council.header_name} as {membership.get_role_display()}.")
        return redirect("council_dashboard", council_slug=council.slug)
    return render(request, "invitations/accept.html", context)
