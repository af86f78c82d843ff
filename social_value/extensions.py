"""What the social value app plugs into the core (``commissioning.extensions``), from ``SocialValueConfig.ready()``:
its permissions, audit words, dashboard panels (the framework for admins, market shaping), the portal's
headline market shares, demo data and URLs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from commissioning.extensions import (
    DashboardPanel,
    DemoSeeder,
    PortalSection,
    UrlInclude,
    register_dashboard_panel,
    register_demo_seeder,
    register_portal_section,
    register_url_include,
)
from commissioning.models import Council, Role, User
from commissioning.rules import council_roles
from social_value import audit_labels, rules
from social_value.demo import seed_frameworks
from social_value.selectors import market_headline

__all__ = ["register"]

# Before the tenders' seeders (10 onwards): a tender's social value questions will name the framework.
DEMO_SEEDERS = [DemoSeeder(key="social_value.frameworks", order=5, seed=seed_frameworks)]


def _market_link(role: str) -> Any:
    """The market link in the first of the member's commissioner and officer sections only (an admin's panel has it)."""

    def context(council: Council, user: User) -> dict[str, Any]:
        roles = council_roles(user, council)
        first = next((r for r in (Role.COMMISSIONER, Role.OFFICER) if r in roles), role)
        return {"show": first == role and Role.ADMIN not in roles}

    return context


DASHBOARD_PANELS = [
    DashboardPanel(key="social-value-framework", role=Role.ADMIN, template="social_value/panels/dashboard_admin.html"),
    *(
        DashboardPanel(
            key=f"social-value-market-{role}",
            role=role,
            template="social_value/panels/dashboard_market.html",
            context=_market_link(role),
            position=90,
        )
        for role in (Role.COMMISSIONER, Role.OFFICER)
    ),
]


def _market_headline(council: Council, now: datetime) -> dict[str, Any]:
    return {"headline": market_headline(council=council, today=timezone.localdate(now))}


# After the tenders' opportunities (10) and recent awards (20).
PORTAL_SECTIONS = [
    PortalSection(
        key="social-value-market",
        template="social_value/panels/portal_market.html",
        context=_market_headline,
        position=30,
    )
]

URL_INCLUDES = [
    UrlInclude(mount="council", urlconf="social_value.urls"),
    UrlInclude(mount="api", urlconf="social_value.api_urls"),
]


def register() -> None:
    rules.register()
    audit_labels.register()
    for panel in DASHBOARD_PANELS:
        register_dashboard_panel(panel)
    for section in PORTAL_SECTIONS:
        register_portal_section(section)
    for seeder in DEMO_SEEDERS:
        register_demo_seeder(seeder)
    for entry in URL_INCLUDES:
        register_url_include(entry)
