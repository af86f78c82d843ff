"""The council's consultations: everything the signed-in person is invited to comment on, from every
app (a tender's draft specification, the social value framework), under /c/<slug>/consultations/.

A public page that makes its own checks, since members of invited organisations need not belong to
the council: sign-in required, and 404 for anyone who is neither a member nor invited to one of the
council's rounds (``commissioning.extensions``: consultation sources).
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from commissioning.extensions import consultations_for, consultations_invited
from commissioning.http import CouncilPublicRequest
from commissioning.rules import council_roles
from commissioning.tenancy import council_public

__all__ = ["consultations"]


@council_public
def consultations(request: CouncilPublicRequest, council_slug: str) -> HttpResponse:
    """Open rounds the person may comment in, then closed ones they commented in (to read the replies)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    council, user = request.council, request.user
    if not council_roles(user, council) and not consultations_invited(council=council, user=user):
        raise Http404("No such page")
    found = consultations_for(council=council, user=user, now=timezone.now())
    return render(
        request,
        "council/consultations.html",
        {"open": [c for c in found if c.is_open], "closed": [c for c in found if not c.is_open]},
    )
