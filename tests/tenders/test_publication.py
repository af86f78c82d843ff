"""Publication services: the team and its declarations, four-eyes approval of exactly the content
published, publication freezing the tender, published changes with a reason and notices to bidders,
documents and eligibility overrides."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from functools import partial

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from commissioning.models import AuditEvent, Membership, OrganisationMember, Role
from commissioning.tenancy import council_scope
from tenders import selectors, services
from tenders.models import (
    Bid,
    BidStatus,
    BidSubmission,
    CommentRound,
    ConflictDeclaration,
    EligibilityOverride,
    SpecificationSection,
    Tender,
    TenderRevision,
)
from tests import files
from tests.factories import CouncilWorld, OrganisationFactory, UserFactory

pytestmark = pytest.mark.world("draft_for_approval")


def draft(world: CouncilWorld) -> Tender:
    return Tender.objects.get(council=world.council, title=f"{world.council.slug}-private-tender")


def published(world: CouncilWorld) -> Tender:
    return Tender.objects.get(council=world.council, title=f"{world.council.slug.title()} community navigators")


def make_ready(world: CouncilWorld) -> Tender:
    """The factories' draft tender with a timetable, and the officer's declaration: ready to approve."""
    tender = draft(world)
    now = timezone.now()
    Tender.objects.filter(pk=tender.pk).update(
        clarification_deadline=now + timedelta(days=10), submission_deadline=now + timedelta(days=20)
    )
    services.conflict_declare(tender=tender, actor=world.people[Role.OFFICER], has_conflict=False)
    tender.refresh_from_db()
    return tender


def approve(world: CouncilWorld, tender: Tender):  # type: ignore[no-untyped-def]
    return services.tender_approval_decide(tender=tender, actor=world.people[Role.OFFICER], decision="approved")


# --- Readiness and four eyes ----------------------------------------------------------------------


def test_the_draft_is_not_ready_until_its_timetable_is_set(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        checks = {c.key: c for c in selectors.publication_readiness(tender=draft(knowsley))}
        assert checks["specification"].ok and checks["evaluation_model"].ok and checks["rationale"].ok
        assert checks["timetable"].problems == ("Set the clarification deadline", "Set the submission deadline")
        make_ready(knowsley)
        assert all(c.ok for c in selectors.publication_readiness(tender=draft(knowsley)))


@pytest.mark.world("draft_tender")
def test_the_creator_may_not_approve_their_own_tender(knowsley: CouncilWorld) -> None:
    commissioner = knowsley.people[Role.COMMISSIONER]
    with council_scope(knowsley.council):
        tender = make_ready(knowsley)
        services.conflict_declare(tender=tender, actor=commissioner, has_conflict=False)
        with pytest.raises(ValidationError, match="another officer must approve it"):
            services.tender_approval_decide(tender=tender, actor=commissioner, decision="approved")


@pytest.mark.world("draft_tender")
def test_an_officer_who_saved_a_section_may_not_approve(knowsley: CouncilWorld) -> None:
    officer = knowsley.people[Role.OFFICER]
    with council_scope(knowsley.council):
        tender = make_ready(knowsley)
        section = SpecificationSection.objects.get(tender=tender)
        services.section_save(
            section=section, actor=officer, title=section.title, body="<p>Mine</p>", expected_revision=1
        )
        # Someone else saves it after, so only the audit trail remembers the officer's save.
        services.section_save(
            section=section,
            actor=knowsley.people[Role.COMMISSIONER],
            title=section.title,
            body="<p>Back</p>",
            expected_revision=2,
        )
        services.specification_save_version(tender=tender, actor=knowsley.people[Role.COMMISSIONER])
        assert officer.pk in selectors.tender_authors(tender=tender)
        with pytest.raises(ValidationError, match="four eyes"):
            approve(knowsley, tender)


def test_approval_needs_every_team_member_declared(knowsley: CouncilWorld) -> None:
    evaluator = knowsley.people[Role.EVALUATOR]
    with council_scope(knowsley.council):
        tender = make_ready(knowsley)
        services.team_member_add(
            tender=tender, actor=knowsley.people[Role.COMMISSIONER], user=evaluator, role="evaluator"
        )
        with pytest.raises(ValidationError) as error:
            approve(knowsley, tender)
        assert f"{evaluator.name} has not declared their interests" in error.value.messages
        services.conflict_declare(tender=tender, actor=evaluator, has_conflict=False)
        assert approve(knowsley, tender).decision == "approved"


@pytest.mark.world("draft_tender")
def test_the_approver_declares_first_and_a_declared_conflict_stops_them(knowsley: CouncilWorld) -> None:
    officer = knowsley.people[Role.OFFICER]
    with council_scope(knowsley.council):
        tender = draft(knowsley)
        with pytest.raises(ValidationError, match="Declare your interests"):
            approve(knowsley, tender)
        make_ready(knowsley)
        services.conflict_declare(tender=tender, actor=officer, has_conflict=True, details="My partner runs a bidder")
        with pytest.raises(ValidationError, match="conflict of interest"):
            approve(knowsley, tender)


@pytest.mark.world("draft_tender")
def test_returning_needs_a_reason(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        tender = make_ready(knowsley)
        with pytest.raises(ValidationError) as error:
            services.tender_approval_decide(tender=tender, actor=knowsley.people[Role.OFFICER], decision="returned")
        assert "comment" in error.value.message_dict
        returned = services.tender_approval_decide(
            tender=tender, actor=knowsley.people[Role.OFFICER], decision="returned", comment="Add a lot per ward"
        )
        assert returned.decision == "returned"
        with pytest.raises(ValidationError, match="must approve it first"):
            services.tender_publish(tender=tender, actor=knowsley.people[Role.OFFICER])


def test_a_declaration_supersedes_the_last_and_keeps_it(knowsley: CouncilWorld) -> None:
    commissioner = knowsley.people[Role.COMMISSIONER]
    with council_scope(knowsley.council):
        tender = draft(knowsley)
        with pytest.raises(ValidationError) as error:
            services.conflict_declare(tender=tender, actor=commissioner, has_conflict=True, details="  ")
        assert error.value.message_dict["details"] == ["Describe the conflict of interest"]
        services.conflict_declare(tender=tender, actor=commissioner, has_conflict=False)
        rows = list(ConflictDeclaration.objects.filter(tender=tender, user=commissioner).order_by("pk"))
        assert len(rows) == 2 and rows[0].superseded_at is not None and rows[1].superseded_at is None
        assert AuditEvent.objects.filter(council=knowsley.council, action="tender.conflict_declared").count() == 1
        with pytest.raises(ValidationError, match="Only people on the tender team"):
            services.conflict_declare(tender=tender, actor=knowsley.people[Role.EVALUATOR], has_conflict=False)


# --- Publication ----------------------------------------------------------------------------------


def test_an_approval_is_stale_once_the_content_changes(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        tender = make_ready(knowsley)
        approve(knowsley, tender)
        services.lot_add(tender=tender, actor=knowsley.people[Role.COMMISSIONER], title="Kirkby")
        with pytest.raises(ValidationError, match="changed after it was approved"):
            services.tender_publish(tender=tender, actor=knowsley.people[Role.OFFICER])
        assert Tender.objects.get(pk=tender.pk).published_at is None
        approve(knowsley, tender)  # approved again, as it is now
        assert services.tender_publish(tender=tender, actor=knowsley.people[Role.OFFICER]).number == 1


def test_publishing_freezes_the_specification_and_the_model_and_closes_comments(knowsley: CouncilWorld) -> None:
    officer = knowsley.people[Role.OFFICER]
    commissioner = knowsley.people[Role.COMMISSIONER]
    with council_scope(knowsley.council):
        tender = make_ready(knowsley)
        approval = approve(knowsley, tender)
        assert approval.content_sha256 == selectors.tender_content_sha256(tender=tender)
        revision = services.tender_publish(tender=tender, actor=officer)
        tender.refresh_from_db()
        assert tender.published_at == revision.published_at
        assert revision.specification_version == approval.specification_version
        assert [c["weight"] for c in revision.evaluation_model] == ["60", "30", "10"]
        assert revision.evaluation_model[0]["children"][0]["title"] == "knowsley-private-method"
        assert revision.lots == [{"title": "knowsley-private-lot", "description": "", "estimated_value": None}]
        assert revision.timetable["submission_deadline"] == tender.submission_deadline.isoformat()
        assert not CommentRound.objects.filter(tender=tender, closed_at__isnull=True).exists()
        with pytest.raises(ValidationError, match="locked"):
            services.criteria_replace(tender=tender, actor=commissioner, criteria=[], rationale="x")
        section = SpecificationSection.objects.get(tender=tender)
        with pytest.raises(ValidationError, match="locked"):
            services.section_save(section=section, actor=commissioner, title="T", body="New", expected_revision=1)
        with pytest.raises(ValidationError, match="already published"):
            services.tender_publish(tender=tender, actor=officer)
        actions = list(AuditEvent.objects.filter(council=knowsley.council).values_list("action", flat=True))
        assert "tender.approved" in actions and "tender.published" in actions


# --- Changes after publication ----------------------------------------------------------------------


@pytest.mark.world("published")
def test_a_change_needs_a_reason(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        tender = published(knowsley)
        later = tender.submission_deadline + timedelta(days=7)
        with pytest.raises(ValidationError) as error:
            services.tender_change_publish(
                tender=tender, actor=knowsley.people[Role.OFFICER], reason="  ", submission_deadline=later
            )
        assert "reason" in error.value.message_dict
        assert TenderRevision.objects.filter(tender=tender).count() == 1


@pytest.mark.world("published")
def test_a_deadline_may_be_extended_but_never_shortened_or_put_in_the_past(knowsley: CouncilWorld) -> None:
    officer = knowsley.people[Role.OFFICER]
    with council_scope(knowsley.council):
        tender = published(knowsley)
        with pytest.raises(ValidationError) as error:
            services.tender_change_publish(
                tender=tender,
                actor=officer,
                reason="Shorter",
                submission_deadline=tender.submission_deadline - timedelta(days=1),
            )
        assert error.value.message_dict["submission_deadline"] == [
            "The submission deadline can only be extended, not brought forward"
        ]
        Tender.objects.filter(pk=tender.pk).update(clarification_deadline=timezone.now() - timedelta(days=2))
        tender.refresh_from_db()
        with pytest.raises(ValidationError) as error:
            services.tender_change_publish(
                tender=tender, actor=officer, reason="Reopen", clarification_deadline=timezone.now() - timedelta(days=1)
            )
        assert error.value.message_dict["clarification_deadline"] == [
            "The clarification deadline must be in the future"
        ]
        later = tender.submission_deadline + timedelta(days=14)
        revision = services.tender_change_publish(
            tender=tender, actor=officer, reason="More time for partnerships", submission_deadline=later
        )
        tender.refresh_from_db()
        assert revision.number == 2 and revision.reason == "More time for partnerships"
        assert tender.submission_deadline == later
        assert revision.timetable["submission_deadline"] == later.isoformat()
        first = TenderRevision.objects.get(tender=tender, number=1)
        assert revision.specification_version_id == first.specification_version_id
        assert revision.evaluation_model == first.evaluation_model


@pytest.mark.world("bids")
def test_bidders_who_submitted_before_a_change_are_told_to_confirm_or_resubmit(
    knowsley: CouncilWorld, django_capture_on_commit_callbacks, eager_tasks
) -> None:
    officer = knowsley.people[Role.OFFICER]
    drafter = UserFactory(email="drafter@example.org")
    drafting_org = OrganisationFactory(name="Still Drafting CIC")
    OrganisationMember.objects.create(organisation=drafting_org, user=drafter)
    with council_scope(knowsley.council):
        tender = published(knowsley)
        Bid.objects.create(
            council=knowsley.council,
            tender=tender,
            organisation=drafting_org,
            status=BidStatus.DRAFT,
            created_by=drafter,
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.tender_change_publish(
                tender=tender,
                actor=officer,
                reason="Corrected pricing schedule",
                description="Navigators who help residents find local support, in every ward.",
            )
    assert [m.to for m in mail.outbox] == [[knowsley.provider.email]]
    message = mail.outbox[0]
    assert "confirm or resubmit" in message.subject
    assert "Corrected pricing schedule" in message.body
    assert f"/c/knowsley/opportunities/{tender.pk}/" in message.body
    # A bid resubmitted against version 2 is not told again about version 2.
    with council_scope(knowsley.council):
        bid = Bid.objects.get(tender=tender, organisation=knowsley.organisation)
        BidSubmission.objects.filter(bid=bid).update(revision_number=2)
        assert selectors.bidders_to_notify(tender=tender, revision_number=2) == []
        assert selectors.bidders_to_notify(tender=tender, revision_number=3) == [bid]


@pytest.mark.world("published")
def test_documents_are_checked_and_change_only_by_a_published_change_after_publication(knowsley: CouncilWorld) -> None:
    commissioner, officer = knowsley.people[Role.COMMISSIONER], knowsley.people[Role.OFFICER]
    with council_scope(knowsley.council):
        tender = draft(knowsley)
        for name, data, message in (
            ("notes.exe", b"MZ", "must be a PDF"),
            ("schedule.pdf", b"not a pdf", "not a real PDF file"),
            ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "10 MB or smaller"),
            ("table.csv", b"a,b\x00", "must be text"),
            ("spec.docx", files.zip_bomb_docx(), "unpacks to far more than a document does"),
            ("spec.docx", b"PK\x03\x04 renamed", "not a real DOCX file"),
            ("sheet.xlsx", files.docx(), "not a real XLSX file"),
        ):
            with pytest.raises(ValidationError, match=message):
                services.document_add(
                    tender=tender, actor=commissioner, document=services.NewDocument("Doc", name, data)
                )
        document = services.document_add(
            tender=tender, actor=commissioner, document=services.NewDocument("Pricing", "p.csv", b"Lot,Price\n")
        )
        assert document.content_type == "text/csv" and document.size == 10
        tender = published(knowsley)
        with pytest.raises(ValidationError, match="publishes a change"):
            services.document_add(
                tender=tender, actor=commissioner, document=services.NewDocument("More", "m.pdf", b"%PDF-1.7")
            )
        old = selectors.tender_documents(tender=tender)[0]
        services.tender_change_publish(
            tender=tender,
            actor=officer,
            reason="Corrected pricing schedule",
            add_documents=[services.NewDocument("Pricing schedule (corrected)", "p2.csv", b"Lot,Price,Notes\n")],
            withdraw_document_ids=[old.pk],
        )
        assert [d.title for d in selectors.tender_documents(tender=tender)] == ["Pricing schedule (corrected)"]


# --- Eligibility overrides ------------------------------------------------------------------------


def test_an_approved_override_replaces_the_bands_reservations(knowsley: CouncilWorld) -> None:
    commissioner, officer = knowsley.people[Role.COMMISSIONER], knowsley.people[Role.OFFICER]
    outsider = OrganisationFactory(name="Faraway Ltd", postcode="EC2V 7HH", legal_form="sme", charity_number="")
    with council_scope(knowsley.council):
        tender = draft(knowsley)
        Tender.objects.filter(pk=tender.pk).update(estimated_value=Decimal(60000))
        tender.refresh_from_db()
        assert not selectors.tender_eligibility(tender=tender, organisation=outsider).eligibility.eligible
        # The factories' request is still waiting: nothing changes until an officer approves one.
        waiting = EligibilityOverride.objects.get(tender=tender, decision="")
        assert (
            "reserved for organisations based in"
            in selectors.tender_eligibility(tender=tender, organisation=None).notice
        )
        request = partial(services.eligibility_override_request, tender=tender, actor=commissioner)
        with pytest.raises(ValidationError, match="already waiting"):
            request(reason="Again", reserved_for_local=False, reserved_for_vcse=False, reserved_for_sme=False)
        services.eligibility_override_decide(override=waiting, actor=officer, decision="returned", comment="Not yet")
        pending = request(
            reason="No local provider has the clinical registration",
            reserved_for_local=False,
            reserved_for_vcse=False,
            reserved_for_sme=True,
        )
        assert (
            "reserved for organisations based in"
            in selectors.tender_eligibility(tender=tender, organisation=None).notice
        )
        Membership.objects.create(council=knowsley.council, user=commissioner, role=Role.OFFICER)
        with pytest.raises(ValidationError, match="another officer must decide"):
            services.eligibility_override_decide(override=pending, actor=commissioner, decision="approved")
        with pytest.raises(ValidationError) as error:
            services.eligibility_override_decide(override=pending, actor=officer, decision="returned")
        assert "comment" in error.value.message_dict
        services.eligibility_override_decide(override=pending, actor=officer, decision="approved")
        answer = selectors.tender_eligibility(tender=tender, organisation=outsider)
        assert answer.notice.startswith("This opportunity is reserved for SMEs.")
        assert selectors.OVERRIDE_NOTE in answer.notice
        assert answer.eligibility.eligible  # a small company far away: an SME, no longer needs to be local
        actions = set(AuditEvent.objects.filter(council=knowsley.council).values_list("action", flat=True))
        assert {"eligibility_override.requested", "eligibility_override.approved"} <= actions


@pytest.mark.world("draft_tender")
def test_team_members_must_hold_the_role_in_the_council(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        tender = draft(knowsley)
        with pytest.raises(ValidationError) as error:
            services.team_member_add(
                tender=tender,
                actor=knowsley.people[Role.COMMISSIONER],
                user=knowsley.people[Role.CITIZEN],
                role="officer",
            )
        assert error.value.message_dict["user"] == [
            f"{knowsley.people[Role.CITIZEN].name} does not have the officer role in the council"
        ]
        services.team_member_add(
            tender=tender, actor=knowsley.people[Role.COMMISSIONER], user=knowsley.people[Role.OFFICER], role="officer"
        )
        with pytest.raises(ValidationError, match="already on the team"):
            services.team_member_add(
                tender=tender,
                actor=knowsley.people[Role.COMMISSIONER],
                user=knowsley.people[Role.OFFICER],
                role="officer",
            )
