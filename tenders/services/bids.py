"""Writes of bids on the provider side: start a bid, save its draft, attach documents, submit, withdraw.

The rules these enforce:

- One bid per organisation per tender; only for a published tender, until its submission deadline.
- A bid's content is sealed (:mod:`tenders.sealing`): drafts, submissions and attachments are
  stored encrypted with the tender's key. The audit trail records ids, references, hashes and
  times only, never what the bid says.
- A draft save from a page opened before another save is refused (``draft_revision``), and the
  page keeps what was typed.
- Submission (:func:`bid_submit`) refuses a late bid, an ineligible organisation (local spend
  policy, with the reasons and what would make it eligible) and an incomplete bid (every problem
  listed); the draft is kept in every case. The deadline is checked by the server clock and, on
  PostgreSQL, again by the database at the moment of commit (:mod:`tenders.database`).
- Submitting is idempotent: the same ``idempotency_key`` gives back the same receipt.
- Only the bid's own row is locked, never the tender's: bids of one tender (a deadline rush) are
  checked, sealed and written side by side; the audit chain is locked last, for a few statements.
- Replace (submit again) and withdraw until the deadline; every submission is kept, the last counts.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone

from commissioning import filetypes
from commissioning.audit import AuditEntry, audit_append, audit_chain_lock, audit_prepare, audit_record
from commissioning.models import Organisation, OrganisationMember, User
from commissioning.queue import enqueue
from commissioning.tenancy import council_scope
from tenders import sealing
from tenders.audit_labels import TenderAction
from tenders.bid_problems import NO_LOTS_KEY, BidProblem, word_count
from tenders.database import check_bid_deadlines_now, is_deadline_error
from tenders.models import Bid, BidAttachment, BidStatus, BidSubmission, Criterion, Tender
from tenders.models.publication import TenderRevision
from tenders.selectors.bids import bid_content_for_submission, bid_draft, bid_problems
from tenders.timetable import Status, takes_bids

# NO_LOTS_KEY, BidProblem and word_count are the bid vocabulary of tenders.bid_problems (pure).
__all__ = [
    "BidRefused",
    "BidProblem",
    "STALE_DRAFT",
    "NO_LOTS_KEY",
    "ATTACHMENT_TYPES",
    "word_count",
    "deadline_text",
    "bid_start",
    "bid_draft_save",
    "bid_attachment_add",
    "bid_attachment_remove",
    "bid_submit",
    "bid_confirm",
    "bid_withdraw",
]

STALE_DRAFT = (
    "Your bid changed since you opened this page: someone in your organisation saved it at {time}. "
    "Nothing was overwritten and what you typed is kept below. Check it against the latest bid, "
    "then save again."
)

# Documents a provider may attach (checked by extension and by their first bytes, commissioning.filetypes).
ATTACHMENT_TYPES = filetypes.kinds(*filetypes.ATTACHMENT_EXTENSIONS)
ATTACHMENT_KINDS_TEXT = filetypes.ATTACHMENT_KINDS_TEXT


class BidRefused(ValidationError):
    """A submission (or a change) refused: ``reason`` is a stable code, ``details`` the problems.

    Reasons: ``deadline`` (the deadline has passed), ``not_open`` (not published), ``ineligible``
    (local spend policy), ``incomplete`` (answers, prices or declarations missing or too long),
    ``stale`` (the draft changed since the page was opened), ``withdrawn``.
    """

    def __init__(self, reason: str, message: str, details: list[str] | None = None) -> None:
        self.reason = reason
        self.summary = message
        self.details = list(details or [])
        super().__init__([message, *self.details], code=reason)


def deadline_text(deadline: datetime) -> str:
    """ "12pm on 8 January 2027" in UK time."""
    local = timezone.localtime(deadline)
    hour = local.strftime("%I").lstrip("0")
    minutes = "" if local.minute == 0 else local.strftime(":%M")
    return f"{hour}{minutes}{local.strftime('%p').lower()} on {local.day} {local:%B %Y}"


def _deadline_refusal(tender: Tender) -> BidRefused:
    when = deadline_text(tender.submission_deadline) if tender.submission_deadline else "not set"
    return BidRefused(
        "deadline",
        f"The deadline for bids was {when} (UK time), so this bid was not submitted. "
        "Your draft is kept, but the council cannot accept a bid after the deadline.",
    )


def _check_open(tender: Tender, *, now: datetime | None = None) -> None:
    status = tender.status_at(now or timezone.now())
    if status == Status.CLOSED:
        raise _deadline_refusal(tender)
    if not takes_bids(status) or tender.submission_deadline is None:
        raise BidRefused("not_open", "This opportunity is not open for bids")


def _open_tender(tender: Tender, *, now: datetime | None = None) -> Tender:
    """The tender, read again (not locked: bids of a tender never wait for each other), if it takes bids."""
    tender = Tender.objects.select_related("council").get(pk=tender.pk)
    _check_open(tender, now=now)
    return tender


@transaction.atomic
def bid_start(*, tender: Tender, organisation: Organisation, actor: User) -> Bid:
    """Start the organisation's bid for the tender, or return the one it already has (one per tender)."""
    if not OrganisationMember.objects.is_member(user=actor, organisation=organisation):
        raise ValidationError({"organisation": "You are not a member of that organisation"})
    existing = Bid.objects.filter(council=tender.council_id, tender=tender, organisation=organisation).first()
    if existing is not None:
        return existing
    tender = _open_tender(tender)
    try:
        with transaction.atomic():
            bid = Bid.objects.create(
                council=tender.council,
                tender=tender,
                organisation=organisation,
                draft=sealing.seal_json(tender, {}),
                created_by=actor,
            )
    except IntegrityError:
        # A colleague started it a moment ago.
        return Bid.objects.get(council=tender.council_id, tender=tender, organisation=organisation)
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.BID_STARTED,
        sealed_by=sealing.audit_seal_reference(tender),
        target=bid,
        after={"tender": tender.pk, "organisation": organisation.pk},
    )
    return bid


