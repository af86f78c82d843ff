"""API permissions: the same `rules` predicates as the pages."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from commissioning.rules import council_roles


class CouncilMember(BasePermission):
    """Members of the URL's council only; anyone else gets 404, as on the pages.

    A view may name ``council_permission`` (a rules permission, e.g. "council.view_members");
    a member without it gets 403 with the reason.
    """

    message = "You do not have permission to do this in this council."

    def has_permission(self, request: Request, view: Any) -> bool:
        council = getattr(request._request, "council", None)
        if council is None or not council_roles(request.user, council):
            raise NotFound()
        permission = getattr(view, "council_permission", None)
        return permission is None or request.user.has_perm(permission, council)
