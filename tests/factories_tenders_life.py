"""World builders for a tender's life after drafting: co-design comments, the tender team and their
declarations, approval, publication, clarifications, an eligibility override, and a sealed bid.

Every test council gets, beside its draft tender, a tender published (revision 1) whose submission
deadline is a week away, so its bid is sealed. Text that only council or bidder may read contains
"<slug>-private" (the cross-council probe looks for it); what the public notice shows does not.
Rows are made directly (no services, no audit events).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from commissioning.models import Role
from tenders import sealing
from tenders.database import check_bid_deadlines_now
from tenders.models import (
    ApprovalDecision,
    ApprovalRequest,
    Bid,
    BidAttachment,
    BidStatus,
    BidSubmission,
    ClarificationQuestion,
    CommentInvitation,
    CommentRound,
    ConflictDeclaration,
    Criterion,
    EligibilityOverride,
    Lot,
    SectionComment,
    SpecificationSection,
    SpecificationVersion,
    TeamRole,
    Tender,
    TenderApproval,
    TenderDocument,
    TenderRevision,
    TenderTeamMember,
)
from tests.factories import CouncilWorld, world_builder

BID_ANSWER = "{slug}-private-bid-answer: we are a Knowsley charity with local navigators."


def bid_content(*, slug: str, tender: Tender) -> dict:
    """A complete bid's content as the provider pages save it (answers keyed by criterion id)."""
    questions = Criterion.objects.filter(tender=tender, kind__in=["quality", "social_value"]).order_by("position")
    lots = list(Lot.objects.filter(tender=tender).order_by("position"))
    return {
        "answers": {str(q.pk): BID_ANSWER.format(slug=slug) for q in questions},
        "prices": {str(lot.pk): "150000.00" for lot in lots},
        "commitments": [{"measure": f"{slug}-private local jobs", "quantity": "3", "unit": "jobs", "by": "2027-12-31"}],
        "declarations": {"exclusion_grounds": False, "conflicts": False, "conflicts_details": ""},
    }