def _locked_bid(bid: Bid, *, now: datetime | None = None) -> Bid:
    """The bid, locked to the end of the transaction (its row only), if its tender still takes bids."""
    bid = Bid.objects.select_for_update(of=("self",)).select_related("tender__council", "organisation").get(pk=bid.pk)
    _check_open(bid.tender, now=now)
    return bid


@transaction.atomic
def bid_draft_save(
    *, bid: Bid, actor: User, changes: dict[str, Any], expected_revision: int, now: datetime | None = None
) -> Bid:
    """Save parts of the draft (``answers``, ``prices``, ``commitments``, ``declarations``).

    ``answers`` and ``prices`` are merged key by key (one question page saves one answer); the
    others replace what was there. Refused after the deadline, and when the draft changed since
    ``expected_revision`` (the page keeps the typed text). The same content again changes nothing.
    """
    bid = _locked_bid(bid, now=now)
    draft = bid_draft(bid)
    updated = {
        "answers": {**draft["answers"], **{str(k): v for k, v in (changes.get("answers") or {}).items()}},
        "prices": {**draft["prices"], **{str(k): v for k, v in (changes.get("prices") or {}).items()}},
        "commitments": changes["commitments"] if "commitments" in changes else draft["commitments"],
        "declarations": {**draft["declarations"], **(changes.get("declarations") or {})},
    }
    updated["prices"] = {k: v for k, v in updated["prices"].items() if str(v).strip()}
    if updated == draft:
        return bid
    if expected_revision != bid.draft_revision:
        raise BidRefused("stale", STALE_DRAFT.format(time=timezone.localtime(bid.updated_at).strftime("%H:%M")))
    bid.draft = sealing.seal_json(bid.tender, updated)
    bid.draft_revision += 1
    bid.save(update_fields=["draft", "draft_revision", "updated_at"])
    audit_record(
        council=bid.tender.council,
        actor=actor,
        action=TenderAction.BID_DRAFT_SAVED,
        sealed_by=sealing.audit_seal_reference(bid.tender),
        target=bid,
        after={"revision": bid.draft_revision, "parts": sorted(k for k in changes if k in updated)},
    )
    return bid


def _attachment_type(filename: str, data: bytes) -> str:
    """The content type of an acceptable attachment: its extension, its first bytes and its
    content (a whole office package not unpacking to a zip bomb, an image that decodes)."""
    extension = filetypes.extension(filename)
    kind = ATTACHMENT_TYPES.get(extension)
    if kind is None:
        raise ValidationError({"file": f"The file must be a {ATTACHMENT_KINDS_TEXT}"}, code="type")
    problem = kind.content_problem(data)
    if problem == filetypes.UNPACKS_TOO_LARGE:
        raise ValidationError({"file": filetypes.UNPACKS_TOO_LARGE_TEXT}, code="unpacked_size")
    if problem:
        raise ValidationError(
            {
                "file": f"The file is not a real {extension.lstrip('.').upper()} file: "
                "save it again as one and upload it"
            },
            code="magic",
        )
    return kind.content_type


