from collections.abc import Iterator, Mapping
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


class CouncilPerms(Mapping[str, bool]):
    """The person's council permissions as the templates read them (``council_perms.tender_view``),
    each asked of the rules only when a template reads it, then remembered for the request: a
    page reads a handful of the forty-odd."""

    def __init__(self, user: Any, council: Any) -> None:
        self._user, self._council = user, council
        self._names = {
            _perm_key(name): name for name in PERMISSIONS_TABLE if not name.startswith(ORGANISATION_PERM_PREFIX)
        }
        self._known: dict[str, bool] = {}

    def __getitem__(self, key: str) -> bool:
        if key not in self._known:
            # A KeyError for a name that is no permission: the template reads it as empty.
            self._known[key] = bool(self._user.has_perm(self._names[key], self._council))
        return self._known[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def platform(request: HttpRequest) -> dict[str, Any]:
    """What the layout needs on every page: the current council, my roles there, my councils."""
    council = getattr(request, "council", None)
    user = getattr(request, "user", None)
    roles = council_roles(user, council) if council is not None else frozenset()
    council_perms: Mapping[str, bool] = CouncilPerms(user, council) if council is not None and roles else {}
    return {
        "platform_name": settings.PLATFORM_NAME,
        "current_council": council,
        "council_roles": roles,
        "council_perms": council_perms,
        "my_councils": (lambda: councils_for_user(user=user)) if user is not None else list,
        "require_mfa": settings.COMMISSIONING_REQUIRE_MFA,
    }
