"""What the tenders app plugs into the core (``commissioning.extensions``), from ``TendersConfig.ready()``.

The core knows no domain app: its dashboard, portal, commission page, demo, URLconfs, role ×
action table and audit words ask its registry, and this module fills it in for tenders. (The work
queues are in ``tenders.work_queues``, the audit seal in ``tenders.sealing``.)
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from commissioning.extensions import (
    CONSULTATIONS_LISTED,
    CommissionDependants,
    ConsultationEntry,
    ConsultationSource,
    DashboardPanel,
    DemoSeeder,
    PortalSection,
    UrlInclude,
    register_commission_dependants,
    register_consultation_source,
    register_dashboard_panel,
    register_demo_seeder,
    register_portal_section,
    register_url_include,
)
from commissioning.models import Commission, Council, DeliveryOption, Role, User
from social_value.market_sources import BidFiguresSource, register_bid_figures
from tenders import audit_labels, public_cache, rules
from tenders.demo import seed_specifications, seed_spend_policies, seed_tender_life, seed_tenders
from tenders.links import RowUrl, row_date
from tenders.models import Tender
from tenders.selectors import consultations_for_user, invited_to_comment, published_tenders, recent_award_notices
from tenders.selectors.market import tender_bid_figures
from tenders.timetable import STATUS_LABELS, STATUS_TAGS, Status

__all__ = ["register"]

# How long a closed tender stays on the council's portal under "Recently closed".
RECENTLY_CLOSED = timedelta(days=90)


def _draft_consultations(council: Council, user: User, now: datetime) -> list[ConsultationEntry]:
    """Draft specifications the person may comment on (and closed ones they commented on)."""
    return [
        ConsultationEntry(
            title=c.round.tender.title,
            url=reverse("consultation", kwargs={"council_slug": council.slug, "round_id": c.round.pk}),
            is_open=c.is_open,
            opened_at=c.round.opened_at,
            closes_at=c.round.closes_at,
            kind="Draft specification",
        )
        for c in consultations_for_user(council=council, user=user, now=now)[:CONSULTATIONS_LISTED]
    ]


CONSULTATION_SOURCE = ConsultationSource(
    key="tenders-specifications",
    listing=_draft_consultations,
    invited=lambda council, user: invited_to_comment(council=council, user=user),
    position=10,
)


# The portal shows the soonest-closing open opportunities and the latest closed ones; the finder
# (filtered to the council) pages through the rest.
PORTAL_OPEN = 20
PORTAL_CLOSED = 10
_PORTAL_FIELDS = ("id", "council_id", "title", "estimated_value", "published_at", "clarification_deadline")


def _opportunities(council: Council, now: datetime) -> dict[str, Any]:
    """Published tenders open now, soonest deadline first, then those closed in the last 90 days,
    most recently closed first: a bounded number of each, in two queries, with links from one reverse()."""
    fields = (*_PORTAL_FIELDS, "submission_deadline")

    def read() -> tuple[list[Tender], list[Tender]]:
        opportunities = list(
            published_tenders(council=council, now=now, status="open").only(*fields)[: PORTAL_OPEN + 1]
        )
        closed = list(
            published_tenders(council=council, now=now, status="closed")
            .filter(submission_deadline__gte=now - RECENTLY_CLOSED)
            .only(*fields)
            .order_by("-submission_deadline", "-pk")[: PORTAL_CLOSED + 1]
        )
        return opportunities, closed

    def leaves(answer: tuple[list[Tender], list[Tender]]) -> datetime | None:
        # The oldest closed tender read drops out of "closed in the last 90 days" then.
        deadlines = [t.submission_deadline for t in answer[1] if t.submission_deadline is not None]
        return min(deadlines) + RECENTLY_CLOSED if deadlines else None

    opportunities, closed = public_cache.kept(("portal", council.pk), now, read, until=leaves, council=council.pk)
    notice = RowUrl("opportunity")
    for tender in (*opportunities, *closed):
        tender.notice_url = notice.url(council.slug, tender.pk)  # type: ignore[attr-defined]
        status = tender.status_at(now)
        tender.status_words = STATUS_LABELS[status]  # type: ignore[attr-defined]
        deadline = tender.submission_deadline
        tender.deadline_text = row_date(deadline, time=status != Status.CLOSED) if deadline else ""  # type: ignore[attr-defined]
        tender.status_class = STATUS_TAGS[status]  # type: ignore[attr-defined]
    finder = reverse("opportunity_finder")
    return {
        "opportunities": opportunities[:PORTAL_OPEN],
        "more_open": len(opportunities) > PORTAL_OPEN,
        "recently_closed": closed[:PORTAL_CLOSED],
        "more_closed": len(closed) > PORTAL_CLOSED,
        "finder_open_url": f"{finder}?{urlencode({'council': council.slug, 'status': 'open'})}",
        "finder_closed_url": f"{finder}?{urlencode({'council': council.slug, 'status': 'closed'})}",
    }


# The portal's "Recent awards": the newest award notices, each linking to its public award page.
PORTAL_AWARDS = 10


def _recent_awards(council: Council, now: datetime) -> dict[str, Any]:
    """The council's latest award notices (approved, of published tenders), newest first: the
    winner and the value as the notice states them. One query, links from one reverse()."""

    def read() -> list[dict[str, Any]]:
        award_page = RowUrl("award_notice_public")
        return [
            {
                "title": notice.tender.title,
                "lot": notice.lot.title if notice.lot else "",
                "winner": notice.bid.organisation.name if notice.bid else "",
                "value": notice.value,
                "date": row_date(notice.published_at, time=False),
                "suspended": notice.suspended_at is not None,
                "url": award_page.url(council.slug, notice.tender_id),
            }
            for notice in recent_award_notices(council=council, limit=PORTAL_AWARDS)
        ]

    # Kept with the public reads (tenders.public_cache), which award notices, recommendations,
    # lots and organisations (the winner's name) renew too.
    return {"awards": public_cache.kept(("portal awards", council.pk, council.slug), now, read, council=council.pk)}


def _has_tenders(commission: Commission) -> bool:
    return Tender.objects.filter(commission=commission).exists()


def _commission_tenders(council: Council, commission: Commission, user: User) -> list[Tender]:
    if not user.has_perm("tender.view", council):
        return []
    return list(Tender.objects.filter(council=council, commission=commission).order_by("created_at", "pk"))


DASHBOARD_PANELS = [
    DashboardPanel(key="tenders-scoring", role=Role.EVALUATOR, template="tenders/panels/dashboard_evaluator.html"),
    DashboardPanel(key="tenders-approvals", role=Role.OFFICER, template="tenders/panels/dashboard_officer.html"),
]

PORTAL_SECTIONS = [
    PortalSection(
        key="tenders-opportunities",
        template="tenders/panels/portal_opportunities.html",
        context=_opportunities,
        position=10,
    ),
    PortalSection(
        key="tenders-awards",
        template="tenders/panels/portal_awards.html",
        context=_recent_awards,
        position=20,
    ),
]

COMMISSION_TENDERS = CommissionDependants(
    key="tenders",
    decision=DeliveryOption.CONTRACT,
    exists=_has_tenders,
    refusal="This commission already has a tender, so its decision must stay ‘contract’",
    code="has_tender",
    template="tenders/panels/commission_tenders.html",
    listing=_commission_tenders,
    position=10,
)

# The order is the one a tender lives: the spend policy its band comes from, the tenders, their
# specifications, then co-design, publication, bids and opening (tenders.demo.seed_tender_life).
DEMO_SEEDERS = [
    DemoSeeder(key="tenders.spend_policies", order=10, seed=seed_spend_policies),
    DemoSeeder(key="tenders.tenders", order=20, seed=seed_tenders),
    DemoSeeder(key="tenders.specifications", order=30, seed=seed_specifications),
    DemoSeeder(key="tenders.tender_life", order=40, seed=seed_tender_life),
]

URL_INCLUDES = [
    UrlInclude(mount="site", urlconf="tenders.portal_urls"),
    UrlInclude(mount="council", urlconf="tenders.urls"),
    UrlInclude(mount="api", urlconf="tenders.api.urls"),
]


def register() -> None:
    rules.register()
    audit_labels.register()
    for panel in DASHBOARD_PANELS:
        register_dashboard_panel(panel)
    for section in PORTAL_SECTIONS:
        register_portal_section(section)
    register_commission_dependants(COMMISSION_TENDERS)
    register_consultation_source(CONSULTATION_SOURCE)
    for seeder in DEMO_SEEDERS:
        register_demo_seeder(seeder)
    for entry in URL_INCLUDES:
        register_url_include(entry)
    # Bids per tender by provider type and repeat single bidders, for the market dashboard.
    register_bid_figures(BidFiguresSource(key="tenders", figures=tender_bid_figures, position=10))
