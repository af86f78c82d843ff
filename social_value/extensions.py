"""What the social value app plugs into the core (``commissioning.extensions``), from ``SocialValueConfig.ready()``:
its permissions, audit words, the admin's dashboard panel, the framework's rounds of comments in the
council's consultations, demo data and URLs."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse

from commissioning.extensions import (
    CONSULTATIONS_LISTED,
    ConsultationEntry,
    ConsultationSource,
    DashboardPanel,
    DemoSeeder,
    UrlInclude,
    register_consultation_source,
    register_dashboard_panel,
    register_demo_seeder,
    register_url_include,
)
from commissioning.models import Council, Role, User
from social_value import (
    audit_labels,
    framework_comment_tasks,  # noqa: F401  (registers its e-mail tasks in web and worker)
    rules,
)
from social_value import framework_comment_selectors as comments
from social_value.demo import seed_frameworks

__all__ = ["register"]

# Before the tenders' seeders (10 onwards): a tender's social value questions will name the framework.
# (seed_frameworks also seeds the round of comments on Knowsley's framework.)
DEMO_SEEDERS = [DemoSeeder(key="social_value.frameworks", order=5, seed=seed_frameworks)]


def _framework_consultations(council: Council, user: User, now: datetime) -> list[ConsultationEntry]:
    """The framework's rounds the person may comment in (and closed ones they commented in)."""
    return [
        ConsultationEntry(
            title=c.round.framework.name,
            url=reverse("social_value_consultation", kwargs={"council_slug": council.slug, "round_id": c.round.pk}),
            is_open=c.is_open,
            opened_at=c.round.opened_at,
            closes_at=c.round.closes_at,
            kind="The council's social value framework",
        )
        for c in comments.framework_consultations_for_user(council=council, user=user, now=now)[:CONSULTATIONS_LISTED]
    ]


CONSULTATION_SOURCE = ConsultationSource(
    key="social-value-framework",
    listing=_framework_consultations,
    invited=lambda council, user: comments.invited_to_comment(council=council, user=user),
    position=20,
)

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
    register_consultation_source(CONSULTATION_SOURCE)
    for seeder in DEMO_SEEDERS:
        register_demo_seeder(seeder)
    for entry in URL_INCLUDES:
        register_url_include(entry)