@transaction.atomic
def bid_attachment_add(
    *, bid: Bid, actor: User, question: Criterion, upload: UploadedFile, now: datetime | None = None
) -> BidAttachment:
    """Attach a document to an answer: checked by extension, by its first bytes and by size, then
    encrypted with the tender's key before it is stored."""
    limit = settings.COMMISSIONING_BID_ATTACHMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError({"file": f"The file must be smaller than {limit // (1024 * 1024)} MB"}, code="size")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({"file": f"The file must be smaller than {limit // (1024 * 1024)} MB"}, code="size")
    if not data:
        raise ValidationError({"file": "The file is empty"}, code="empty")
    filename = PurePath(upload.name or "document").name[:200]
    content_type = _attachment_type(filename, data)
    bid = _locked_bid(bid, now=now)
    if question.tender_id != bid.tender_id:
        raise ValidationError({"file": "That question is not part of this tender"})
    if not question.attachments_allowed:
        raise ValidationError({"file": "This question does not take documents: answer it in words"}, code="no_files")
    digest = sealing.sha256_hex(data)
    attachment = BidAttachment(
        council=bid.tender.council,
        bid=bid,
        question=str(question.pk),
        details=sealing.seal_attachment_details(
            bid.tender, filename=filename, content_type=content_type, size=len(data)
        ),
        sha256=digest,
        uploaded_by=actor,
    )
    attachment.__dict__["_unsealed_details"] = {"filename": filename, "content_type": content_type, "size": len(data)}
    attachment.file.save("sealed", ContentFile(sealing.seal(bid.tender, data).encode()), save=False)
    attachment.save()
    audit_record(
        council=bid.tender.council,
        actor=actor,
        action=TenderAction.BID_ATTACHMENT_ADDED,
        sealed_by=sealing.audit_seal_reference(bid.tender),
        target=attachment,
        after={"bid": bid.pk, "question": question.pk, "size": len(data), "sha256": digest},
    )
    return attachment


@transaction.atomic
def bid_attachment_remove(*, attachment: BidAttachment, actor: User, now: datetime | None = None) -> BidAttachment:
    """Take a document off the draft. It is kept (a submission may refer to it), marked removed."""
    bid = attachment.bid
    _locked_bid(bid, now=now)
    attachment = BidAttachment.objects.select_for_update().get(pk=attachment.pk)
    if attachment.removed_at is None:
        attachment.removed_at = timezone.now()
        attachment.save(update_fields=["removed_at"])
        audit_record(
            council=bid.tender.council,
            actor=actor,
            action=TenderAction.BID_ATTACHMENT_REMOVED,
            sealed_by=sealing.audit_seal_reference(bid.tender),
            target=attachment,
            after={"bid": bid.pk, "sha256": attachment.sha256},
        )
    return attachment


def _eligibility_refusal(tender: Tender, organisation: Organisation) -> BidRefused | None:
    from tenders.selectors.publication import tender_eligibility

    answer = tender_eligibility(tender=tender, organisation=organisation).eligibility
    if answer is None or answer.eligible:
        return None
    details = [f"{reason}." if not reason.endswith(".") else reason for reason in answer.reasons]
    if answer.how_to_become_eligible:
        details.append(f"What would make it eligible: {' '.join(answer.how_to_become_eligible)}")
    return BidRefused(
        "ineligible",
        f"{organisation.name} cannot bid for this opportunity, so the bid was not submitted. Your draft is kept.",
        details,
    )


@dataclass
class _Prepared:
    """A submission made ready before any lock: checked, its content sealed and hashed, its audit
    event's facts sealed. ``draft_revision`` and ``number`` are what it was built from."""

    submission: BidSubmission
    audit: AuditEntry
    draft_revision: int
    confirm: bool


def _submission_state(bid: Bid, key: uuid.UUID) -> tuple[int, int | None]:
    """The bid's last submission number and the id of the submission with this key, in one query."""
    state = BidSubmission.objects.filter(council=bid.council_id, bid=bid.pk).aggregate(
        last=Max("number"), repeat=Max("pk", filter=Q(idempotency_key=key))
    )
    return state["last"] or 0, state["repeat"]


