"""Who may do what with the social value framework (role × action rows registered into the core's table).

Built from the core's role predicates (``commissioning.rules``); ``register()`` is called from
``SocialValueConfig.ready()``.
"""

from __future__ import annotations

import rules

from commissioning.extensions import register_permissions
from commissioning.rules import is_admin, is_commissioner, is_council_member, is_officer

__all__ = ["SOCIAL_VALUE_PERMISSIONS", "register"]

# permission name -> (predicate, who, what it allows)
SOCIAL_VALUE_PERMISSIONS: dict[str, tuple[rules.Predicate, str, str]] = {
    "social_value.view_framework": (
        is_council_member,
        "any role",
        "See the social value framework: themes, outcomes, measures and versions",
    ),
    "social_value.view_market": (
        is_commissioner | is_officer | is_admin,
        "admin, commissioner, officer",
        "See the market shaping figures: awarded value by provider type and band, concentration, extractive signals",
    ),
    "social_value.manage_framework": (
        is_admin,
        "admin",
        "Add, change, retire and import social value measures, and publish a version of the framework",
    ),
    "social_value.view_agreements": (
        is_admin | is_commissioner | is_officer,
        "admin, commissioner, officer",
        "See agreements' social value KPIs, reporting periods and delivery returns",
    ),
    "social_value.verify_returns": (
        is_officer | is_commissioner,
        "commissioner, officer",
        "Accept, query or reject a provider's delivery return",
    ),
}


def register() -> None:
    register_permissions(SOCIAL_VALUE_PERMISSIONS)