@world_builder
def tender_life_world(world: CouncilWorld) -> None:
    council, slug = world.council, world.council.slug
    commissioner, officer = world.people[Role.COMMISSIONER], world.people[Role.OFFICER]
    draft = Tender.objects.get(council=council, title=f"{slug}-private-tender")
    section = SpecificationSection.objects.get(tender=draft)

    # Co-design on the draft: open to citizens and the council's own organisation.
    comment_round = CommentRound.objects.create(
        council=council,
        tender=draft,
        open_to_citizens=True,
        message=f"{slug}-private-round-message",
        opened_by=commissioner,
    )
    CommentInvitation.objects.create(council=council, round=comment_round, organisation=world.organisation)
    SectionComment.objects.create(
        council=council,
        round=comment_round,
        section=section,
        section_title=section.title,
        author=world.people[Role.CITIZEN],
        body=f"{slug}-private-comment: the service should be open in the evenings.",
        reply=f"{slug}-private-reply: agreed, added to section 1.",
        resolved_by=commissioner,
        resolved_at=timezone.now(),
    )

    # A tender published a day ago, sealed for another week.
    now = timezone.now()
    published = Tender.objects.create(
        council=council,
        commission=draft.commission,
        title=f"{slug.title()} community navigators",
        description="Navigators who help residents find local support.",
        estimated_value=Decimal("150000"),
        clarification_deadline=now + timedelta(days=3),
        submission_deadline=now + timedelta(days=7),
        weighting_rationale="Quality matters most to residents; social value above the council's minimum.",
        created_by=commissioner,
        published_at=now - timedelta(days=1),
    )
    Lot.objects.create(council=council, tender=published, title="Whole borough", position=1)
    quality = Criterion.objects.create(
        council=council,
        tender=published,
        kind="quality",
        title="How will you reach residents?",
        weight=60,
        word_limit=500,
        position=1,
    )
    Criterion.objects.create(council=council, tender=published, kind="price", title="Price", weight=30, position=2)
    Criterion.objects.create(
        council=council,
        tender=published,
        kind="social_value",
        title="Local jobs and volunteering",
        weight=10,
        word_limit=300,
        position=3,
    )
    SpecificationSection.objects.create(
        council=council, tender=published, position=1, title="The service", body="<p>Navigators in every ward.</p>"
    )
    version = SpecificationVersion.objects.create(
        council=council,
        tender=published,
        number=1,
        sections=[{"title": "The service", "body": "<p>Navigators in every ward.</p>"}],
        note="As published",
        created_by=commissioner,
    )
    for user, role in ((commissioner, TeamRole.COMMISSIONER), (officer, TeamRole.OFFICER)):
        TenderTeamMember.objects.create(council=council, tender=published, user=user, role=role)
        ConflictDeclaration.objects.create(council=council, tender=published, user=user, has_conflict=False)
    ConflictDeclaration.objects.create(
        council=council,
        tender=draft,
        user=commissioner,
        has_conflict=True,
        details=f"{slug}-private-interest: my sister volunteers for a bidder.",
    )
    approval = TenderApproval.objects.create(
        council=council,
        tender=published,
        decision=ApprovalDecision.APPROVED,
        specification_version=version,
        content_sha256="0" * 64,
        decided_by=officer,
    )
    TenderRevision.objects.create(
        council=council,
        tender=published,
        number=1,
        specification_version=version,
        approval=approval,
        evaluation_model=[
            {"title": quality.title, "kind": "quality", "weight": "60", "children": []},
            {"title": "Price", "kind": "price", "weight": "30", "children": []},
            {"title": "Local jobs and volunteering", "kind": "social_value", "weight": "10", "children": []},
        ],
        timetable={
            "clarification_deadline": published.clarification_deadline.isoformat(),
            "submission_deadline": published.submission_deadline.isoformat(),
        },
        lots=[{"title": "Whole borough", "estimated_value": None}],
        published_by=officer,
        published_at=published.published_at,
    )
    TenderDocument.objects.create(
        council=council,
        tender=published,
        title="Pricing schedule",
        file=ContentFile(b"Lot,Price\n", name="pricing.csv"),
        content_type="text/csv",
        size=10,
        sha256=sealing.sha256_hex(b"Lot,Price\n"),
        uploaded_by=commissioner,
    )
    ClarificationQuestion.objects.create(
        council=council,
        tender=published,
        organisation=world.organisation,
        asked_by=world.provider,
        question=f"{slug}-private-question from our trust: can we bid with a partner?",
    )
    ClarificationQuestion.objects.create(
        council=council,
        tender=published,
        organisation=world.organisation,
        asked_by=world.provider,
        question=f"{slug}-private-question: is TUPE expected?",
        published_question="Is TUPE expected?",
        answer="No staff transfer is expected.",
        answered_by=commissioner,
        published_at=now,
    )
    EligibilityOverride.objects.create(
        council=council,
        tender=draft,
        reserved_for_local=False,
        reason=f"{slug}-private-override-reason: no local provider can deliver this.",
        requested_by=commissioner,
    )

    # The draft sent to the officers for approval (not decided yet).
    ApprovalRequest.objects.create(
        council=council,
        tender=draft,
        requested_by=commissioner,
        note=f"{slug}-private-approval-note: ready after the residents' comments.",
        asked=[{"id": officer.pk, "name": officer.name or officer.email, "email": officer.email}],
    )

    # A sealed bid by the world's organisation: a submission and an attachment.
    content = bid_content(slug=slug, tender=published)
    bid = Bid.objects.create(
        council=council,
        tender=published,
        organisation=world.organisation,
        status=BidStatus.SUBMITTED,
        draft=sealing.seal_json(published, content),
        created_by=world.provider,
    )
    BidSubmission.objects.create(
        council=council,
        bid=bid,
        number=1,
        reference=f"{slug[:3].upper()}-{published.pk}-{bid.pk}-1",
        content=sealing.seal_json(published, content),
        sha256=sealing.sha256_hex(sealing.canonical_json(content)),
        submitted_by=world.provider,
        submitted_at=now - timedelta(hours=2),
    )
    # PostgreSQL checks a submission against the deadline at COMMIT (or when a test's teardown
    # checks deferred constraints): check this one now, while its deadline is still ahead, so
    # tests may move the deadline into the past afterwards.
    check_bid_deadlines_now()
    plaintext = f"{slug}-private-attachment: our safeguarding policy".encode()
    BidAttachment.objects.create(
        council=council,
        bid=bid,
        question=str(quality.pk),
        details=sealing.seal_attachment_details(
            published, filename=f"{slug}-private-safeguarding.pdf", content_type="application/pdf", size=len(plaintext)
        ),
        sha256=sealing.sha256_hex(plaintext),
        file=ContentFile(sealing.seal(published, plaintext).encode(), name="attachment.sealed"),
        uploaded_by=world.provider,
    )
