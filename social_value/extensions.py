"""What the social value app plugs into the core (``commissioning.extensions``), from ``SocialValueConfig.ready()``:
its permissions, audit words, the admin's dashboard panel, demo data and URLs."""

from __future__ import annotations

from commissioning.extensions import (
    DashboardPanel,
    DemoSeeder,
    UrlInclude,
    register_dashboard_panel,
    register_demo_seeder,
    register_url_include,
)
from commissioning.models import Role
from social_value import audit_labels, rules
from social_value.demo import seed_frameworks

__all__ = ["register"]

# Before the tenders' seeders (10 onwards): a tender's social value questions will name the framework.
DEMO_SEEDERS = [DemoSeeder(key="social_value.frameworks", order=5, seed=seed_frameworks)]

DASHBOARD_PANELS = [
    DashboardPanel(key="social-value-framework", role=Role.ADMIN, template="social_value/panels/dashboard_admin.html"),
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
    for seeder in DEMO_SEEDERS:
        register_demo_seeder(seeder)
    for entry in URL_INCLUDES:
        register_url_include(entry)
