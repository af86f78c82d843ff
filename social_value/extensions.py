"""What the social value app plugs into the core (``commissioning.extensions``), from ``SocialValueConfig.ready()``:
its permissions, audit words, dashboard panels (the framework for admins, agreements, market shaping)
and work queue, the portal's sections (social value accounted for, headline market shares), the
provider's link, the framework's rounds of comments in the council's consultations, demo data and URLs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from commissioning.extensions import (
    CONSULTATIONS_LISTED,
    ConsultationEntry,
    ConsultationSource,
    DashboardPanel,
    DemoSeeder,
    PortalSection,
    ProviderLink,
    UrlInclude,
    WorkItem,
    WorkQueue,
    register_consultation_source,
    register_dashboard_panel,
    register_demo_seeder,
    register_portal_section,
    register_provider_link,
    register_url_include,
    register_work_queue,
)
from commissioning.models import Council, Role, User
from commissioning.rules import council_roles
from social_value import (
    audit_labels,
    framework_comment_tasks,  # noqa: F401  (registers its e-mail tasks in web and worker)
    kept,
    ledger,
    rules,
)
from social_value import framework_comment_selectors as comments
from social_value.demo import seed_frameworks
from social_value.selectors import market_headline

__all__ = ["register"]

# Before the tenders' seeders (10 onwards): a tender's social value questions will name the framework.
# (seed_frameworks also seeds the round of comments on Knowsley's framework.)
DEMO_SEEDERS = [DemoSeeder(key="social_value.frameworks", order=5, seed=seed_frameworks)]


def _market_link(role: str) -> Any:
    """The market link in the first of the member's commissioner and officer sections only (an admin's panel has it)."""

    def context(council: Council, user: User) -> dict[str, Any]:
        roles = council_roles(user, council)
        first = next((r for r in (Role.COMMISSIONER, Role.OFFICER) if r in roles), role)
        return {"show": first == role and Role.ADMIN not in roles}

    return context


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
    DashboardPanel(
        key="social-value-agreements", role=Role.COMMISSIONER, template="social_value/panels/dashboard_agreements.html"
    ),
    DashboardPanel(
        key="social-value-agreements-officer",
        role=Role.OFFICER,
        template="social_value/panels/dashboard_agreements.html",
    ),
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


def _to_verify_count(council: Council, user: User) -> int:
    return ledger.returns_to_verify(council=council).count()


def _to_verify_items(council: Council, user: User, offset: int, limit: int) -> list[WorkItem]:
    return [
        WorkItem(
            title=f"{r.agreement.title}: period {r.period}",
            url=reverse("social_value_return_verify", kwargs={"council_slug": council.slug, "return_id": r.pk}),
            detail=f"{r.agreement.provider.name}, submitted {r.submitted_at:%-d %B %Y}" if r.submitted_at else "",
        )
        for r in ledger.returns_to_verify(council=council)[offset : offset + limit]
    ]


WORK_QUEUES = [
    WorkQueue(
        key="social-value-returns",
        role=Role.OFFICER,
        title="Social value returns to verify",
        empty="No delivery returns are waiting for verification.",
        count=_to_verify_count,
        items=_to_verify_items,
        position=60,
    ),
]


def _accounted_for(council: Council, now: datetime) -> dict[str, Any]:
    """The portal's link to the council's accounts. No figures here: summing every verified return
    (the accounts page's one aggregate) on every visit to the portal cost the bench's council with
    46,000 returns about a hundred milliseconds a request, so the figures stay on their own page."""
    return {"url": reverse("social_value_accounted_for", kwargs={"council_slug": council.slug})}


def _market_headline(council: Council, now: datetime) -> dict[str, Any]:
    today = timezone.localdate(now)
    # Kept with the council's ledger, which every write to an agreement renews.
    return {
        "headline": kept.kept(
            council.pk, ("portal headline", today), lambda: market_headline(council=council, today=today)
        )
    }


# After the tenders' opportunities (10) and recent awards (20).
PORTAL_SECTIONS = [
    PortalSection(
        key="social-value-accounted-for",
        template="social_value/panels/portal_accounted_for.html",
        context=_accounted_for,
        position=30,
    ),
    PortalSection(
        key="social-value-market",
        template="social_value/panels/portal_market.html",
        context=_market_headline,
        position=35,
    ),
]

PROVIDER_LINKS = [
    ProviderLink(
        key="social-value-agreements",
        url_name="social_value_my_agreements",
        text="Your agreements and social value returns",
    ),
]

URL_INCLUDES = [
    UrlInclude(mount="site", urlconf="social_value.portal_urls"),
    UrlInclude(mount="council", urlconf="social_value.urls"),
    UrlInclude(mount="api", urlconf="social_value.api_urls"),
]


def register() -> None:
    rules.register()
    audit_labels.register()
    for panel in DASHBOARD_PANELS:
        register_dashboard_panel(panel)
    for queue in WORK_QUEUES:
        register_work_queue(queue)
    for section in PORTAL_SECTIONS:
        register_portal_section(section)
    for link in PROVIDER_LINKS:
        register_provider_link(link)
    register_consultation_source(CONSULTATION_SOURCE)
    for seeder in DEMO_SEEDERS:
        register_demo_seeder(seeder)
    for entry in URL_INCLUDES:
        register_url_include(entry)