@dataclass(frozen=True)
class _Read:
    """What a submission starts from, read in one query (see :func:`_read_for_submission`)."""

    bid: Bid
    last_number: int
    repeat: int | None
    actor_is_member: bool
    latest_revision: int


def _read_for_submission(bid: Bid, *, actor: User, key: uuid.UUID) -> _Read:
    """The bid with its tender (and the tender's council and sealing key) and organisation, its last
    submission number, the id of its submission with this idempotency key, whether ``actor`` is a
    member of its organisation and the tender's latest version: one query, where each was one."""
    submissions = BidSubmission.objects.filter(council=bid.council_id, bid=OuterRef("pk"))
    revisions = TenderRevision.objects.filter(council=bid.council_id, tender=OuterRef("tender_id"))
    read = (
        Bid.objects.select_related("tender__council", "tender__key", "organisation")
        .annotate(
            submission_last=Subquery(submissions.order_by("-number").values("number")[:1]),
            submission_repeat=Subquery(submissions.filter(idempotency_key=key).values("pk")[:1]),
            actor_is_member=Exists(OrganisationMember.objects.of(user=actor, organisation=OuterRef("organisation_id"))),
            tender_latest_revision=Subquery(revisions.order_by("-number").values("number")[:1]),
        )
        .get(council=bid.council_id, pk=bid.pk)
    )
    return _Read(
        bid=read,
        last_number=read.submission_last or 0,
        repeat=read.submission_repeat,
        actor_is_member=read.actor_is_member,
        latest_revision=read.tender_latest_revision or 1,
    )


def _submission_audit(submission: BidSubmission, *, actor: User, confirm: bool) -> AuditEntry:
    tender = submission.bid.tender
    first = submission.number == 1
    return audit_prepare(
        council=tender.council,
        actor=actor,
        action=TenderAction.BID_CONFIRMED
        if confirm
        else (TenderAction.BID_SUBMITTED if first else TenderAction.BID_REPLACED),
        sealed_by=sealing.audit_seal_reference(tender),
        seal=sealing.audit_sealer(tender),
        target=submission.bid,
        after={
            "reference": submission.reference,
            "number": submission.number,
            "sha256": submission.sha256,
            "submitted_at": submission.submitted_at,
            "revision": submission.revision_number,
        },
    )


