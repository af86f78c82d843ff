"""Demo data: two councils, people in every role, providers local and not, residents.

Used by ``manage.py seed_demo`` (idempotent, run by ``make run``) and ``print_demo_logins``.
Every demo account has the same password, printed by ``make run`` and listed in the README.
The core seeds councils, people, organisations, outcomes and commissions; each app's registered
demo seeders (``commissioning.extensions.DemoSeeder``) then add its part, in their explicit order.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from commissioning import services
from commissioning.extensions import demo_seeders
from commissioning.links import site_base_url
from commissioning.models import (
    Commission,
    Council,
    DeliveryOption,
    Invitation,
    LegalForm,
    Organisation,
    OrganisationMember,
    OrganisationRole,
    Outcome,
    Role,
    SizeBand,
    User,
)
from commissioning.tenancy import council_scope

DEMO_PASSWORD = "commission-demo-2026"  # noqa: S105 - public demo data, printed on purpose


@dataclass(frozen=True)
class DemoCouncil:
    slug: str
    name: str
    display_name: str
    colour: str
    local_area: tuple[str, ...]


COUNCILS = (
    DemoCouncil(
        "knowsley",
        "Knowsley Metropolitan Borough Council",
        "Knowsley Council",
        "#00594f",
        ("L26", "L27", "L28", "L32", "L33", "L34", "L35", "L36"),
    ),
    DemoCouncil(
        "southwark",
        "London Borough of Southwark",
        "Southwark Council",
        "#1d4f91",
        ("SE1", "SE5", "SE15", "SE16", "SE17", "SE21", "SE22"),
    ),
)

# (email, name, council slug, role)
COUNCIL_PEOPLE = (
    ("admin@knowsley.example.org", "Kim Admin", "knowsley", Role.ADMIN),
    ("commissioner@knowsley.example.org", "Chris Commissioner", "knowsley", Role.COMMISSIONER),
    ("evaluator@knowsley.example.org", "Eve Evaluator", "knowsley", Role.EVALUATOR),
    # A second evaluator, so a tender can have the two its policy asks for (tenders.demo.evaluation).
    ("evaluator.two@knowsley.example.org", "Evan Evaluator", "knowsley", Role.EVALUATOR),
    ("officer@knowsley.example.org", "Olu Officer", "knowsley", Role.OFFICER),
    ("resident.huyton@example.org", "Hana Resident (Huyton)", "knowsley", Role.CITIZEN),
    ("resident.kirkby@example.org", "Kofi Resident (Kirkby)", "knowsley", Role.CITIZEN),
    ("admin@southwark.example.org", "Sam Admin", "southwark", Role.ADMIN),
    ("commissioner@southwark.example.org", "Sade Commissioner", "southwark", Role.COMMISSIONER),
    ("evaluator@southwark.example.org", "Ewan Evaluator", "southwark", Role.EVALUATOR),
    ("officer@southwark.example.org", "Oona Officer", "southwark", Role.OFFICER),
    ("resident.peckham@example.org", "Priya Resident (Peckham)", "southwark", Role.CITIZEN),
    # One person working for both councils, to show the council switcher.
    ("shared.officer@example.org", "Morgan Shared", "knowsley", Role.COMMISSIONER),
    ("shared.officer@example.org", "Morgan Shared", "southwark", Role.OFFICER),
)

# (name, legal form, Companies House, charity no., address, town, postcode, size, owner email, owner name)
ORGANISATIONS = (
    (
        "Innovate Volunteering CIC",
        LegalForm.CIC,
        "11234567",
        "",
        "12 Derby Road",
        "Huyton",
        "L36 9UJ",
        SizeBand.SMALL,
        "hello@innovate-volunteering.example.org",
        "Ifeoma Innovate",
    ),
    (
        "Kirkby Community Garden",
        LegalForm.COMMUNITY_GROUP,
        "",
        "",
        "Cherryfield Drive",
        "Kirkby",
        "L32 8SE",
        SizeBand.MICRO,
        "growers@kirkby-garden.example.org",
        "Gareth Grower",
    ),
    (
        "Peckham Care Co-operative",
        LegalForm.COOPERATIVE,
        "RS007123",
        "",
        "88 Rye Lane",
        "London",
        "SE15 4RZ",
        SizeBand.SMALL,
        "coop@peckham-care.example.org",
        "Pat Cooper",
    ),
    (
        "Bermondsey Young People's Trust",
        LegalForm.CHARITY,
        "",
        "1123456",
        "5 Spa Road",
        "London",
        "SE16 3QT",
        SizeBand.SMALL,
        "trust@bermondsey-ypt.example.org",
        "Bea Trustee",
    ),
    (
        "Merseyside Digital Ltd",
        LegalForm.SME,
        "09876543",
        "",
        "1 Dale Street",
        "Liverpool",
        "L2 2HF",
        SizeBand.MEDIUM,
        "bids@merseyside-digital.example.org",
        "Mo Digital",
    ),
    # Knowsley bidders of the evaluation stage's demo (tenders.demo.evaluation): a charity, a
    # co-operative, and a national group's Knowsley subsidiary (large, but local by its address).
    (
        "Halewood Advice Centre",
        LegalForm.CHARITY,
        "",
        "1187654",
        "3 Church Road",
        "Halewood",
        "L26 6LB",
        SizeBand.SMALL,
        "advice@halewood-advice.example.org",
        "Hal Adviser",
    ),
    (
        "Prescot Neighbourhood Co-operative",
        LegalForm.COOPERATIVE,
        "RS009876",
        "",
        "21 Eccleston Street",
        "Prescot",
        "L34 5QA",
        SizeBand.MICRO,
        "members@prescot-coop.example.org",
        "Precious Member",
    ),
    (
        "Amberline Community Services Ltd",
        LegalForm.LARGE_COMPANY,
        "08765432",
        "",
        "Unit 4, Knowsley Business Park",
        "Kirkby",
        "L33 7SA",
        SizeBand.LARGE,
        "bids@amberline.example.org",
        "Amber Bidder",
    ),
    (
        "Nationwide Outsourcing plc",
        LegalForm.LARGE_COMPANY,
        "01234567",
        "",
        "100 Bishopsgate",
        "London",
        "EC2N 4AG",
        SizeBand.LARGE,
        "tenders@nationwide-outsourcing.example.org",
        "Nat Bidder",
    ),
)

# What the two large bidders record about who owns them (the market dashboard's extractive signals);
# the others' ownership is filled from their legal form.
DEMO_OWNERSHIP: dict[str, dict[str, str]] = {
    "Amberline Community Services Ltd": {
        "ownership": "private_equity",
        "parent_name": "Amber Care Capital LP",
        "parent_country": "Jersey",
    },
    "Nationwide Outsourcing plc": {
        "ownership": "subsidiary",
        "parent_name": "Global Outsourcing Holdings Inc.",
        "parent_country": "United States",
    },
}


# Each council's outcomes framework: (outcome, description, ((indicator, how it is measured), ...)).
# Southwark's follows the spirit of its "Common Purpose, Common Cause" VCS strategy; Knowsley's its
# community and wellbeing priorities. Illustrative, not either council's published framework.
_SHARED_OUTCOMES = (
    (
        "People are connected to their community",
        "Residents know their neighbours, take part in local groups and feel they belong.",
        (
            ("Residents who feel they belong to their neighbourhood", "percentage of residents surveyed"),
            ("People taking part in community activities", "number of people a quarter"),
        ),
    ),
    (
        "People live healthy and independent lives",
        "Residents stay well, manage long-term conditions and live at home for longer.",
        (
            ("People supported to stay living at home", "number of people a year"),
            ("Residents reporting improved wellbeing", "change in WEMWBS score"),
        ),
    ),
    (
        "Residents have a say in the services they use",
        "Residents shape services through co-design, panels and feedback that is acted on.",
        (
            ("Residents involved in designing services", "number of residents a year"),
            ("Changes made because of residents' feedback", "number of changes a year"),
        ),
    ),
    (
        "People can reach support early, close to home",
        "Help is easy to find and available in the community before problems become crises.",
        (
            ("People helped within two weeks of first contact", "percentage of referrals"),
            ("Referrals from community venues", "number of referrals a quarter"),
        ),
    ),
)
OUTCOMES = {
    "knowsley": (
        *_SHARED_OUTCOMES,
        (
            "Local people have good work and skills",
            "Residents gain skills and find good work with local employers.",
            (("Residents supported into work", "number of people a year"),),
        ),
    ),
    "southwark": (
        *_SHARED_OUTCOMES,
        (
            "A thriving voluntary and community sector",
            "Local groups are resilient, well-run and able to bid for council work.",
            (("Local groups supported to build capacity", "number of organisations a year"),),
        ),
    ),
}

# (title, need, annual £, whole-life £, outcome titles, {option: notes}, decision, reason)
COMMISSIONS = {
    "knowsley": (
        (
            "Community navigation service",
            "Help residents reach support located in their community: advice, health, money and social "
            "groups, through trusted people in places they already go.",
            60_000,
            180_000,
            ("People are connected to their community", "People can reach support early, close to home"),
            {
                DeliveryOption.IN_HOUSE: "The council's customer service team could add navigators, but residents "
                "told us they trust community organisations more, and we would need to recruit and train new staff.",
                DeliveryOption.GRANT: "A grant would suit a pilot, but we need a service to a specification, with "
                "outcomes we can hold a provider to for three years.",
                DeliveryOption.CONTRACT: "A three-year contract lets local VCSE organisations bid, with outcomes, "
                "social value and a citizen panel in the evaluation.",
                DeliveryOption.SOCIAL_INVESTMENT: "Too small for a social impact bond; the outcomes are hard to "
                "price for investors.",
                DeliveryOption.PARTNERSHIP: "The NHS place partnership may co-fund in year two; revisit then.",
            },
            DeliveryOption.CONTRACT,
            "Not in-house: residents trust community organisations more than the council for this kind of help, "
            "and local VCSE providers already run the venues. A contract keeps the outcomes enforceable.",
        ),
        (
            "Warm spaces network",
            "Places where residents can keep warm, meet people and get advice through the winter.",
            25_000,
            50_000,
            ("People are connected to their community",),
            {DeliveryOption.IN_HOUSE: "Libraries could host some spaces; not in every ward."},
            None,
            "",
        ),
    ),
    "southwark": (
        (
            "Peer support for carers",
            "Unpaid carers in the borough want peer support groups near where they live.",
            40_000,
            120_000,
            ("People live healthy and independent lives", "People are connected to their community"),
            {},
            None,
            "",
        ),
    ),
}


def _seed_outcomes(council: Council, outcomes: tuple) -> None:
    admin = User.objects.get(email=f"admin@{council.slug}.example.org")
    for title, description, indicators in outcomes:
        outcome = Outcome.objects.filter(council=council, title=title).first()
        if outcome is None:
            outcome = services.outcome_create(council=council, actor=admin, title=title, description=description)
        existing = set(outcome.indicators.values_list("name", flat=True))
        for name, measure in indicators:
            if name not in existing:
                services.indicator_create(outcome=outcome, actor=admin, name=name, measure=measure)


def _seed_commissions(council: Council, commissions: tuple) -> None:
    commissioner = User.objects.get(email=f"commissioner@{council.slug}.example.org")
    for title, need, annual, whole_life, outcome_titles, notes, decision, reason in commissions:
        if Commission.objects.filter(council=council, title=title).exists():
            continue
        commission = services.commission_create(
            council=council,
            actor=commissioner,
            title=title,
            need=need,
            estimated_annual_value=annual,
            whole_life_value=whole_life,
            outcomes=Outcome.objects.filter(council=council, title__in=outcome_titles),
        )
        for option in commission.options.all():
            if option.kind in notes:
                services.appraisal_option_update(option=option, actor=commissioner, notes=notes[option.kind])
        if decision:
            services.commission_decide(commission=commission, actor=commissioner, decision=decision, reason=reason)


def _person(email: str, name: str, *, is_staff: bool = False) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"name": name, "is_staff": is_staff, "is_superuser": is_staff}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


@transaction.atomic
def seed() -> dict[str, int]:
    councils: dict[str, Council] = {}
    for spec in COUNCILS:
        council, _ = Council.objects.get_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "display_name": spec.display_name,
                "colour": spec.colour,
                "local_area": list(spec.local_area),
            },
        )
        councils[spec.slug] = council

    for email, name, slug, role in COUNCIL_PEOPLE:
        user = _person(email, name)
        with council_scope(councils[slug]):
            services.membership_add(council=councils[slug], user=user, role=role, actor=None)

    for slug, council in councils.items():
        with council_scope(council):
            if not Invitation.objects.filter(council=council).exists():
                admin = User.objects.get(email=f"admin@{slug}.example.org")
                services.invitation_create(
                    council=council,
                    invited_by=admin,
                    role=Role.CITIZEN,
                    email=f"new.resident@{slug}.example.org",
                    base_url=site_base_url(),
                )

    for name, form, ch, charity, address, town, postcode, size, owner_email, owner_name in ORGANISATIONS:
        owner = _person(owner_email, owner_name)
        if not Organisation.objects.filter(name=name).exists():
            services.organisation_register(
                owner=owner,
                name=name,
                legal_form=form,
                companies_house_number=ch,
                charity_number=charity,
                address_line_1=address,
                town=town,
                postcode=postcode,
                size_band=size,
                **DEMO_OWNERSHIP.get(name, {}),
            )

    # A provider who is also a resident: one account, several hats.
    innovate = Organisation.objects.get(name="Innovate Volunteering CIC")
    volunteer = _person("resident.huyton@example.org", "Hana Resident (Huyton)")
    OrganisationMember.objects.get_or_create(
        organisation=innovate, user=volunteer, defaults={"role": OrganisationRole.MEMBER}
    )

    for slug, council in councils.items():
        with council_scope(council):
            _seed_outcomes(council, OUTCOMES[slug])
            _seed_commissions(council, COMMISSIONS.get(slug, ()))

    _person("platform.staff@example.org", "Pat Platform", is_staff=True)
    # Then each app's demo data, in the seeders' explicit order (commissioning.extensions).
    for seeder in demo_seeders():
        seeder.seed(councils)
    return {"councils": len(councils), "people": User.objects.count(), "organisations": Organisation.objects.count()}


def logins() -> list[tuple[str, str]]:
    """(email, what they are) for every demo account, for the README and `make run`."""
    rows: dict[str, list[str]] = {}
    for email, _name, slug, role in COUNCIL_PEOPLE:
        rows.setdefault(email, []).append(f"{Role(role).label}, {slug}")
    for org in ORGANISATIONS:
        rows.setdefault(org[8], []).append(f"provider: owner of {org[0]}")
    rows["resident.huyton@example.org"].append("member of Innovate Volunteering CIC")
    rows["platform.staff@example.org"] = ["platform staff (Django admin at /platform-admin/)"]
    return [(email, "; ".join(what)) for email, what in rows.items()]
