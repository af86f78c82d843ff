"""Seeding the scale: councils, organisations, tenders and sealed bids, in one PostgreSQL database.

Through the real services where it matters: each council's commission, its decision, and one
tender per council drafted, approved and published by ``tenders.services`` (audit trail and all);
a sample of bids started, saved and submitted through ``bid_start``/``bid_draft_save``/
``bid_submit`` (real sealing, receipts and audit). The rest are bulk rows copied from those real
ones (each tender's lot, criteria, specification, approval and revision from its council's
published tender; each bid's ciphertext sealed with its own tender's key by ``tenders.sealing``),
which is what the real code reads back. Bids of tenders now closed were submitted while their
deadline was ahead (the database's commit-time check runs on every one), then the deadline moved
into the past, as time would have moved it.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import psycopg
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

# Production code, through its stable names only.
from commissioning import services as core_services
from commissioning.database import database_owner
from commissioning.models import (
    Council,
    LegalForm,
    Membership,
    Organisation,
    OrganisationMember,
    OrganisationRole,
    Role,
    SizeBand,
    User,
)
from commissioning.tenancy import council_scope, platform_scope
from social_value.models import Agreement
from tenders import eligibility, sealing, services
from tenders.demo.common import midday
from tenders.models import (
    Bid,
    BidPrice,
    BidStatus,
    BidSubmission,
    ClarificationQuestion,
    ConflictDeclaration,
    Criterion,
    Evaluation,
    Lot,
    ModeratedScore,
    SpecificationSection,
    SpecificationVersion,
    SpendPolicyBand,
    Tender,
    TenderApproval,
    TenderRevision,
    TenderTeamMember,
)
from tenders.selectors.evaluation import evaluated_bids, scored_criteria

PASSWORD = "bench-only-password"  # noqa: S105 (made-up people in a bench database)
BANDS = (
    eligibility.Band(lower=Decimal(0), upper=Decimal(5000), reserved_for_local=True, label="Low value"),
    eligibility.Band(
        lower=Decimal(5000),
        upper=Decimal(181000),
        reserved_for_local=True,
        welcome=frozenset({eligibility.VCSE, eligibility.SME}),
        label="Intermediate value",
    ),
    eligibility.Band(lower=Decimal(181000), label="Higher value"),
)
OPEN_BAND = BANDS[-1].lower  # from here on, open to every organisation
STAFF_ROLES = (Role.ADMIN, Role.COMMISSIONER, Role.OFFICER, Role.EVALUATOR)
BULK = 2000


@dataclass(frozen=True)
class Scale:
    """How much to seed: 1.0 is the issue's scale (50 councils, 10,000 tenders, 100,000 bids, 2,000 organisations)."""

    factor: float = 1.0
    rush: int = 1000  # prepared bids per deadline rush: needs that many organisations

    @property
    def councils(self) -> int:
        return max(2, round(50 * self.factor))

    @property
    def tenders(self) -> int:
        return max(self.councils * 10, round(10_000 * self.factor))

    @property
    def bids(self) -> int:
        return max(200, round(100_000 * self.factor))

    @property
    def agreements(self) -> int:
        """The first council's ledger agreements, for the market dashboard (issue 11: 2,000 contracts)."""
        return max(200, round(2000 * self.factor))

    @property
    def organisations(self) -> int:
        # At least the rush's bidders and the 100 bids of the bids page, at every scale.
        return max(round(2000 * self.factor), self.rush, 120)


# --- The database and its two roles ---------------------------------------------------------------


def admin_connection() -> psycopg.Connection:
    return psycopg.connect(f"postgresql://postgres@{settings.BENCH_PG_SERVER}/postgres", autocommit=True)


def create_database(name: str) -> None:
    """Drop and create ``name`` (bench_* only), owned by the owner role; make both roles if needed."""
    if not name.startswith("bench_"):
        raise ValueError("bench databases only")
    roles = {
        settings.BENCH_OWNER_ROLE: "LOGIN NOSUPERUSER NOBYPASSRLS",
        settings.BENCH_APP_ROLE: "LOGIN NOSUPERUSER NOBYPASSRLS",
    }
    with admin_connection() as admin:
        for role, options in roles.items():
            if not admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone():
                admin.execute(f"CREATE ROLE {role} {options}")
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}" OWNER {settings.BENCH_OWNER_ROLE}')


