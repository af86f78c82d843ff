"""Demo data of bids opened after the deadline. Called by tenders.demo.seed_tender_life; idempotent.

Knowsley has a tender whose submission deadline passed yesterday at noon, published a month ago
under its "Community navigation service" commission, with three sealed bids: Kirkby Community
Garden (a local community group), Innovate Volunteering CIC (Huyton, local) and Merseyside
Digital Ltd (Liverpool L2: not local, so not eligible in this reserved band). None is checked for
compliance yet: sign in as commissioner@knowsley.example.org and open the bids from the tender page.

The rows are made directly (the tender's life up to the deadline is history here: tenders.demo.recorded),
but the bid content is sealed with the tender's own key through tenders.sealing, as the bid pages do.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from commissioning.models import Commission, Council, Organisation, User
from commissioning.tenancy import council_scope
from tenders import sealing
from tenders.database import check_bid_deadlines_now
from tenders.demo import knowsley
from tenders.demo.common import decided_commission, demo_commitment, midday, person
from tenders.demo.recorded import PublishedTender, Question, record_published_tender
from tenders.models import Bid, BidAttachment, BidStatus, BidSubmission, Tender

TITLE = "Community connectors for Huyton and Prescot"
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
            ("SVM-1.1", "4", "people", "2027-09-30", True),  # new jobs created, recruited locally
            ("SVM-5.1", "2000", "hours", "2028-03-31", True),  # volunteering time in the community
            ("Fruit trees planted in Kirkby's parks", "40", "trees", "2028-03-31", True),
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
        [("Spend with local suppliers", "25000", "pounds", "2028-03-31", True)],
        ("safeguarding-policy.txt", b"Innovate Volunteering CIC: safeguarding policy, reviewed 2026."),
    ),
    (
        "Merseyside Digital Ltd",
        "An app and a call centre in Liverpool will match residents with services across the borough.",
        "We will offer two apprenticeships.",
        "96000.00",
        [("SVM-1.2", "2", "apprenticeships", "2028-03-31", False)],
        None,
    ),
)


def seed(councils: Mapping[str, Council]) -> None:
    council = councils.get("knowsley")
    if council is None:
        return
    with council_scope(council):
        if Tender.objects.filter(council=council, title=TITLE).exists():
            return
        commission = decided_commission(council)
        commissioner, officer = person(knowsley.COMMISSIONER), person(knowsley.OFFICER)
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
    recorded = record_published_tender(
        council=council,
        commission=commission,
        commissioner=commissioner,
        officer=officer,
        tender=PublishedTender(
            title=TITLE,
            description="Connectors who help residents of Huyton and Prescot find local support. A two-year contract.",
            estimated_value=Decimal("120000"),
            clarification_deadline=midday(-10),
            submission_deadline=midday(-1),
            planned_award_date=timezone.localdate() + timedelta(days=21),
            weighting_rationale=(
                "Quality carries most of the score because residents said trust matters most; social value is "
                "above the council's 10% minimum because the service should build local capacity."
            ),
            published_at=midday(-31),
            lot="Huyton and Prescot",
            lot_value=Decimal("120000"),
            criteria=(
                Question("How will you reach residents who do not ask for help?", "quality", Decimal(55), 500),
                Question("Price", "price", 30),
                Question("Local jobs, volunteering and spend", "social_value", Decimal(15), 300),
            ),
            sections=SECTIONS,
        ),
    )
    tender, lot = recorded.tender, recorded.lot
    quality, _price, social = recorded.criteria
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
            "commitments": [
                demo_commitment(council, measure, quantity, unit, by, local=local)
                for measure, quantity, unit, by, local in commitments
            ],
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
