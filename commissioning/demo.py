"""Demo data: two councils, people in every role, providers local and not, residents.

Used by ``manage.py seed_demo`` (idempotent, run by ``make run``) and ``print_demo_logins``.
Every demo account has the same password, printed by ``make run`` and listed in the README.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from commissioning import services
from commissioning.models import (
    Council,
    Invitation,
    LegalForm,
    Organisation,
    OrganisationMember,
    OrganisationRole,
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
                    base_url="http://127.0.0.1:8000/",
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
            )

    # A provider who is also a resident: one account, several hats.
    innovate = Organisation.objects.get(name="Innovate Volunteering CIC")
    volunteer = _person("resident.huyton@example.org", "Hana Resident (Huyton)")
    OrganisationMember.objects.get_or_create(
        organisation=innovate, user=volunteer, defaults={"role": OrganisationRole.MEMBER}
    )

    _person("platform.staff@example.org", "Pat Platform", is_staff=True)
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
