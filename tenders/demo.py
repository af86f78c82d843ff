"""Demo data for the tenders app: each demo council's local spend policy and tender policy, and Knowsley's tender,
its specification (version 1 saved) and Knowsley's clause library.

Called at the end of ``commissioning.demo.seed()``. Idempotent: a council that already has bands,
a tender policy or the demo tender keeps them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from commissioning.models import Commission, Council, DeliveryOption, User
from commissioning.tenancy import council_scope
from tenders import services
from tenders.eligibility import SME, VCSE, Band
from tenders.models import Clause, SpecificationSection, SpendPolicyBand, Tender, TenderPolicy

# Knowsley's local spend policy (the Centre for Local Economic Strategies case study): low value
# (under £5,000) and intermediate value (up to £181,000) spend goes to local providers.
KNOWSLEY_BANDS = (
    Band(lower=Decimal(0), upper=Decimal(5000), reserved_for_local=True, label="Low value"),
    Band(
        lower=Decimal(5000),
        upper=Decimal(181000),
        reserved_for_local=True,
        welcome=frozenset({VCSE, SME}),
        label="Intermediate value",
    ),
    Band(lower=Decimal(181000), label="Higher value"),
)
# Southwark: below the £30,000 publication threshold, local; then open, with VCSEs and SMEs invited.
SOUTHWARK_BANDS = (
    Band(lower=Decimal(0), upper=Decimal(30000), reserved_for_local=True, label="Below £30,000"),
    Band(lower=Decimal(30000), upper=Decimal(207720), welcome=frozenset({VCSE, SME}), label="Below threshold"),
    Band(lower=Decimal(207720), label="Above threshold"),
)
DEMO_BANDS = {"knowsley": KNOWSLEY_BANDS, "southwark": SOUTHWARK_BANDS}
# The demo policies date from when the 2026 thresholds took effect.
DEMO_EFFECTIVE_FROM = date(2026, 1, 1)


def seed_spend_policies(councils: Mapping[str, Council]) -> None:
    effective_from = min(DEMO_EFFECTIVE_FROM, timezone.localdate())
    for slug, council in councils.items():
        with council_scope(council):
            if slug in DEMO_BANDS and not SpendPolicyBand.objects.filter(council=council).exists():
                services.spend_policy_replace(
                    council=council,
                    actor=None,
                    bands=DEMO_BANDS[slug],
                    effective_from=effective_from,
                    today=effective_from,  # a policy already in force, loaded as it was set
                )
            TenderPolicy.objects.get_or_create(council=council)


# Knowsley's first tender, under its decided "Community navigation service" commission: £180,000,
# so in the intermediate band (reserved for local organisations; VCSEs and SMEs welcome).
DEMO_TENDER_TITLE = "Community navigation service"
DEMO_RATIONALE = (
    "Quality carries half the score because residents told us trust and local knowledge matter most. "
    "Price keeps the service affordable over three years. Social value is weighted above the council's "
    "10% minimum because the service should build local capacity: local jobs, volunteering and spend."
)


def seed_tenders(councils: Mapping[str, Council]) -> None:
    """A draft tender with a lot, a timetable and an evaluation model, once (idempotent by title)."""
    council = councils.get("knowsley")
    if council is None:
        return
    with council_scope(council):
        commission = Commission.objects.filter(
            council=council, title="Community navigation service", decision=DeliveryOption.CONTRACT
        ).first()
        if commission is None or Tender.objects.filter(council=council, title=DEMO_TENDER_TITLE).exists():
            return
        commissioner = User.objects.get(email="commissioner@knowsley.example.org")
        tender = services.tender_create(
            commission=commission,
            actor=commissioner,
            title=DEMO_TENDER_TITLE,
            description=(
                "Trusted navigators in places residents already go, helping them reach advice, health, money "
                "and social groups in their community. A three-year contract."
            ),
            estimated_value=Decimal(180_000),
        )
        london = ZoneInfo("Europe/London")
        services.tender_update(
            tender=tender,
            actor=commissioner,
            clarification_deadline=datetime(2026, 12, 11, 12, 0, tzinfo=london),
            submission_deadline=datetime(2027, 1, 8, 12, 0, tzinfo=london),
            planned_award_date=date(2027, 2, 15),
        )
        services.lot_add(
            tender=tender,
            actor=commissioner,
            title="Navigation across Knowsley",
            description="Navigators in Huyton, Kirkby, Prescot and Halewood.",
            estimated_value=Decimal(180_000),
        )
        services.criteria_replace(
            tender=tender,
            actor=commissioner,
            criteria=[
                services.CriterionSpec(
                    title="Quality",
                    kind="quality",
                    weight=Decimal(50),
                    parts=(
                        services.CriterionSpec(
                            title="How you will reach residents who do not ask for help",
                            kind="quality",
                            weight=Decimal(30),
                            minimum_score=Decimal(2),
                        ),
                        services.CriterionSpec(
                            title="Your navigators: recruitment, training and supervision",
                            kind="quality",
                            weight=Decimal(20),
                            minimum_score=Decimal(2),
                        ),
                    ),
                ),
                services.CriterionSpec(title="Price", kind="price", weight=Decimal(30), scale="0-100"),
                services.CriterionSpec(
                    title="Social value",
                    kind="social_value",
                    weight=Decimal(20),
                    guidance="Local jobs, volunteering and spend with Knowsley organisations.",
                ),
            ],
            rationale=DEMO_RATIONALE,
        )


# Knowsley's clause library: the community-rooted clauses of its community navigation specification
# (the Centre for Local Economic Strategies case study) and a few more in the same spirit.
KNOWSLEY_CLAUSES = (
    (
        "Located within the community",
        "Community",
        "<p>The service is located within the community and fosters community connections and relations "
        "for the benefit of the community's residents.</p>",
    ),
    (
        "Navigators valued in the community",
        "Community",
        "<p>Navigators are a recognised and valued resource in the community.</p>",
    ),
    (
        "Recruited locally",
        "Social value",
        "<p>Staff and volunteers are recruited locally where possible.</p>",
    ),
    (
        "Reviewed by residents",
        "Co-design",
        "<p>Residents who use the service help review it each year.</p>",
    ),
)
DEMO_SPECIFICATION = (
    (
        "Background",
        "<p>Knowsley Council wants residents to reach the advice, health, money and social support that already "
        "exists in their community, through trusted navigators in places they already go.</p>",
        (),
    ),
    (
        "The service",
        "<p>Navigators meet residents where they are, listen, and help them reach the right support.</p>",
        ("Located within the community", "Navigators valued in the community"),
    ),
    (
        "Outcomes",
        "<ul><li>Residents know where to go for help and get there.</li>"
        "<li>Fewer residents reach crisis before they get support.</li></ul>",
        ("Reviewed by residents",),
    ),
    (
        "Social value",
        "<p>The provider builds local capacity: local jobs, volunteering and spend with Knowsley organisations.</p>",
        ("Recruited locally",),
    ),
)


def seed_specifications(councils: Mapping[str, Council]) -> None:
    """Knowsley's clause library and its demo tender's specification with version 1, once (idempotent)."""
    council = councils.get("knowsley")
    if council is None:
        return
    with council_scope(council):
        commissioner = User.objects.filter(email="commissioner@knowsley.example.org").first()
        if commissioner is None:
            return
        clauses = {}
        for title, category, body in KNOWSLEY_CLAUSES:
            clause = Clause.objects.filter(council=council, title=title).first()
            clauses[title] = clause or services.clause_create(
                council=council, actor=commissioner, title=title, body=body, category=category
            )
        tender = Tender.objects.filter(council=council, title=DEMO_TENDER_TITLE).first()
        if tender is None or SpecificationSection.objects.filter(tender=tender).exists():
            return
        for title, body, clause_titles in DEMO_SPECIFICATION:
            section = services.section_add(tender=tender, actor=commissioner, title=title, body=body)
            for clause_title in clause_titles:
                section = services.clause_insert(section=section, clause=clauses[clause_title], actor=commissioner)
        services.specification_save_version(
            tender=tender, actor=commissioner, note="First draft, with the community clauses"
        )


def seed_tender_life(councils: Mapping[str, Council]) -> None:
    """The later stages' demo data, in the order a tender lives them."""
    from tenders import demo_bids, demo_codesign, demo_opening, demo_publication

    for stage in (demo_codesign, demo_publication, demo_bids, demo_opening):
        stage.seed(councils)