def _prepare(*, read: _Read, actor: User, now: datetime | None, confirm: bool, key: uuid.UUID) -> _Prepared:
    """Every check and all the expensive work of a submission, holding no lock."""
    bid, last_number, latest_revision = read.bid, read.last_number, read.latest_revision
    tender = bid.tender
    _check_open(tender, now=now)
    if not read.actor_is_member:
        raise BidRefused("forbidden", "Only members of the organisation can submit its bid")
    refusal = _eligibility_refusal(tender, bid.organisation)
    if refusal is not None:
        raise refusal
    if confirm:
        # The submitted bid, exactly as it was, confirmed against the tender's latest version.
        last = bid.submissions.order_by("-number").first()
        if bid.status != BidStatus.SUBMITTED or last is None:
            raise BidRefused("not_submitted", "Only a submitted bid can be confirmed: check your answers and submit")
        if last.revision_number >= latest_revision:
            raise BidRefused(
                "current", f"Your bid is already confirmed against version {latest_revision}, the latest version"
            )
        content = sealing.unseal_json(tender, last.content, reader=sealing.Reader.PROVIDER)
    else:
        draft = bid_draft(bid)
        problems = bid_problems(tender=tender, draft=draft)
        if problems:
            raise BidRefused(
                "incomplete",
                "Your bid is not finished, so it was not submitted. Your draft is kept.",
                [p.message for p in problems],
            )
        content = bid_content_for_submission(bid=bid, draft=draft)
    number = last_number + 1
    submission = BidSubmission(
        council=tender.council,
        bid=bid,
        number=number,
        reference=f"{tender.council.slug[:3].upper()}-T{tender.pk}-B{bid.pk}-{number}",
        content=sealing.seal_json(tender, content),
        sha256=sealing.sha256_hex(sealing.canonical_json(content)),
        revision_number=latest_revision,
        idempotency_key=key,
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    return _Prepared(
        submission=submission,
        audit=_submission_audit(submission, actor=actor, confirm=confirm),
        draft_revision=bid.draft_revision,
        confirm=confirm,
    )


def _tender_now(tender: Tender, *, now: datetime | None) -> tuple[Status, int]:
    """The tender's status at ``now`` and its latest version, as committed (no lock): one query."""
    latest = (
        TenderRevision.objects.filter(council=tender.council_id, tender=OuterRef("pk"))
        .order_by("-number")
        .values("number")[:1]
    )
    published_at, clarification, deadline, revision = (
        Tender.objects.filter(pk=tender.pk)
        .annotate(latest_revision=Subquery(latest))
        .values_list("published_at", "clarification_deadline", "submission_deadline", "latest_revision")
        .get()
    )
    tender.published_at, tender.clarification_deadline, tender.submission_deadline = (
        published_at,
        clarification,
        deadline,
    )
    return tender.status_at(now or timezone.now()), revision or 1


def _submit(
    *, bid: Bid, actor: User, idempotency_key: uuid.UUID, now: datetime | None, confirm: bool = False
) -> tuple[BidSubmission, bool]:
    """A submission in two parts, so that the locks are held for a few statements only.

    1. Without a lock: read the bid, its tender and the rest, check everything (open, member,
       eligible, complete), build the content, seal it, hash it, and seal the audit event's facts.
    2. The short final part: lock the bid row (nothing else: other bids of the tender go on at
       the same time), look again at what could have changed since part 1 (a repeat of the same
       key, the draft or the submissions of this bid: then part 1 again, now under the lock),
       write the submission and the bid's status, queue the receipt, then lock the council's audit
       chain and, under it, read the tender once more: still open at ``now``, and its latest
       version, the one the bid is made against. Every audited change of the tender (a published
       change, which e-mails the bidders of earlier versions) takes the same chain lock, so it
       is either seen here or commits after this submission. The chain lock is held to COMMIT,
       where the database refuses a submission committed at or after the deadline (a deadline
       moved meanwhile included: the trigger reads the tender as committed then).
    """
    read = _read_for_submission(bid, actor=actor, key=idempotency_key)
    bid = read.bid
    if read.repeat is not None:
        return _receipt(read.repeat), False
    prepared = _prepare(read=read, actor=actor, now=now, confirm=confirm, key=idempotency_key)

    # --- The short final part: the bid row locked until COMMIT. ---
    draft_revision = Bid.objects.select_for_update().filter(pk=bid.pk).values_list("draft_revision", flat=True).get()
    last_number, repeat = _submission_state(bid, idempotency_key)
    if repeat is not None:
        # The same key committed while this request was preparing (a double click, a retry).
        return _receipt(repeat), False
    if draft_revision != prepared.draft_revision or last_number + 1 != prepared.submission.number:
        # The bid changed meanwhile (a colleague saved or submitted): prepare again, now under the lock.
        read = _read_for_submission(bid, actor=actor, key=idempotency_key)
        bid = read.bid
        prepared = _prepare(read=read, actor=actor, now=now, confirm=confirm, key=idempotency_key)
    submission = prepared.submission
    submission.save(force_insert=True)
    bid.status, bid.withdrawn_at, bid.updated_at = BidStatus.SUBMITTED, None, timezone.now()
    Bid.objects.filter(pk=bid.pk).update(status=bid.status, withdrawn_at=None, updated_at=bid.updated_at)
    from tenders.tasks.bids import send_bid_receipt

    enqueue(send_bid_receipt, council=bid.tender.council, submission_id=submission.pk)

    audit_chain_lock(bid.council_id)
    status, latest_revision = _tender_now(bid.tender, now=now)
    if status == Status.CLOSED:
        raise _deadline_refusal(bid.tender)  # rolls the submission back
    if not takes_bids(status):
        raise BidRefused("not_open", "This opportunity is not open for bids")
    if latest_revision != submission.revision_number:
        # A change of the tender was published while this submission was prepared.
        submission.revision_number = latest_revision
        BidSubmission.objects.filter(pk=submission.pk).update(revision_number=latest_revision)
        prepared.audit = _submission_audit(submission, actor=actor, confirm=prepared.confirm)
    audit_append(prepared.audit, chain_locked=True)  # taken above, in this transaction
    return submission, True


def _receipt(submission_id: int) -> BidSubmission:
    """An earlier submission (a repeat of its key), with who submitted it: the receipt names them."""
    return BidSubmission.objects.select_related("submitted_by").get(pk=submission_id)


def _submit_in_transaction(
    *, bid: Bid, actor: User, idempotency_key: uuid.UUID, now: datetime | None, outermost: bool, confirm: bool = False
) -> tuple[BidSubmission, bool]:
    if outermost:
        # The council scope opens the transaction and sets the council once; it ends with COMMIT,
        # so nothing is written back just before it (as a scope switched inside a transaction would).
        with council_scope(bid.council_id):
            return _submit(bid=bid, actor=actor, idempotency_key=idempotency_key, now=now, confirm=confirm)
    with transaction.atomic(), council_scope(bid.council_id):
        result = _submit(bid=bid, actor=actor, idempotency_key=idempotency_key, now=now, confirm=confirm)
        if result[1]:
            check_bid_deadlines_now()
    return result


def bid_submit(
    *, bid: Bid, actor: User, idempotency_key: uuid.UUID | str, now: datetime | None = None, confirm: bool = False
) -> tuple[BidSubmission, bool]:
    """Submit the bid's draft: returns ``(submission, created)``; ``created`` is False for a repeat.

    Refused if the tender is not published, if its deadline has passed (``now``, default the
    server clock at the moment of the check), if the organisation is not eligible under the
    council's local spend policy, or if the bid is incomplete; otherwise submission n+1 is recorded
    (its content sealed, its SHA-256 over the canonical JSON including each document's hash), the
    bid marked submitted, the reference and hash audited, and the receipt e-mailed. The checks,
    the sealing and the hashing come first, holding no lock; then only this bid's row is locked
    for a few statements, and the council's audit chain last (see :func:`_submit`), so the bids
    of a tender never wait for each other. On PostgreSQL the database refuses a submission whose
    transaction commits at or after the deadline; that refusal is the same ``BidRefused`` ("deadline").

    Idempotent: a repeat with the same ``idempotency_key`` returns the existing submission.
    Raises :class:`BidRefused`; the draft is never changed by a refusal.

    ``confirm=True`` (see :func:`bid_confirm`) submits the last submitted content again instead of the draft.
    """
    try:
        key = idempotency_key if isinstance(idempotency_key, uuid.UUID) else uuid.UUID(str(idempotency_key))
    except ValueError as error:
        raise BidRefused("invalid", "The page was out of date: check your answers and submit again") from error
    outermost = not connection.in_atomic_block
    try:
        return _submit_in_transaction(
            bid=bid, actor=actor, idempotency_key=key, now=now, outermost=outermost, confirm=confirm
        )
    except DatabaseError as error:
        if is_deadline_error(error):
            with council_scope(bid.council_id):
                tender = Tender.objects.get(pk=bid.tender_id)
            raise _deadline_refusal(tender) from error
        raise


def bid_confirm(
    *, bid: Bid, actor: User, idempotency_key: uuid.UUID | str, now: datetime | None = None
) -> tuple[BidSubmission, bool]:
    """After a published change to the tender, confirm the submitted bid as it is against the new
    version, in one step: a new submission with the same content (and so the same SHA-256), the
    latest version's number and its own receipt. The draft, which may hold unsubmitted edits, is
    left alone. The same checks as a submission: before the deadline, a member, eligible, idempotent.
    """
    return bid_submit(bid=bid, actor=actor, idempotency_key=idempotency_key, now=now, confirm=True)


@transaction.atomic
def bid_withdraw(*, bid: Bid, actor: User, now: datetime | None = None) -> Bid:
    """Withdraw a submitted bid until the deadline. Its submissions are kept; submitting again
    (a new submission) puts it back in."""
    bid = _locked_bid(bid, now=now)
    if not OrganisationMember.objects.is_member(user=actor, organisation=bid.organisation):
        raise BidRefused("forbidden", "Only members of the organisation can withdraw its bid")
    if bid.status != BidStatus.SUBMITTED:
        raise BidRefused("withdrawn", "Only a submitted bid can be withdrawn")
    bid.status = BidStatus.WITHDRAWN
    bid.withdrawn_at = timezone.now()
    bid.save(update_fields=["status", "withdrawn_at", "updated_at"])
    last = bid.submissions.order_by("-number").first()
    audit_record(
        council=bid.tender.council,
        actor=actor,
        action=TenderAction.BID_WITHDRAWN,
        sealed_by=sealing.audit_seal_reference(bid.tender),
        target=bid,
        after={"withdrawn_at": bid.withdrawn_at, "last_reference": last.reference if last else None},
    )
    return bid
