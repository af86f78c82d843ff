from typing import Any

from django.conf import settings
from django.http import HttpRequest

from commissioning.rules import PERMISSIONS_TABLE, council_roles
from commissioning.selectors import councils_for_user

# Permissions that take the council as their object (every row of the table but the core's
# organisation permissions, commissioning.extensions.register_permissions), as the templates see
# them: "council.view_members" -> council_perms.view_members, "commission.view" ->
# council_perms.commission_view, "tender.view" -> council_perms.tender_view.
ORGANISATION_PERM_PREFIX = "organisation."


def _perm_key(name: str) -> str:
    return name.removeprefix("council.").replace(".", "_")


def platform(request: HttpRequest) -> dict[str, Any]:
    """What the layout needs on every page: the current council, my roles there, my councils."""
    council = getattr(request, "council", None)
    user = getattr(request, "user", None)
    roles = council_roles(user, council) if council is not None else frozenset()
    council_perms = {}
    if council is not None and roles:
        council_perms = {
            _perm_key(name): user.has_perm(name, council)
            for name in PERMISSIONS_TABLE
            if not name.startswith(ORGANISATION_PERM_PREFIX)
        }
    return {
        "platform_name": settings.PLATFORM_NAME,
        "current_council": council,
        "council_roles": roles,
        "council_perms": council_perms,
        "my_councils": (lambda: councils_for_user(user=user)) if user is not None else list,
        "require_mfa": settings.COMMISSIONING_REQUIRE_MFA,
    }
