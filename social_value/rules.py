"""Who may do what with the social value framework (role × action rows registered into the core's table).

Built from the core's role predicates (``commissioning.rules``); ``register()`` is called from
``SocialValueConfig.ready()``.
"""

from __future__ import annotations

import rules

from commissioning.codesign import is_round_commenter, is_round_owner
from commissioning.extensions import register_permissions
from commissioning.models import Role
from commissioning.rules import has_role, is_admin, is_commissioner, is_council_member, is_officer

__all__ = ["SOCIAL_VALUE_PERMISSIONS", "may_comment_on_framework", "may_reply_on_framework", "register"]

is_citizen = has_role(Role.CITIZEN)

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
    "social_value.comment_framework": (
        is_citizen,
        "citizen",
        "Comment on the social value framework when it is opened to the council's citizens",
    ),
}

# The framework's comment rounds follow the rules every co-design shares (commissioning.codesign),
# with the round as the object: a citizen comments when the round is open to citizens, a member of
# an invited voluntary group comments for it; the council's admins (``social_value.manage_framework``)
# open and close rounds and reply.
may_comment_on_framework: rules.Predicate = is_round_commenter
may_reply_on_framework: rules.Predicate = is_round_owner


def register() -> None:
    register_permissions(SOCIAL_VALUE_PERMISSIONS)