def database_exists(name: str) -> bool:
    with admin_connection() as admin:
        return bool(admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def migrate() -> None:
    """``manage.py migrate``: as the owner, then the application's role is granted DML only."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    connection.close()


# --- Helpers ----------------------------------------------------------------------------------------


def clone(obj: Any, **overrides: Any) -> Any:
    """A new row with ``obj``'s values (every concrete field but the key), changed by ``overrides``."""
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}
    values.update(overrides)
    return type(obj)(**values)


def _hashed_password() -> str:
    # One hash for everyone: production's PBKDF2 costs about 0.3 s a person.
    return make_password(PASSWORD)


# --- People and organisations -----------------------------------------------------------------------


def seed_councils(scale: Scale) -> list[Council]:
    councils = [
        Council(
            name=f"Bench Borough Council {n}",
            slug=f"bench-{n}",
            display_name=f"Bench Borough Council {n}",
            local_area=[f"L{n}"],
        )
        for n in range(1, scale.councils + 1)
    ]
    Council.objects.bulk_create(councils)
    return councils


def seed_people(councils: list[Council]) -> dict[int, dict[str, User]]:
    """Four staff per council (admin, commissioner, officer, evaluator), each with an authenticator app."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    password = _hashed_password()
    users = [
        User(email=f"{role}@{c.slug}.bench.example.org", name=f"{role.title()} of {c.name}", password=password)
        for c in councils
        for role in STAFF_ROLES
    ]
    User.objects.bulk_create(users)
    EmailAddress.objects.bulk_create(EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users)
    staff: dict[int, dict[str, User]] = {}
    it = iter(users)
    for council in councils:
        staff[council.pk] = {role: next(it) for role in STAFF_ROLES}
        with council_scope(council):
            Membership.objects.bulk_create(
                Membership(council=council, user=user, role=role) for role, user in staff[council.pk].items()
            )
    for people in staff.values():
        for user in people.values():
            TOTP.activate(user, generate_totp_secret())
    return staff


def seed_organisations(scale: Scale, councils: list[Council]) -> list[tuple[Organisation, User]]:
    """Organisations, each with one owner; each is local to one council (its postcode district)."""
    from allauth.account.models import EmailAddress

    password = _hashed_password()
    owners = [
        User(email=f"owner{n}@org{n}.bench.example.org", name=f"Owner {n}", password=password)
        for n in range(scale.organisations)
    ]
    User.objects.bulk_create(owners, batch_size=BULK)
    EmailAddress.objects.bulk_create(
        (EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in owners), batch_size=BULK
    )
    organisations = [
        Organisation(
            name=f"Bench Community Organisation {n}",
            legal_form=LegalForm.CHARITY,
            charity_number=str(1_100_000 + n),
            address_line_1=f"{n % 200 + 1} High Street",
            town="Benchton",
            postcode=f"L{n % len(councils) + 1} 1AA",
            size_band=SizeBand.SMALL,
        )
        for n in range(scale.organisations)
    ]
    Organisation.objects.bulk_create(organisations, batch_size=BULK)
    OrganisationMember.objects.bulk_create(
        (
            OrganisationMember(organisation=o, user=u, role=OrganisationRole.OWNER)
            for o, u in zip(organisations, owners, strict=True)
        ),
        batch_size=BULK,
    )
    return list(zip(organisations, owners, strict=True))


# --- Each council's published tender, through the services -----------------------------------------


def seed_council_policy(council: Council, people: dict[str, User]) -> Any:
    """The council's spend policy (bands in force for two years, as bulk rows: the service only
    sets bands from today) and its commission, opened and decided through the services."""
    SpendPolicyBand.objects.bulk_create(
        SpendPolicyBand(
            council=council,
            effective_from=timezone.localdate() - timedelta(days=730),
            position=n,
            **SpendPolicyBand.fields_from(band),
        )
        for n, band in enumerate(BANDS, start=1)
    )
    commission = core_services.commission_create(
        council=council,
        actor=people[Role.COMMISSIONER],
        title="Community support services",
        need="Residents need local support that helps them stay well and connected in their neighbourhood.",
        estimated_annual_value=Decimal(100_000),
        whole_life_value=Decimal(300_000),
    )
    return core_services.commission_decide(
        commission=commission,
        actor=people[Role.COMMISSIONER],
        decision="contract",
        reason="No in-house team can deliver this: the market has local providers with the skills, so we tender.",
    )


def publish_template_tender(commission: Any, people: dict[str, User]) -> Tender:
    """One tender drafted, approved and published through the real services: the pattern of the bulk rows."""
    commissioner, officer = people[Role.COMMISSIONER], people[Role.OFFICER]
    tender = services.tender_create(
        commission=commission,
        actor=commissioner,
        title="Community navigators",
        description="Navigators who help residents find local support, in every ward. A two-year contract.",
        estimated_value=Decimal(150_000),
    )
    services.tender_update(
        tender=tender,
        actor=commissioner,
        clarification_deadline=midday(14),
        submission_deadline=midday(21),
        planned_award_date=timezone.localdate() + timedelta(days=42),
    )
    services.lot_add(tender=tender, actor=commissioner, title="Whole borough", estimated_value=Decimal(150_000))
    services.criteria_replace(
        tender=tender,
        actor=commissioner,
        criteria=[
            services.CriterionSpec(title="How will you reach residents?", kind="quality", weight=Decimal(40)),
            services.CriterionSpec(title="Staff and volunteers", kind="quality", weight=Decimal(20)),
            services.CriterionSpec(title="Price", kind="price", weight=Decimal(30), scale="0-100"),
            services.CriterionSpec(title="Local jobs and volunteering", kind="social_value", weight=Decimal(10)),
        ],
        rationale="Quality matters most to residents; social value at the council's minimum.",
    )
    for title, body in (
        ("Background", "<p>Many residents do not know what support is near them.</p>"),
        ("The service", "<p>Navigators in every ward, by phone and in person.</p>"),
    ):
        services.section_add(tender=tender, actor=commissioner, title=title, body=body)
    services.specification_save_version(tender=tender, actor=commissioner, note="As approved for publication")
    services.team_member_add(tender=tender, actor=commissioner, user=officer, role="officer")
    for person in (commissioner, officer):
        services.conflict_declare(tender=tender, actor=person, has_conflict=False)
    services.tender_approval_decide(tender=tender, actor=officer, decision="approved", comment="Checked.")
    services.tender_publish(tender=tender, actor=officer)
    return Tender.objects.get(pk=tender.pk)


# --- Bulk tenders copied from the template ---------------------------------------------------------


@dataclass
class Plan:
    """What one bulk tender is: ``closes`` its submission deadline, None for a draft."""

    title: str
    value: Decimal
    published_at: datetime | None
    clarification: datetime | None
    closes: datetime
    bids: int = 0


def plan_tenders(count: int, rng: random.Random, now: datetime) -> list[Plan]:
    """3% drafts, 60% open (a third of them still open for questions), 37% closed in the last 120 days."""
    plans = []
    for n in range(count):
        kind = rng.random()
        value = Decimal(rng.choice((4_000, 25_000, 60_000, 150_000, 250_000, 900_000)))
        if kind < 0.03:
            closes = now + timedelta(days=rng.randint(30, 90))
            plans.append(Plan(f"Draft service {n}", value, None, None, closes))
        elif kind < 0.63:
            closes = now + timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 23))
            clarification = closes - timedelta(days=rng.choice((1, 7, 30)))
            published = min(now - timedelta(hours=1), clarification - timedelta(days=7))
            plans.append(Plan(f"Open service {n}", value, published, clarification, closes))
        else:
            closes = now - timedelta(days=rng.randint(1, 120), hours=rng.randint(0, 23))
            plans.append(
                Plan(f"Closed service {n}", value, closes - timedelta(days=30), closes - timedelta(days=7), closes)
            )
    return plans


def bulk_tenders(council: Council, template: Tender, plans: list[Plan], now: datetime) -> list[Tender]:
    """Rows for each plan, copied from the template (published ones with their revision 1).

    Closed tenders are stored with a deadline ahead (``now`` + 1 day) until their bids are in.
    """
    lot = Lot.objects.get(tender=template)
    criteria = list(Criterion.objects.filter(tender=template).order_by("position", "pk"))
    sections = list(SpecificationSection.objects.filter(tender=template).order_by("position"))
    version = SpecificationVersion.objects.get(tender=template)
    approval = TenderApproval.objects.get(tender=template)
    revision = TenderRevision.objects.get(tender=template)
    team = list(TenderTeamMember.objects.filter(tender=template))
    declarations = list(ConflictDeclaration.objects.filter(tender=template))
    ahead = now + timedelta(days=1)
    tenders = [
        clone(
            template,
            title=p.title,
            estimated_value=p.value,
            published_at=p.published_at,
            clarification_deadline=p.clarification if p.published_at else None,
            submission_deadline=max(p.closes, ahead) if p.published_at else p.closes,
            planned_award_date=(p.closes + timedelta(days=30)).date(),
        )
        for p in plans
    ]
    Tender.objects.bulk_create(tenders, batch_size=BULK)
    Lot.objects.bulk_create([clone(lot, tender_id=t.pk, estimated_value=t.estimated_value) for t in tenders])
    Criterion.objects.bulk_create([clone(c, tender_id=t.pk) for t in tenders for c in criteria], batch_size=BULK)
    SpecificationSection.objects.bulk_create([clone(s, tender_id=t.pk) for t in tenders for s in sections])
    versions = [clone(version, tender_id=t.pk) for t in tenders]
    SpecificationVersion.objects.bulk_create(versions)
    published = [(t, v, p) for t, v, p in zip(tenders, versions, plans, strict=True) if p.published_at]
    approvals = [clone(approval, tender_id=t.pk, specification_version_id=v.pk) for t, v, _ in published]
    TenderApproval.objects.bulk_create(approvals)
    TenderRevision.objects.bulk_create(
        [
            clone(
                revision,
                tender_id=t.pk,
                specification_version_id=v.pk,
                approval_id=a.pk,
                published_at=p.published_at,
                timetable={**revision.timetable, **_timetable(p)},
                lots=[{**revision.lots[0], "estimated_value": str(t.estimated_value)}] if revision.lots else [],
            )
            for (t, v, p), a in zip(published, approvals, strict=True)
        ]
    )
    TenderTeamMember.objects.bulk_create([clone(m, tender_id=t.pk) for t in tenders for m in team], batch_size=BULK)
    ConflictDeclaration.objects.bulk_create(
        [clone(d, tender_id=t.pk) for t in tenders for d in declarations], batch_size=BULK
    )
    return tenders


def _timetable(plan: Plan) -> dict[str, Any]:
    return {
        "clarification_deadline": plan.clarification.isoformat() if plan.clarification else None,
        "submission_deadline": plan.closes.isoformat(),
    }


def clarifications(council: Council, tenders: list[Tender], plans: list[Plan], people: dict[str, User], org: Any):
    """One published question and answer on every published tender."""
    rows = [
        ClarificationQuestion(
            council=council,
            tender=t,
            organisation=org[0],
            asked_by=org[1],
            question="Can we bid with a partner organisation?",
            published_question="Can bidders bid with a partner?",
            answer="Yes, as a consortium with one lead organisation.",
            answered_by=people[Role.COMMISSIONER],
            published_at=p.published_at,
        )
        for t, p in zip(tenders, plans, strict=True)
        if p.published_at
    ]
    ClarificationQuestion.objects.bulk_create(rows, batch_size=BULK)


def bid_content(tender: Tender, criteria: list[Criterion], lot_ids: list[int]) -> dict[str, Any]:
    """A complete draft as the provider pages save it (``selectors.bid_draft``'s shape)."""
    return {
        "answers": {
            str(c.pk): "We are a local charity with navigators in every ward, and volunteers who live here. " * 6
            for c in criteria
            if c.kind in ("quality", "social_value")
        },
        "prices": {str(pk): "140000.00" for pk in lot_ids},
        "commitments": [{"measure": "Local jobs", "quantity": "3", "unit": "jobs", "by": "2028-03-31"}],
        "declarations": {
            "exclusion_grounds": False,
            "exclusion_ground_keys": [],
            "exclusion_details": "",
            "self_cleaning": "",
            "conflicts": False,
            "conflicts_details": "",
        },
    }


def bulk_bids(
    council: Council,
    tenders: list[Tender],
    plans: list[Plan],
    organisations: list[tuple[Organisation, User]],
    local: list[tuple[Organisation, User]],
) -> int:
    """Each tender's bids: drafts and submissions sealed with the tender's own key (one seal per
    tender, copied to its bids: the same ciphertext shape and cost to open as a real bid)."""
    with_bids = [(t, p) for t, p in zip(tenders, plans, strict=True) if p.bids]
    if not with_bids:
        return 0
    ids = [t.pk for t, _ in with_bids]
    criteria: dict[int, list[Criterion]] = {}
    for c in Criterion.objects.filter(tender_id__in=ids).order_by("position", "pk"):
        criteria.setdefault(c.tender_id, []).append(c)
    lots: dict[int, list[int]] = {}
    for tender_id, pk in Lot.objects.filter(tender_id__in=ids).values_list("tender_id", "pk"):
        lots.setdefault(tender_id, []).append(pk)
    bids: list[Bid] = []
    contents: list[tuple[Tender, Plan, str, str]] = []
    start = hash(council.slug) % len(organisations)
    for n, (tender, plan) in enumerate(with_bids):
        draft = bid_content(tender, criteria[tender.pk], lots[tender.pk])
        submitted = {**draft, "attachments": []}
        token = sealing.seal_json(tender, submitted)
        contents.append((tender, plan, token, sealing.sha256_hex(sealing.canonical_json(submitted))))
        draft_token = sealing.seal_json(tender, draft)
        # Below the open band only the council's local organisations may bid (its spend policy).
        pool = organisations if tender.estimated_value >= OPEN_BAND else local
        plan.bids = min(plan.bids, len(pool))
        for j in range(plan.bids):
            organisation, owner = pool[(start + n * 13 + j) % len(pool)]
            bids.append(
                Bid(
                    council=council,
                    tender=tender,
                    organisation=organisation,
                    status=BidStatus.SUBMITTED,
                    draft=draft_token,
                    created_by=owner,
                )
            )
    Bid.objects.bulk_create(bids, batch_size=BULK)
    owners = {o.pk: u for o, u in organisations}
    submissions = []
    it = iter(bids)
    prefix = council.slug[:3].upper()
    for tender, plan, token, digest in contents:
        for _ in range(plan.bids):
            bid = next(it)
            submitted_at = min(plan.closes, timezone.now()) - timedelta(hours=2 + bid.pk % 48)
            submissions.append(
                BidSubmission(
                    council=council,
                    bid=bid,
                    number=1,
                    reference=f"{prefix}-T{tender.pk}-B{bid.pk}-1",
                    content=token,
                    sha256=digest,
                    revision_number=1,
                    idempotency_key=uuid.uuid4(),
                    submitted_by=owners[bid.organisation_id],
                    submitted_at=submitted_at,
                )
            )
    BidSubmission.objects.bulk_create(submissions, batch_size=BULK)
    return len(bids)


def close_deadlines(tenders: list[Tender], plans: list[Plan]) -> None:
    """Move each closed tender's deadline to its real, past value (after its bids committed)."""
    closed = []
    for t, p in zip(tenders, plans, strict=True):
        if p.published_at and t.submission_deadline != p.closes:
            t.submission_deadline = p.closes
            closed.append(t)
    Tender.objects.bulk_update(closed, ["submission_deadline"], batch_size=BULK)


def real_bids(tender: Tender, organisations: list[tuple[Organisation, User]], count: int) -> int:
    """A sample of bids through the provider's services: start, save the whole draft, submit."""
    criteria = list(Criterion.objects.filter(tender=tender).order_by("position", "pk"))
    lots = list(Lot.objects.filter(tender=tender).values_list("pk", flat=True))
    made = 0
    for organisation, owner in organisations[:count]:
        bid = services.bid_start(tender=tender, organisation=organisation, actor=owner)
        services.bid_draft_save(
            bid=bid, actor=owner, changes=bid_content(tender, criteria, lots), expected_revision=bid.draft_revision
        )
        services.bid_submit(bid=Bid.objects.get(pk=bid.pk), actor=owner, idempotency_key=uuid.uuid4())
        made += 1
    return made


# --- The social value ledger -----------------------------------------------------------------------


# Provider types as the ledger keeps them at award: (share of agreements, the facts).
PROVIDER_TYPES = (
    (
        4,
        {"provider_local": True, "provider_vcse": True, "provider_asset_locked": True, "provider_ownership": "charity"},
    ),
    (3, {"provider_local": True, "provider_ownership": "private_company"}),
    (2, {"provider_sme": False, "provider_ownership": "private_company"}),
    (1, {"provider_sme": False, "provider_private_equity": True, "provider_ownership": "private_equity"}),
)


def bulk_agreements(
    council: Council, organisations: list[tuple[Organisation, User]], count: int, rng: random.Random, now: datetime
) -> int:
    """``count`` contracts in the council's social value ledger, as bulk rows: awarded over the last
    five years to the organisations, each with a provider type and the band of its value (the
    market dashboard's figures). Their ``source_id`` is made up: no tender's contract is behind them.
    Each runs ten years from its award and reports every quarter (:func:`bulk_returns`)."""
    types = [facts for weight, facts in PROVIDER_TYPES for _ in range(weight)]
    rows = []
    for n in range(count):
        value = Decimal(rng.choice((3_000, 12_000, 45_000, 90_000, 150_000, 250_000, 600_000)))
        band = next(b for b in reversed(BANDS) if b.lower <= value)
        # Awarded over the last twelve and a half years, so the ledger holds on average 25 quarters
        # of returns per contract (issue 11: 2,000 contracts, 50,000 returns); the dashboard's
        # default five years see the newer ones.
        awarded = timezone.localdate(now) - timedelta(days=rng.randint(0, round(12.5 * 365)))
        rows.append(
            Agreement(
                council=council,
                kind="contract",
                source_id=1_000_000 + n,
                provider=organisations[rng.randrange(len(organisations))][0],
                title=f"Bench contract {n + 1}",
                value=value,
                awarded_on=awarded,
                starts_on=awarded,
                ends_on=awarded + timedelta(days=3652),
                band_label=band.name,
                band_lower=band.lower,
                band_reserved_for_local=band.reserved_for_local,
                **types[n % len(types)],
            )
        )
    Agreement.objects.bulk_create(rows, batch_size=BULK)
    return len(rows)


# Two KPIs on every bench contract: a framework measure (when the council has published one) and
# another measure the provider named.
RETURN_NARRATIVE = "Sessions ran at the library and the community centre; volunteers helped residents reach advice."


def bulk_returns(council: Council, organisations: list[tuple[Organisation, User]], now: datetime) -> tuple[int, int]:
    """Every ended quarter of the council's ledger agreements, reported and verified, as bulk rows:
    two KPIs per agreement, one return per ended quarter (nine in ten accepted, the rest submitted)
    with a figure per KPI. Returns (returns, figures). The periods are the ones the real code works
    out (``social_value.periods``), and only ended ones are written, as the services allow."""
    from social_value.framework import framework_seed_social_value_model
    from social_value.models import DeliveryReturn, MeasureVersion, ReturnFigure, ReturnStatus, SocialValueKPI
    from social_value.returns import agreement_periods

    framework_seed_social_value_model(council=council, actor=None)
    version = MeasureVersion.objects.filter(council=council).order_by("pk").first()
    member = organisations[0][1]
    agreements = list(Agreement.objects.filter(council=council).order_by("pk"))
    kpis = []
    for agreement in agreements:
        kpis.append(
            SocialValueKPI(
                council=council,
                agreement=agreement,
                measure_version=version,
                position=1,
                measure=version.name if version else "Local people employed",
                unit=version.unit if version else "people",
                target=Decimal(40),
            )
        )
        kpis.append(
            SocialValueKPI(
                council=council,
                agreement=agreement,
                position=2,
                measure="Volunteering hours",
                unit="hours",
                target=Decimal(2000),
            )
        )
    SocialValueKPI.objects.bulk_create(kpis, batch_size=BULK)
    by_agreement: dict[int, list[SocialValueKPI]] = {}
    for kpi in SocialValueKPI.objects.filter(council=council).order_by("agreement_id", "position"):
        by_agreement.setdefault(kpi.agreement_id, []).append(kpi)
    today = timezone.localdate(now)
    returns = []
    for agreement in agreements:
        for period in agreement_periods(agreement):
            if period.ends_on >= today:
                break
            submitted = datetime.combine(period.ends_on + timedelta(days=10), datetime.min.time(), tzinfo=now.tzinfo)
            accepted = period.number % 10 != 0
            returns.append(
                DeliveryReturn(
                    council=council,
                    agreement=agreement,
                    period=period.number,
                    period_starts_on=period.starts_on,
                    period_ends_on=period.ends_on,
                    due_on=period.due_on,
                    status=ReturnStatus.ACCEPTED if accepted else ReturnStatus.SUBMITTED,
                    narrative=RETURN_NARRATIVE,
                    revision=1,
                    submitted_at=submitted,
                    submitted_by=member,
                    decided_at=submitted + timedelta(days=5) if accepted else None,
                    created_by=member,
                )
            )
    DeliveryReturn.objects.bulk_create(returns, batch_size=BULK)
    figures = [
        ReturnFigure(
            council=council,
            delivery_return_id=r.pk,
            kpi=kpi,
            quantity=Decimal(3 + (r.period % 7) * (kpi.position * 40)),
        )
        for r in DeliveryReturn.objects.filter(council=council).only("id", "agreement_id", "period")
        for kpi in by_agreement.get(r.agreement_id, [])
    ]
    ReturnFigure.objects.bulk_create(figures, batch_size=BULK)
    return len(returns), len(figures)


# --- Everything ------------------------------------------------------------------------------------


def evaluated(tender: Tender, people: dict[str, User], rng: random.Random) -> int:
    """The 100-bid tender evaluated as the results page reads it: moderation agreed and locked and
    prices opened, with a moderated score of every bid on every scored criterion (in halves on 0 to
    5, mostly above any pass mark) and a price per bid within 20% of the estimate (no price
    abnormally low, so the page ranks every bid and sweeps the social value weight)."""
    commissioner = people[Role.COMMISSIONER]
    now = timezone.now()
    Evaluation.objects.create(
        council_id=tender.council_id,
        tender=tender,
        started_by=commissioner,
        started_at=now - timedelta(hours=20),
        moderation_opened_by=commissioner,
        moderation_opened_at=now - timedelta(hours=6),
        moderation_locked_by=commissioner,
        moderation_locked_at=now - timedelta(hours=3),
        prices_opened_by=commissioner,
        prices_opened_at=now - timedelta(hours=2),
    )
    bids = list(evaluated_bids(tender=tender).values_list("pk", flat=True))
    criteria = scored_criteria(tender=tender)
    lot = Lot.objects.get(tender=tender)
    ModeratedScore.objects.bulk_create(
        [
            ModeratedScore(
                council_id=tender.council_id,
                tender=tender,
                bid_id=bid,
                criterion=criterion,
                score=Decimal(rng.choice((4, 5, 6, 7, 8, 9, 10))) / 2,
                rationale="Agreed in moderation: the answer meets the criterion as described.",
                agreed_by=commissioner,
                agreed_at=now - timedelta(hours=4),
            )
            for bid in bids
            for criterion in criteria
        ],
        batch_size=BULK,
    )
    estimate = lot.estimated_value or tender.estimated_value
    BidPrice.objects.bulk_create(
        [
            BidPrice(
                council_id=tender.council_id,
                tender=tender,
                bid_id=bid,
                lot=lot,
                amount=(estimate * Decimal(rng.randint(80, 120)) / 100).quantize(Decimal("0.01")),
            )
            for bid in bids
        ],
        batch_size=BULK,
    )
    return len(bids)


def seed(scale: Scale, *, log: Any = print) -> dict[str, Any]:
    """Seed the whole scale; returns the manifest (what the bench measures, and counts)."""
    rng = random.Random(9)  # noqa: S311 (made-up data, reproducible)
    now = timezone.now()
    started = time.monotonic()
    with platform_scope():
        councils = seed_councils(scale)
        staff = seed_people(councils)
        organisations = seed_organisations(scale, councils)
    log(f"  people and organisations: {time.monotonic() - started:.0f} s")

    per_council = [scale.tenders // scale.councils] * scale.councils
    per_council[0] += scale.tenders - sum(per_council)
    templates: dict[int, Tender] = {}
    for council in councils:
        with transaction.atomic(), council_scope(council):
            commission = seed_council_policy(council, staff[council.pk])
            templates[council.pk] = publish_template_tender(commission, staff[council.pk])
    log(f"  {len(councils)} tenders published through the services: {time.monotonic() - started:.0f} s")

    # The first council's template takes a sample of real bids (at least the 100-bid tender's
    # worth are bulk rows elsewhere; these are the ones sealed by the services end to end).
    local = {c.pk: organisations[n :: len(councils)] for n, c in enumerate(councils)}
    with council_scope(councils[0]):
        real = real_bids(templates[councils[0].pk], local[councils[0].pk], 30)
    log(f"  {real} bids submitted through the services: {time.monotonic() - started:.0f} s")

    all_plans = [plan_tenders(n - 1, rng, now) for n in per_council]  # the template is the n-th
    # The bids page's tender: the first council's, closed a day ago, with 100 bids.
    first = all_plans[0]
    first[0] = Plan(
        "Closed service with 100 bids",
        Decimal(250_000),
        now - timedelta(days=31),
        now - timedelta(days=8),
        now - timedelta(days=1),
    )
    first[0].bids = 100
    published = [p for plans in all_plans for p in plans[1 if plans is first else 0 :] if p.published_at]
    remaining = max(0, scale.bids - 100 - real)
    for n, plan in enumerate(published):
        plan.bids = remaining // len(published) + (1 if n < remaining % len(published) else 0)
    total_bids, notice, bids_tender = real, None, None
    for council, plans in zip(councils, all_plans, strict=True):
        with transaction.atomic(), council_scope(council):
            tenders = bulk_tenders(council, templates[council.pk], plans, now)
            clarifications(council, tenders, plans, staff[council.pk], organisations[0])
            total_bids += bulk_bids(council, tenders, plans, organisations, local[council.pk])
        with transaction.atomic(), council_scope(council):
            close_deadlines(tenders, plans)
        if council == councils[0]:
            bids_tender = tenders[0]
            with transaction.atomic(), council_scope(council):
                evaluated(bids_tender, staff[council.pk], rng)
            notice = next(t for t, p in zip(tenders, plans, strict=True) if p.published_at and p.closes > now)
    log(f"  {scale.tenders:,} tenders, {total_bids:,} bids: {time.monotonic() - started:.0f} s")
    with transaction.atomic(), council_scope(councils[0]):
        agreements = bulk_agreements(councils[0], local[councils[0].pk], scale.agreements, rng, now)
    log(f"  {agreements:,} agreements in the social value ledger: {time.monotonic() - started:.0f} s")
    with transaction.atomic(), council_scope(councils[0]):
        returns, figures = bulk_returns(councils[0], local[councils[0].pk], now)
    log(f"  {returns:,} delivery returns with {figures:,} figures: {time.monotonic() - started:.0f} s")
    # As the tables' owner: ANALYZE by the application's role (which owns nothing) skips every
    # table with a warning, and the planner then guesses on a fresh database.
    with database_owner(grant=False), connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    assert notice is not None and bids_tender is not None
    return {
        "scale": scale.factor,
        "councils": len(councils),
        "tenders": scale.tenders,
        "bids": total_bids,
        "agreements": agreements,
        "returns": returns,
        "organisations": len(organisations),
        "council": councils[0].slug,
        "council_id": councils[0].pk,
        "notice_tender": notice.pk,
        "bids_tender": bids_tender.pk,
        "officer": staff[councils[0].pk][Role.OFFICER].pk,
        "provider": organisations[0][1].pk,
        "rush_organisations": [o.pk for o, _ in organisations[: scale.rush]],
        "template_tender": templates[councils[0].pk].pk,
        "seeded_at": now.isoformat(),
    }


def count_rows() -> dict[str, int]:
    with platform_scope():
        return {
            "councils": Council.objects.count(),
            "tenders": Tender.objects.count(),
            "published": Tender.objects.filter(published_at__isnull=False).count(),
            "bids": Bid.objects.count(),
            "submissions": BidSubmission.objects.count(),
            "organisations": Organisation.objects.count(),
            "agreements": Agreement.objects.count(),
        }


def write_json(path: Any, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, default=str))


__all__ = ["Scale", "count_rows", "create_database", "database_exists", "migrate", "seed"]
