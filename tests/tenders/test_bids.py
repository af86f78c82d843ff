"""Bid services: start, save, attach, submit (eligibility, completeness, deadline, idempotency), replace, withdraw."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from commissioning.models import AuditEvent
from commissioning.tenancy import council_scope
from tenders import sealing
from tenders.models import Bid, BidAttachment, BidStatus, BidSubmission, Criterion, Tender
from tenders.selectors import bids as selectors
from tenders.services import bids as services
from tests import files
from tests.factories import CouncilWorld
from tests.tenders.test_bids_helpers import (
    ANSWER,
    bid_audit_facts,
    complete_changes,
    local_charity,
    move_deadline,
    non_local_company,
    published_tender,
)

pytestmark = pytest.mark.world("published")

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n"
PNG = files.png()


def _draft_bid(world: CouncilWorld, organisation, person, changes=None) -> Bid:  # type: ignore[no-untyped-def]
    tender = published_tender(world)
    bid = services.bid_start(tender=tender, organisation=organisation, actor=person)
    if changes is not None:
        bid = services.bid_draft_save(bid=bid, actor=person, changes=changes, expected_revision=bid.draft_revision)
    return bid


@pytest.fixture
def scoped(knowsley: CouncilWorld):  # type: ignore[no-untyped-def]
    with council_scope(knowsley.council):
        yield knowsley


def test_a_local_charity_submits_and_gets_a_receipt_whose_hash_matches_the_content(
    scoped: CouncilWorld, django_capture_on_commit_callbacks, eager_celery: None
) -> None:
    organisation, person = local_charity()
    tender = published_tender(scoped)
    bid = _draft_bid(scoped, organisation, person, complete_changes(tender))
    key = uuid.uuid4()

    with django_capture_on_commit_callbacks(execute=True):
        submission, created = services.bid_submit(bid=bid, actor=person, idempotency_key=key)

    assert created
    assert submission.number == 1
    assert submission.reference == f"KNO-T{tender.pk}-B{bid.pk}-1"
    content = sealing.unseal_json(tender, submission.content, reader=sealing.Reader.PROVIDER)
    assert submission.sha256 == sealing.sha256_hex(sealing.canonical_json(content))
    assert content["answers"] == complete_changes(tender)["answers"]
    assert content["attachments"] == []
    assert submission.revision_number == 1
    bid.refresh_from_db()
    assert bid.status == BidStatus.SUBMITTED
    (event,) = bid_audit_facts(tender, "bid.submitted")
    assert event["after"]["reference"] == submission.reference and event["after"]["sha256"] == submission.sha256
    assert ANSWER not in str(event["before"]) + str(event["after"])
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert submission.reference in mail.outbox[0].body and submission.sha256 in mail.outbox[0].body
    assert ANSWER not in mail.outbox[0].body


def test_the_hash_covers_the_attached_documents(scoped: CouncilWorld) -> None:
    organisation, person = local_charity()
    tender = published_tender(scoped)
    bid = _draft_bid(scoped, organisation, person, complete_changes(tender))
    question = Criterion.objects.get(tender=tender, kind="quality")
    services.bid_attachment_add(
        bid=bid, actor=person, question=question, upload=SimpleUploadedFile("policy.pdf", PDF, "application/pdf")
    )

    submission, _ = services.bid_submit(bid=bid, actor=person, idempotency_key=uuid.uuid4())

    content = sealing.unseal_json(tender, submission.content, reader=sealing.Reader.PROVIDER)
    assert [a["sha256"] for a in content["attachments"]] == [sealing.sha256_hex(PDF)]
    assert submission.sha256 == sealing.sha256_hex(sealing.canonical_json(content))


def test_a_non_local_company_is_refused_with_the_reasons_and_its_draft_is_kept(scoped: CouncilWorld) -> None:
    organisation, person = non_local_company()
    tender = published_tender(scoped)
    bid = _draft_bid(scoped, organisation, person, complete_changes(tender))
    draft_before = selectors.bid_draft(bid)

    with pytest.raises(services.BidRefused) as refused:
        services.bid_submit(bid=bid, actor=person, idempotency_key=uuid.uuid4())

    assert refused.value.reason == "ineligible"
    assert "Nationwide Outsourcing plc cannot bid for this opportunity" in refused.value.summary
    assert "Your draft is kept" in refused.value.summary
    details = " ".join(refused.value.details)
    assert "Knowsley" in details and "L34" in details
    assert "What would make it eligible" in details
    bid.refresh_from_db()
    assert bid.status == BidStatus.DRAFT
    assert selectors.bid_draft(bid) == draft_before
    assert not BidSubmission.objects.filter(bid=bid).exists()


def test_an_incomplete_bid_is_refused_listing_every_problem(scoped: CouncilWorld) -> None:
    organisation, person = local_charity()
    bid = _draft_bid(scoped, organisation, person)

    with pytest.raises(services.BidRefused) as refused:
        services.bid_submit(bid=bid, actor=person, idempotency_key=uuid.uuid4())

    assert refused.value.reason == "incomplete"
    assert refused.value.details == [
        "Answer question 1: How will you reach residents?",
        "Answer question 2: Local jobs and volunteering",
        "Enter your price for at least one lot",
        "Add at least one social value commitment",
        "Say whether any exclusion grounds apply to you",
        "Say whether you have a conflict of interest",
    ]


def test_an_answer_over_the_word_limit_is_refused_with_the_count(scoped: CouncilWorld) -> None:
    organisation, person = local_charity()
    tender = published_tender(scoped)
    changes = complete_changes(tender)
    social = Criterion.objects.get(tender=tender, kind="social_value")
    changes["answers"][str(social.pk)] = "word " * 301
    bid = _draft_bid(scoped, organisation, person, changes)

    with pytest.raises(services.BidRefused) as refused:
        services.bid_submit(bid=bid, actor=person, idempotency_key=uuid.uuid4())

    assert refused.value.details == [
        "Your answer to question 2 (Local jobs and volunteering) has 301 words: the limit is 300"
    ]
    assert services.word_count("  one\ntwo\t three  ") == 3


def test_a_conflict_needs_its_details(scoped: CouncilWorld) -> None:
    organisation, person = local_charity()
    tender = published_tender(scoped)
    changes = complete_changes(tender)
    changes["declarations"] = {"exclusion_grounds": False, "conflicts": True, "conflicts_details": " "}
    problems = selectors.bid_problems(tender=tender, draft={**selectors.bid_draft(Bid()), **changes})
    assert [p.message for p in problems] == ["Describe your conflict of interest and how you manage it"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("program.exe", b"MZ\x90\x00", "The file must be a PDF, Word (.docx)"),
        ("policy.pdf", b"MZ\x90\x00 pretending", "The file is not a real PDF file"),
        ("photo.png", b"\xff\xd8\xff\xe0 a jpeg", "The file is not a real PNG file"),
        ("empty.pdf", b"", "The file is empty"),
        # Behind the right first bytes: the content is checked too.
        ("logo.png", files.svg_behind_png_header(), "The file is not a real PNG file"),
        ("logo.png", files.png_with_script_after_it(), "The file is not a real PNG file"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"<script>alert(1)</script>", "The file is not a real JPG file"),
        ("huge.png", files.png((8000, 6000)), "unpacks to far more than a document does"),
        ("plan.docx", b"PK\x03\x04 not a zip at all", "The file is not a real DOCX file"),
        ("plan.docx", files.xlsx(), "The file is not a real DOCX file"),  # a zip, but not a Word document
        ("plan.odt", files.docx(), "The file is not a real ODT file"),
        ("bomb.docx", files.zip_bomb_docx(), "unpacks to far more than a document does"),
    ],
    # Ids from the names and messages only: the bytes of a made-up document hold the time it was made,
    # so xdist workers collecting a second apart would disagree on ids built from them.
    ids=lambda value: value if isinstance(value, str) and len(value) < 40 else "data",
)
def test_attachments_are_checked_by_extension_first_bytes_and_content(
    scoped: CouncilWorld, name: str, data: bytes, message: str
) -> None:
    organisation, person = local_charity()
    bid = _draft_bid(scoped, organisation, person)
    question = Criterion.objects.get(tender=bid.tender, kind="quality")
    with pytest.raises(services.ValidationError) as refused:
        services.bid_attachment_add(bid=bid, actor=person, question=question, upload=SimpleUploadedFile(name, data))
    assert message in " ".join(refused.value.message_dict["file"])
    assert not BidAttachment.objects.filter(bid=bid).exists()


@override_settings(COMMISSIONING_BID_ATTACHMENT_MAX_BYTES=64)
def test_attachments_over_the_size_limit_are_refused(scoped: CouncilWorld) -> None:
    organisation, person = local_charity()
    bid = _draft_bid(scoped, organisation, person)
    question = Criterion.objects.get(tender=bid.tender, kind="quality")
    with pytest.raises(services.ValidationError) as refused:
        services.bid_attachment_add(
            bid=bid, actor=person, question=question, upload=SimpleUploadedFile("big.pdf", PDF + b"x" * 64)
        )
    assert "smaller than" in refused.value.message_dict["file"][0]


def test_good_attachments_of_each_kind_are_stored_encrypted(scoped: CouncilWorld) -> None:
    organisation, person = local_charity()
    bid = _draft_bid(scoped, organisation, person)
    question = Criterion.objects.get(tender=bid.tender, kind="quality")
    for name, data in [
        ("a.pdf", PDF),
        ("b.png", PNG),
        ("c.docx", files.docx()),
        ("d.JPG", files.jpeg()),
        ("e.xlsx", files.xlsx()),
        ("f.odt", files.odt()),
    ]:
        attachment = services.bid_attachment_add(
            bid=bid, actor=person, question=question, upload=SimpleUploadedFile(name, data)
        )
        with attachment.file.open("rb") as stored:
            sealed = stored.read()
        assert data not in sealed
        assert sealing.unseal(bid.tender, sealed.decode(), reader=sealing.Reader.PROVIDER) == data
        assert attachment.sha256 == sealing.sha256_hex(data)


def test_nothing_the_provider_writes_is_stored_in_plain_text(scoped: CouncilWorld) -> None:
    organisation, person = local_charity()
    tender = published_tender(scoped)
    bid = _draft_bid(scoped, organisation, person, complete_changes(tender))
    question = Criterion.objects.get(tender=tender, kind="quality")
    secret_document = PDF + ANSWER.encode()
    attachment = services.bid_attachment_add(
        bid=bid, actor=person, question=question, upload=SimpleUploadedFile("answer.pdf", secret_document)
    )
    services.bid_submit(bid=bid, actor=person, idempotency_key=uuid.uuid4())

    bid.refresh_from_db()
    submission = BidSubmission.objects.get(bid=bid)
    assert ANSWER not in bid.draft and "navigators" not in bid.draft
    assert ANSWER not in submission.content and "145000" not in submission.content
    with attachment.file.open("rb") as stored:
        assert ANSWER.encode() not in stored.read()
    events = AuditEvent.objects.filter(council=scoped.council)
    assert not [e for e in events if ANSWER in f"{e.before}{e.after}{e.object_label}" or "145000" in f"{e.after}"]
    facts = bid_audit_facts(tender)
    assert facts and not [f for f in facts if ANSWER in str(f) or "145000" in str(f)]


def test_after_the_deadline_a_submission_is_refused_and_the_draft_kept(scoped: CouncilWorld) -> None:
    organisation, person = local_charity()
    tender = published_tender(scoped)
    bid = _draft_bid(scoped, organisation, person, complete_changes(tender))

    with pytest.raises(services.BidRefused) as refused:
        services.bid_submit(
            bid=bid, actor=person, idempotency_key=uuid.uuid4(), now=tender.submission_deadline + timedelta(seconds=1)
        )
    assert refused.value.reason == "deadline"
    assert "Your draft is kept" in refused.value.summary

    # Exactly at the deadline is too late too: the tender closes the instant it passes.
    move_deadline(tender, timezone.now() - timedelta(microseconds=1))
    with pytest.raises(services.BidRefused):
        services.bid_submit(bid=bid, actor=person, idempotency_key=uuid.uuid4())
    bid.refresh_from_db()
    assert bid.status == BidStatus.DRAFT
    assert selectors.bid_draft(bid)["answers"] == complete_changes(tender)["answers"]
    assert not BidSubmission.objects.filter(bid=bid).exists()


def test_the_same_idempotency_key_returns_the_same_receipt(scoped: CouncilWorld) -> None:
    organisation, person = local_charity()
    tender = published_tender(scoped)
    bid = _draft_bid(scoped, organisation, person, complete_changes(tender))
    key = uuid.uuid4()

    first, created = services.bid_submit(bid=bid, actor=person, idempotency_key=key)
    again, created_again = services.bid_submit(bid=bid, actor=person, idempotency_key=str(key))

    assert created and not created_again
    assert again.pk == first.pk
    assert BidSubmission.objects.filter(bid=bid).count() == 1
    assert len(bid_audit_facts(tender, "bid.submitted")) + len(bid_audit_facts(tender, "bid.replaced")) == 1


def test_replace_and_withdraw_keep_every_version_and_the_last_counts(scoped: CouncilWorld) -> None:
    organisation, person = local_charity()
    tender = published_tender(scoped)
    bid = _draft_bid(scoped, organisation, person, complete_changes(tender))
    first, _ = services.bid_submit(bid=bid, actor=person, idempotency_key=uuid.uuid4())
    bid.refresh_from_db()
    bid = services.bid_draft_save(
        bid=bid,
        actor=person,
        changes={"prices": {k: "139000.00" for k in complete_changes(tender)["prices"]}},
        expected_revision=bid.draft_revision,
    )
    second, _ = services.bid_submit(bid=bid, actor=person, idempotency_key=uuid.uuid4())

    assert (first.number, second.number) == (1, 2)
    assert second.reference.endswith("-2") and second.sha256 != first.sha256
    assert len(bid_audit_facts(tender, "bid.replaced")) == 1

    withdrawn = services.bid_withdraw(bid=bid, actor=person)
    assert withdrawn.status == BidStatus.WITHDRAWN and withdrawn.withdrawn_at is not None
    assert BidSubmission.objects.filter(bid=bid).count() == 2
    assert len(bid_audit_facts(tender, "bid.withdrawn")) == 1
    with pytest.raises(services.BidRefused):
        services.bid_withdraw(bid=withdrawn, actor=person)

    third, _ = services.bid_submit(bid=withdrawn, actor=person, idempotency_key=uuid.uuid4())
    withdrawn.refresh_from_db()
    assert third.number == 3 and withdrawn.status == BidStatus.SUBMITTED


def test_withdrawing_after_the_deadline_is_refused(scoped: CouncilWorld) -> None:
    organisation, person = local_charity()
    tender = published_tender(scoped)
    bid = _draft_bid(scoped, organisation, person, complete_changes(tender))
    services.bid_submit(bid=bid, actor=person, idempotency_key=uuid.uuid4())
    with pytest.raises(services.BidRefused) as refused:
        services.bid_withdraw(bid=bid, actor=person, now=tender.submission_deadline)
    assert refused.value.reason == "deadline"


def test_a_stale_save_is_refused_and_nothing_is_overwritten(scoped: CouncilWorld) -> None:
    organisation, person = local_charity()
    tender = published_tender(scoped)
    bid = _draft_bid(scoped, organisation, person)
    question = str(Criterion.objects.get(tender=tender, kind="quality").pk)
    opened_at = bid.draft_revision
    services.bid_draft_save(bid=bid, actor=person, changes={"answers": {question: "Mine"}}, expected_revision=opened_at)

    with pytest.raises(services.BidRefused) as refused:
        services.bid_draft_save(
            bid=bid, actor=person, changes={"answers": {question: "Theirs"}}, expected_revision=opened_at
        )
    assert refused.value.reason == "stale"
    bid.refresh_from_db()
    assert selectors.bid_draft(bid)["answers"][question] == "Mine"
    # The same text again is not a conflict: nothing changes.
    services.bid_draft_save(bid=bid, actor=person, changes={"answers": {question: "Mine"}}, expected_revision=opened_at)


def test_one_bid_per_organisation_and_only_for_members(scoped: CouncilWorld) -> None:
    organisation, person = local_charity()
    _, stranger = non_local_company()
    tender = published_tender(scoped)
    first = services.bid_start(tender=tender, organisation=organisation, actor=person)
    assert services.bid_start(tender=tender, organisation=organisation, actor=person).pk == first.pk
    with pytest.raises(services.ValidationError):
        services.bid_start(tender=tender, organisation=organisation, actor=stranger)
    with pytest.raises(services.BidRefused):
        services.bid_submit(bid=first, actor=stranger, idempotency_key=uuid.uuid4())


@pytest.mark.world("draft_tender")
def test_a_draft_tender_cannot_be_bid_for(scoped: CouncilWorld) -> None:
    organisation, person = local_charity()
    draft = Tender.objects.get(council=scoped.council, title="knowsley-private-tender")
    with pytest.raises(services.BidRefused) as refused:
        services.bid_start(tender=draft, organisation=organisation, actor=person)
    assert refused.value.reason == "not_open"


def test_the_deadline_trigger_refuses_inside_a_page_transaction(scoped: CouncilWorld, postgres_only: None) -> None:
    """Inside a request's transaction the database's check runs at the end of the submission."""
    from tenders.database import bid_deadline_trigger_installed

    assert bid_deadline_trigger_installed(using=connection.alias)  # by migrate, as the owner
    organisation, person = local_charity()
    tender = published_tender(scoped)
    bid = _draft_bid(scoped, organisation, person, complete_changes(tender))
    move_deadline(tender, timezone.now() - timedelta(seconds=1))

    # The service is told it is still before the deadline; the database's clock says otherwise.
    with pytest.raises(services.BidRefused) as refused:
        services.bid_submit(
            bid=bid, actor=person, idempotency_key=uuid.uuid4(), now=timezone.now() - timedelta(hours=1)
        )
    assert refused.value.reason == "deadline"
    assert not BidSubmission.objects.filter(bid=bid).exists()
    bid.refresh_from_db()
    assert bid.status == BidStatus.DRAFT
