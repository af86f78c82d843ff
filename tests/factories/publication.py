"""A tender's publication: its documents, clarification questions, declared interests, eligibility
overrides and approval requests; and the test world's stages ``published`` and ``draft_for_approval``.

The published tender (revision 1, approved, with its team) is written by ``tenders.demo.recorded``,
as the demo writes its own tender past the deadline. Its submission deadline is a week away, so a
bid on it is sealed. Text that only council or bidder may read contains "<slug>-private" (the
cross-council probe looks for it); what the public notice shows does not. Rows are made directly
(no services, no audit events).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from commissioning.models import Role
from tenders import sealing
from tenders.demo.recorded import PublishedTender, Question, record_published_tender
from tenders.models import (
    ApprovalRequest,
    ClarificationQuestion,
    ConflictDeclaration,
    EligibilityOverride,
    Tender,
    TenderDocument,
    TenderRevision,
)

if TYPE_CHECKING:
    from tests.factories.worlds import CouncilWorld

PRICING_SCHEDULE = b"Lot,Price\n"


class TenderDocumentFactory(factory.django.DjangoModelFactory[TenderDocument]):
    class Meta:
        model = TenderDocument

    council = factory.SelfAttribute("tender.council")
    title = "Pricing schedule"
    file = factory.LazyFunction(lambda: ContentFile(PRICING_SCHEDULE, name="pricing.csv"))
    content_type = "text/csv"
    size = len(PRICING_SCHEDULE)
    sha256 = sealing.sha256_hex(PRICING_SCHEDULE)


class ClarificationQuestionFactory(factory.django.DjangoModelFactory[ClarificationQuestion]):
    class Meta:
        model = ClarificationQuestion

    council = factory.SelfAttribute("tender.council")
    question = "Can we bid with a partner?"


class ConflictDeclarationFactory(factory.django.DjangoModelFactory[ConflictDeclaration]):
    class Meta:
        model = ConflictDeclaration

    council = factory.SelfAttribute("tender.council")
    has_conflict = False


class EligibilityOverrideFactory(factory.django.DjangoModelFactory[EligibilityOverride]):
    class Meta:
        model = EligibilityOverride

    council = factory.SelfAttribute("tender.council")
    reserved_for_local = False
    reason = "No local provider can deliver this."


class ApprovalRequestFactory(factory.django.DjangoModelFactory[ApprovalRequest]):
    class Meta:
        model = ApprovalRequest

    council = factory.SelfAttribute("tender.council")


def published_tender(world: CouncilWorld) -> None:
    """A tender published a day ago under the decided commission, open for questions for three days
    and for bids for a week, with its pricing schedule and two questions from the world's
    organisation (one answered and published)."""
    assert world.commission is not None, "the published tender needs the stage 'commissions'"
    council, slug = world.council, world.council.slug
    commissioner, officer = world.people[Role.COMMISSIONER], world.people[Role.OFFICER]
    now = timezone.now()
    recorded = record_published_tender(
        council=council,
        commission=world.commission,
        commissioner=commissioner,
        officer=officer,
        tender=PublishedTender(
            title=f"{slug.title()} community navigators",
            description="Navigators who help residents find local support.",
            estimated_value=Decimal("150000"),
            clarification_deadline=now + timedelta(days=3),
            submission_deadline=now + timedelta(days=7),
            weighting_rationale="Quality matters most to residents; social value above the council's minimum.",
            published_at=now - timedelta(days=1),
            lot="Whole borough",
            criteria=(
                Question("How will you reach residents?", "quality", 60, word_limit=500),
                Question("Price", "price", 30),
                Question("Local jobs and volunteering", "social_value", 10, word_limit=300),
            ),
            sections=(("The service", "<p>Navigators in every ward.</p>"),),
        ),
        approved_sha256="0" * 64,
    )
    published = world.published = recorded.tender
    world.published_question = recorded.criteria[0]
    TenderDocumentFactory(tender=published, uploaded_by=commissioner)
    ClarificationQuestionFactory(
        tender=published,
        organisation=world.organisation,
        asked_by=world.provider,
        question=f"{slug}-private-question from our trust: can we bid with a partner?",
    )
    ClarificationQuestionFactory(
        tender=published,
        organisation=world.organisation,
        asked_by=world.provider,
        question=f"{slug}-private-question: is TUPE expected?",
        published_question="Is TUPE expected?",
        answer="No staff transfer is expected.",
        answered_by=commissioner,
        published_at=now,
    )


def draft_for_approval(world: CouncilWorld) -> None:
    """The draft readied for approval: the commissioner's declared interest, an eligibility override
    asked for, and the draft sent to the officer (not decided yet)."""
    assert world.draft is not None, "approval needs the stage 'draft_tender'"
    slug = world.council.slug
    commissioner, officer = world.people[Role.COMMISSIONER], world.people[Role.OFFICER]
    ConflictDeclarationFactory(
        tender=world.draft,
        user=commissioner,
        has_conflict=True,
        details=f"{slug}-private-interest: my sister volunteers for a bidder.",
    )
    EligibilityOverrideFactory(
        tender=world.draft,
        reserved_for_local=False,
        reason=f"{slug}-private-override-reason: no local provider can deliver this.",
        requested_by=commissioner,
    )
    ApprovalRequestFactory(
        tender=world.draft,
        requested_by=commissioner,
        note=f"{slug}-private-approval-note: ready after the residents' comments.",
        asked=[{"id": officer.pk, "name": officer.name or officer.email, "email": officer.email}],
    )


def set_evaluation_settings(tender_id: int, **settings: object) -> None:
    """Change a published tender's evaluation settings (``blind_evaluation``, ``price_formula``,
    ``tie_break``) on the tender and on every revision's snapshot, as if it had been published so:
    the evaluation stages decide by the published snapshot."""
    Tender.objects.filter(pk=tender_id).update(**settings)
    for revision in TenderRevision.objects.filter(tender=tender_id):
        revision.evaluation_settings = {**revision.evaluation_settings, **settings}
        revision.save(update_fields=["evaluation_settings"])
