"""API permissions: the same `rules` predicates as the pages."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from commissioning.rules import council_roles
from commissioning.tenancy import needs_mfa_setup


class MfaRequired(PermissionDenied):
    default_code = "mfa_required"
    default_detail = (
        "Set up two-factor authentication (an authenticator app) at /accounts/2fa/ before you use this "
        "council's data: your roles in this council need it, through the API as on the pages."
    )


class CouncilMember(BasePermission):
    """Members of the URL's council only; anyone else gets 404, as on the pages.

    A member whose roles need MFA and who has no authenticator gets 403 (``mfa_required``),
    whether they come with a session or a token: the rule the council pages' middleware applies.
    A view may name ``council_permission`` (a rules permission, e.g. "council.view_members");
    a member without it gets 403 with the reason.
    """

    message = "You do not have permission to do this in this council."

    def has_permission(self, request: Request, view: Any) -> bool:
        council = getattr(request._request, "council", None)
        roles = council_roles(request.user, council) if council is not None else frozenset()
        if not roles:
            raise NotFound()
        if needs_mfa_setup(request.user, roles):
            raise MfaRequired()
        permission = getattr(view, "council_permission", None)
        return permission is None or request.user.has_perm(permission, council)
