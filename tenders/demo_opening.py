"""Demo data of the tenders app's opening stage. Called by tenders.demo.seed_tender_life; idempotent.

Knowsley has a tender whose submission deadline passed yesterday at noon, published a month ago
under its "Community navigation service" commission, with three sealed bids: Kirkby Community
Garden (a local community group), Innovate Volunteering CIC (Huyton, local) and Merseyside
Digital Ltd (Liverpool L2: not local, so not eligible in this reserved band). None is checked for
compliance yet: sign in as commissioner@knowsley.example.org and open the bids from the tender page.

The rows are made directly (the tender's life up to the deadline is history here), but the bid
content is sealed with the tender's own key through tenders.sealing, as the bid pages do.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone

from commissioning.models import Commission, Council, DeliveryOption, Organisation, User
from commissioning.tenancy import council_scope
from tenders import sealing
from tenders.database import check_bid_deadlines_now
from tenders.models import (
    ApprovalDecision,
    Bid,
    BidAttachment,
    BidStatus,
    BidSubmission,
    ConflictDeclaration,
    Criterion,
    Lot,
    SpecificationSection,
    SpecificationVersion,
    TeamRole,
    Tender,
    TenderApproval,
    TenderRevision,
    TenderTeamMember,
)

TITLE = "Community connectors for Huyton and Prescot"
LONDON = ZoneInfo("Europe/London")
SECTIONS = (
    (
        "The service",
        "<p>Community connectors meet residents where they already are (libraries, GP surgeries, food "
        "banks) and walk with them to local groups and advice.</p>",
    ),
    (
        "Outcomes",
        "<ul><li>Residents know where to go for help and get there.</li>"
        "<li>More residents take part in a local group each month.</li></ul>",
    ),
)
# (organisation, answer to the quality question, answer on social value, price, commitments, attachment)
BIDS = (
    (
        "Kirkby Community Garden",
        "Our volunteers already run weekly sessions in Huyton and Prescot. Connectors will be based at the "
        "garden's hub and at two GP surgeries, and will follow up every referral within five working days.",
        "We will recruit four connectors from Huyton and Prescot and train twelve resident volunteers.",
        "118500.00",
        [
            {"measure": "Local people employed", "quantity": "4", "unit": "people", "by": "2027-09-30"},
            {"measure": "Volunteering hours", "quantity": "2000", "unit": "hours", "by": "2028-03-31"},
        ],
        None,
    ),
    (
        "Innovate Volunteering CIC",
        "We will reach residents who do not ask for help through the places they already visit, with drop-ins "
        "at Huyton library and Prescot market, and a phone line answered by local volunteers.",
        "Every connector will be recruited locally; we will spend at least 60% of our supplies budget with "
        "Knowsley businesses.",
        "112000.00",
        [{"measure": "Spend with local suppliers", "quantity": "25000", "unit": "pounds", "by": "2028-03-31"}],
        ("safeguarding-policy.txt", b"Innovate Volunteering CIC: safeguarding policy, reviewed 2026."),
    ),
    (
        "Merseyside Digital Ltd",
        "An app and a call centre in Liverpool will match residents with services across the borough.",
        "We will offer two apprenticeships.",
        "96000.00",
        [{"measure": "Apprenticeships", "quantity": "2", "unit": "people", "by": "2028-03-31"}],
        None,
    ),
)


def _midday(days: int) -> datetime:
    return datetime.combine(timezone.localdate() + timedelta(days=days), time(12, 0), tzinfo=LONDON)


def seed(councils: Mapping[str, Council]) -> None:
    council = councils.get("knowsley")
    if council is None:
        return
    with council_scope(council):
        if Tender.objects.filter(council=council, title=TITLE).exists():
            return
        commission = Commission.objects.filter(
            council=council, title="Community navigation service", decision=DeliveryOption.CONTRACT
        ).first()
        commissioner = User.objects.filter(email="commissioner@knowsley.example.org").first()
        officer = User.objects.filter(email="officer@knowsley.example.org").first()
        organisations = {o.name: o for o in Organisation.objects.filter(name__in=[b[0] for b in BIDS])}
        if commission is None or commissioner is None or officer is None or len(organisations) < len(BIDS):
            return
        _seed_tender(council, commission, commissioner, officer, organisations)


def _seed_tender(
    council: Council,
    commission: Commission,
    commissioner: User,
    officer: User,
    organisations: dict[str, Organisation],
) -> None:
    published_at = _midday(-31)
    tender = Tender.objects.create(
        council=council,
        commission=commission,
        title=TITLE,
        description="Connectors who help residents of Huyton and Prescot find local support. A two-year contract.",
        estimated_value=Decimal("120000"),
        clarification_deadline=_midday(-10),
        submission_deadline=_midday(-1),
        planned_award_date=timezone.localdate() + timedelta(days=21),
        weighting_rationale=(
            "Quality carries most of the score because residents said trust matters most; social value is above "
            "the council's 10% minimum because the service should build local capacity."
        ),
        created_by=commissioner,
        published_at=published_at,
    )
    lot = Lot.objects.create(
        council=council, tender=tender, title="Huyton and Prescot", estimated_value=Decimal("120000"), position=1
    )
    quality = Criterion.objects.create(
        council=council,
        tender=tender,
        kind="quality",
        title="How will you reach residents who do not ask for help?",
        weight=Decimal(55),
        word_limit=500,
        position=1,
    )
    Criterion.objects.create(council=council, tender=tender, kind="price", title="Price", weight=30, position=2)
    social = Criterion.objects.create(
        council=council,
        tender=tender,
        kind="social_value",
        title="Local jobs, volunteering and spend",
        weight=Decimal(15),
        word_limit=300,
        position=3,
    )
    for position, (title, body) in enumerate(SECTIONS, start=1):
        SpecificationSection.objects.create(council=council, tender=tender, position=position, title=title, body=body)
    version = SpecificationVersion.objects.create(
        council=council,
        tender=tender,
        number=1,
        sections=[{"title": title, "body": body} for title, body in SECTIONS],
        note="As published",
        created_by=commissioner,
    )
    for user, role in ((commissioner, TeamRole.COMMISSIONER), (officer, TeamRole.OFFICER)):
        TenderTeamMember.objects.create(council=council, tender=tender, user=user, role=role)
        ConflictDeclaration.objects.create(council=council, tender=tender, user=user, has_conflict=False)
    approval = TenderApproval.objects.create(
        council=council,
        tender=tender,
        decision=ApprovalDecision.APPROVED,
        specification_version=version,
        content_sha256=sealing.sha256_hex(sealing.canonical_json(version.sections)),
        decided_by=officer,
    )
    TenderRevision.objects.create(
        council=council,
        tender=tender,
        number=1,
        specification_version=version,
        approval=approval,
        evaluation_model=[
            {"title": quality.title, "kind": "quality", "weight": "55", "children": []},
            {"title": "Price", "kind": "price", "weight": "30", "children": []},
            {"title": social.title, "kind": "social_value", "weight": "15", "children": []},
        ],
        timetable={
            "clarification_deadline": tender.clarification_deadline.isoformat(),
            "submission_deadline": tender.submission_deadline.isoformat(),
        },
        lots=[{"title": lot.title, "estimated_value": "120000.00"}],
        published_by=officer,
        published_at=published_at,
    )
    # These bids were submitted before a deadline that has since passed. PostgreSQL checks every
    # submission against the deadline when it is saved for good (tenders.database), so they are
    # made while the deadline is still ahead, checked, and then the deadline is put back.
    deadline = tender.submission_deadline
    Tender.objects.filter(pk=tender.pk).update(submission_deadline=timezone.now() + timedelta(hours=1))
    for days_before, (name, answer, social_answer, price, commitments, attachment) in enumerate(BIDS, start=2):
        organisation = organisations[name]
        owner = organisation.memberships.select_related("user").order_by("pk").first()
        provider = owner.user if owner else commissioner
        content = {
            "answers": {str(quality.pk): answer, str(social.pk): social_answer},
            "prices": {str(lot.pk): price},
            "commitments": commitments,
            "declarations": {"exclusion_grounds": False, "conflicts": False, "conflicts_details": ""},
        }
        bid = Bid.objects.create(
            council=council,
            tender=tender,
            organisation=organisation,
            status=BidStatus.SUBMITTED,
            draft=sealing.seal_json(tender, content),
            created_by=provider,
        )
        if attachment is not None:
            filename, data = attachment
            BidAttachment.objects.create(
                council=council,
                bid=bid,
                question=str(quality.pk),
                details=sealing.seal_attachment_details(
                    tender, filename=filename, content_type="text/plain", size=len(data)
                ),
                sha256=sealing.sha256_hex(data),
                file=ContentFile(sealing.seal(tender, data).encode(), name="attachment.sealed"),
                uploaded_by=provider,
            )
        BidSubmission.objects.create(
            council=council,
            bid=bid,
            number=1,
            reference=f"KNO-{tender.pk}-{bid.pk}-1",
            content=sealing.seal_json(tender, content),
            sha256=sealing.sha256_hex(sealing.canonical_json(content)),
            submitted_by=provider,
            submitted_at=deadline - timedelta(days=days_before, hours=3),
        )
    check_bid_deadlines_now()
    Tender.objects.filter(pk=tender.pk).update(submission_deadline=deadline)
