"""Writes of publication and the public notice: the tender team and their conflict declarations, approval,
publication and published changes, documents and eligibility overrides.

Publication needs (the council's procurement rules, "four eyes"): a complete specification saved
as a version, a valid evaluation model with its rationale, a timetable in the future, a conflicts
of interest declaration by everyone on the tender team, and an officer's approval of exactly that
content by someone who did not draft it. Keyword-only, typed and atomic; each consequential change
writes one audit event in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from commissioning import filetypes
from commissioning.audit import audit_record
from commissioning.links import site_base_url
from commissioning.models import Membership, Role, User
from commissioning.queue import enqueue
from tenders.audit_labels import TenderAction
from tenders.models import (
    ApprovalDecision,
    ApprovalRequest,
    BidderConflictDeclaration,
    ConflictDeclaration,
    EligibilityOverride,
    EvaluatorAssignment,
    SpecificationVersion,
    TeamRole,
    Tender,
    TenderApproval,
    TenderDocument,
    TenderRevision,
    TenderTeamMember,
)
from tenders.sealing import sha256_hex
from tenders.selectors.publication import (
    approval_officers,
    current_declaration,
    evaluation_settings_snapshot,
    latest_approval,
    may_approve,
    publication_readiness,
    tender_content,
    tender_content_sha256,
    timetable_snapshot,
)
from tenders.timetable import CLARIFICATION_BEFORE_SUBMISSION, DEADLINES, timetable_problems

__all__ = [
    "DOCUMENT_TYPES",
    "MAX_DOCUMENT_BYTES",
    "NewDocument",
    "team_member_add",
    "conflict_declare",
    "tender_approval_request",
    "tender_approval_decide",
    "tender_publish",
    "tender_change_publish",
    "document_add",
    "document_remove",
    "eligibility_override_request",
    "eligibility_override_decide",
]


# Types a tender document may have (checked by extension and by their first bytes, commissioning.filetypes).
DOCUMENT_TYPES = filetypes.kinds(".pdf", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods", ".odp", ".csv")
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
TYPES_TEXT = "PDF, Word (DOC, DOCX), Excel (XLS, XLSX), OpenDocument (ODT, ODS, ODP) or CSV"
PUBLISHED_CLOSED_REASON = "The tender was published"
# Links in e-mails: views pass the address the request came to.


@dataclass(frozen=True)
class NewDocument:
    """A document to publish with a tender: its title, the name it was uploaded with, and its bytes."""

    title: str
    filename: str
    data: bytes


def _locked(tender: Tender) -> Tender:
    return Tender.objects.select_for_update(of=("self",)).select_related("council", "created_by").get(pk=tender.pk)


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def _name(user: User) -> str:
    return user.name or user.email


# --- Team and declarations ------------------------------------------------------------------------

TEAM_ROLES = {
    TeamRole.COMMISSIONER: Role.COMMISSIONER,
    TeamRole.OFFICER: Role.OFFICER,
    TeamRole.EVALUATOR: Role.EVALUATOR,
}


@transaction.atomic
def team_member_add(*, tender: Tender, actor: User, user: User, role: str) -> TenderTeamMember:
    """Add a council member to the tender's team in a role they hold in the council."""
    tender = _locked(tender)
    if role not in TEAM_ROLES:
        raise ValidationError({"role": "Choose commissioner, officer or evaluator"}, code="invalid_role")
    if not Membership.objects.filter(council=tender.council, user=user, role=TEAM_ROLES[TeamRole(role)]).exists():
        raise ValidationError(
            {"user": f"{_name(user)} does not have the {TeamRole(role).label.lower()} role in the council"},
            code="not_member",
        )
    member, created = TenderTeamMember.objects.get_or_create(
        council=tender.council, tender=tender, user=user, role=role, defaults={"added_by": actor}
    )
    if not created:
        raise ValidationError({"user": f"{_name(user)} is already on the team as {member.get_role_display().lower()}"})
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.TENDER_TEAM_MEMBER_ADDED,
        target=tender,
        after={"user": user.email, "role": role},
    )
    return member


def _may_declare(tender: Tender, user: User) -> bool:
    if user.pk == tender.created_by_id:
        return True
    if TenderTeamMember.objects.filter(council=tender.council_id, tender=tender, user=user).exists():
        return True
    # An evaluator assigned now declares for the tender too (one register with the team's).
    if EvaluatorAssignment.objects.filter(
        council=tender.council_id, tender=tender, user=user, removed_at__isnull=True
    ).exists():
        return True
    # The officer who approves declares too, team member or not.
    return Membership.objects.filter(council=tender.council_id, user=user, role=Role.OFFICER).exists()


def declaration_renew(
    *,
    tender: Tender,
    actor: User,
    has_conflict: bool,
    details: str,
    from_evaluation: bool = False,
    audit_after: dict[str, Any] | None = None,
) -> ConflictDeclaration:
    """Record ``actor``'s declaration of interests for the tender, superseding their current one
    (kept, with the time). The one write of a tender-level declaration, for the team's
    :func:`conflict_declare` and the evaluators' per-bidder declarations alike; audited. The
    caller holds the lock that serialises the person's declarations and has checked the input."""
    previous = current_declaration(tender=tender, user=actor)
    now = timezone.now()
    if previous is not None:
        ConflictDeclaration.objects.filter(pk=previous.pk).update(superseded_at=now)
    declaration = ConflictDeclaration.objects.create(
        council_id=tender.council_id,
        tender=tender,
        user=actor,
        has_conflict=has_conflict,
        details=details if has_conflict else "",
        from_evaluation=from_evaluation,
    )
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.TENDER_CONFLICT_DECLARED,
        target=tender,
        before={"has_conflict": previous.has_conflict, "details": previous.details} if previous else None,
        after={"has_conflict": declaration.has_conflict, "details": declaration.details, **(audit_after or {})},
    )
    return declaration


@transaction.atomic
def conflict_declare(*, tender: Tender, actor: User, has_conflict: bool, details: str = "") -> ConflictDeclaration:
    """Declare (again) one's interests for the tender. The new declaration replaces the previous
    one, which is kept with the time it was superseded."""
    tender = _locked(tender)
    if not _may_declare(tender, actor):
        raise ValidationError(
            "Only people on the tender team, its evaluators, or an officer, declare interests for it",
            code="not_team",
        )
    details = details.strip()
    if has_conflict and not details:
        raise ValidationError({"details": "Describe the conflict of interest"}, code="required")
    declaration = declaration_renew(tender=tender, actor=actor, has_conflict=has_conflict, details=details)
    if BidderConflictDeclaration.objects.filter(
        council=tender.council_id, tender=tender, user=actor, superseded_at__isnull=True
    ).exists():
        # An evaluator's register also names their conflicts with bidders: renewed from them, with
        # this declaration carried over (both are kept).
        from tenders.services.evaluation import tender_declaration_from_bidders

        return tender_declaration_from_bidders(tender=tender, actor=actor)
    return declaration


# --- Approval and publication ---------------------------------------------------------------------


def _four_eyes(tender: Tender, actor: User) -> None:
    allowed, reason = may_approve(user=actor, tender=tender)
    if not allowed:
        raise ValidationError(reason, code="four_eyes")


@transaction.atomic
def tender_approval_decide(*, tender: Tender, actor: User, decision: str, comment: str = "") -> TenderApproval:
    """An officer approves the tender for publication, or returns it with a reason.

    Four eyes: never the tender's creator nor anyone who saved its specification. The approver
    declares their interests first and may not approve with a declared conflict. Approval needs
    every readiness check to pass, and records the SHA-256 of exactly what was approved.
    """
    tender = _locked(tender)
    if decision not in ApprovalDecision.values:
        raise ValidationError({"decision": "Choose approve or return"}, code="invalid")
    if tender.published_at is not None:
        raise ValidationError("The tender is already published", code="published")
    _four_eyes(tender, actor)
    comment = comment.strip()
    if decision == ApprovalDecision.RETURNED and not comment:
        raise ValidationError({"comment": "Say what needs to change before you can approve it"}, code="required")
    declaration = current_declaration(tender=tender, user=actor)
    if declaration is None:
        raise ValidationError("Declare your interests for this tender before you decide", code="no_declaration")
    content = tender_content(tender=tender)
    version = None
    if decision == ApprovalDecision.APPROVED:
        if declaration.has_conflict:
            raise ValidationError(
                "You declared a conflict of interest for this tender, so another officer must approve it",
                code="conflict",
            )
        problems = [p for check in publication_readiness(tender=tender) for p in check.problems]
        if problems:
            raise ValidationError(problems, code="not_ready")
        version = SpecificationVersion.objects.filter(council=tender.council, tender=tender).order_by("-number").first()
    approval = TenderApproval.objects.create(
        council=tender.council,
        tender=tender,
        decision=decision,
        comment=comment,
        specification_version=version,
        content_sha256=tender_content_sha256(tender=tender, content=content),
        decided_by=actor,
    )
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.TENDER_APPROVED if decision == ApprovalDecision.APPROVED else TenderAction.TENDER_RETURNED,
        target=tender,
        after={
            "decision": decision,
            "comment": comment,
            "specification_version": version.number if version else None,
            "content_sha256": approval.content_sha256,
        },
    )
    return approval


@transaction.atomic
def tender_approval_request(
    *, tender: Tender, actor: User, note: str = "", base_url: str | None = None
) -> ApprovalRequest:
    """A commissioner sends a draft tender for approval: every officer who may approve it (four
    eyes: not one who drafted it) is e-mailed a link to the approval page.

    Only a tender that passes every readiness check can be sent, so officers are not asked to
    look at something that cannot be approved yet. Asking again (after a change, or a return) is
    allowed and recorded; the latest request is the one the tender page shows.
    """
    tender = _locked(tender)
    if tender.published_at is not None:
        raise ValidationError("The tender is already published", code="published")
    problems = [p for check in publication_readiness(tender=tender) for p in check.problems]
    if problems:
        raise ValidationError(["The tender is not ready for approval yet:", *problems], code="not_ready")
    officers = approval_officers(tender=tender)
    if not officers:
        raise ValidationError(
            "No officer who did not draft this tender can approve it: ask your council admin to invite one",
            code="no_officer",
        )
    request = ApprovalRequest.objects.create(
        council=tender.council,
        tender=tender,
        requested_by=actor,
        note=note.strip(),
        asked=[{"id": o.pk, "name": _name(o), "email": o.email} for o in officers],
    )
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.TENDER_APPROVAL_REQUESTED,
        target=tender,
        after={"asked": [o.email for o in officers], "note": request.note},
    )
    from tenders.tasks.publication import notify_officers_of_approval_request

    enqueue(
        notify_officers_of_approval_request,
        council=tender.council,
        request_id=request.pk,
        base_url=base_url or site_base_url(),
    )
    return request


def _close_comment_rounds(tender: Tender, actor: User) -> None:
    """Comments close when the tender is published (the co-design stage's service)."""
    from tenders.services.codesign import comment_rounds_close_for_publication

    comment_rounds_close_for_publication(tender=tender, actor=actor)


@transaction.atomic
def tender_publish(*, tender: Tender, actor: User, now: datetime | None = None) -> TenderRevision:
    """Publish an approved tender: only when the latest approval is an approval of exactly the
    content as it is now. Freezes the specification version, the evaluation model, the timetable
    and the lots as published version 1, and closes any comment round."""
    tender = _locked(tender)
    now = now or timezone.now()
    if tender.published_at is not None:
        raise ValidationError("The tender is already published", code="published")
    approval = latest_approval(tender=tender)
    if approval is None or approval.decision != ApprovalDecision.APPROVED:
        raise ValidationError("An officer who did not draft the tender must approve it first", code="not_approved")
    content = tender_content(tender=tender)
    if approval.content_sha256 != tender_content_sha256(tender=tender, content=content):
        raise ValidationError(
            "The tender changed after it was approved: an officer must approve it again", code="stale_approval"
        )
    problems = [p for check in publication_readiness(tender=tender, now=now) for p in check.problems]
    if problems:
        raise ValidationError(problems, code="not_ready")
    version = approval.specification_version
    if version is None:  # an approval always names the version it approved; never publish without one
        raise ValidationError("The approval names no specification version", code="not_ready")
    tender.published_at = now
    tender.save(update_fields=["published_at", "updated_at"])
    revision = TenderRevision.objects.create(
        council=tender.council,
        tender=tender,
        number=1,
        specification_version=version,
        approval=approval,
        evaluation_model=content["evaluation_model"],
        evaluation_settings=content["evaluation_settings"],
        timetable=content["timetable"],
        lots=content["lots"],
        published_by=actor,
        published_at=now,
    )
    _close_comment_rounds(tender, actor)
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.TENDER_PUBLISHED,
        target=tender,
        after={
            "revision": 1,
            "specification_version": version.number,
            "content_sha256": approval.content_sha256,
        },
    )
    return revision


def _document_checked(document: NewDocument) -> tuple[str, str, bytes]:
    """(title, content type, data) of an acceptable document, or a ValidationError on ``file``."""
    title = " ".join(document.title.split())
    if not title:
        raise ValidationError({"title": "Enter a title for the document"}, code="required")
    if len(title) > 200:
        raise ValidationError({"title": "The title must be 200 characters or fewer"}, code="max_length")
    extension = filetypes.extension(document.filename)
    if extension not in DOCUMENT_TYPES:
        raise ValidationError({"file": f"The document must be a {TYPES_TEXT} file"}, code="type")
    if not document.data:
        raise ValidationError({"file": "The document is empty"}, code="empty")
    if len(document.data) > MAX_DOCUMENT_BYTES:
        raise ValidationError({"file": "The document must be 10 MB or smaller"}, code="size")
    kind = DOCUMENT_TYPES[extension]
    problem = kind.content_problem(document.data)
    if problem == filetypes.UNPACKS_TOO_LARGE:
        raise ValidationError({"file": filetypes.UNPACKS_TOO_LARGE_TEXT}, code="unpacked_size")
    if problem:
        raise ValidationError({"file": f"The file is not a real {extension[1:].upper()} file"}, code="type")
    if not kind.signatures:
        try:
            text = document.data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError({"file": "The CSV file must be text (UTF-8)"}, code="type") from None
        if "\x00" in text:
            raise ValidationError({"file": "The CSV file must be text (UTF-8)"}, code="type")
    return title, kind.content_type, document.data


def _document_create(tender: Tender, actor: User, document: NewDocument) -> TenderDocument:
    title, content_type, data = _document_checked(document)
    stored_name = f"{sha256_hex(data)[:12]}{filetypes.extension(document.filename)}"
    return TenderDocument.objects.create(
        council=tender.council,
        tender=tender,
        title=title,
        file=ContentFile(data, name=stored_name),
        content_type=content_type,
        size=len(data),
        sha256=sha256_hex(data),
        uploaded_by=actor,
    )


@transaction.atomic
def document_add(*, tender: Tender, actor: User, document: NewDocument) -> TenderDocument:
    """Add a document to a draft tender (PDF, Word, Excel, OpenDocument or CSV; at most 10 MB).
    Once the tender is published, documents change only through a published change."""
    tender = _locked(tender)
    if tender.published_at is not None:
        raise ValidationError(
            "The tender is published: an officer publishes a change to add or withdraw documents", code="published"
        )
    created = _document_create(tender, actor, document)
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.TENDER_DOCUMENT_ADDED,
        target=created,
        after={"title": created.title, "size": created.size, "sha256": created.sha256},
    )
    return created


@transaction.atomic
def document_remove(*, document: TenderDocument, actor: User) -> None:
    """Remove a document from a draft tender."""
    tender = _locked(document.tender)
    if tender.published_at is not None:
        raise ValidationError(
            "The tender is published: an officer publishes a change to withdraw a document", code="published"
        )
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.TENDER_DOCUMENT_REMOVED,
        target=document,
        before={"title": document.title, "sha256": document.sha256},
    )
    document.file.delete(save=False)
    document.delete()


def _as_text(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, datetime) else value for key, value in values.items()}


@transaction.atomic
def tender_change_publish(
    *,
    tender: Tender,
    actor: User,
    reason: str,
    description: str | None = None,
    clarification_deadline: datetime | None = None,
    submission_deadline: datetime | None = None,
    add_documents: Sequence[NewDocument] = (),
    withdraw_document_ids: Sequence[int] = (),
    now: datetime | None = None,
    base_url: str | None = None,
) -> TenderRevision:
    """Publish a change to a published tender as its next version, with a reason.

    Deadlines may only be extended, and never to a time already past; the specification, the
    evaluation model and the lots stay as published. Every organisation whose submitted bid was
    made against an earlier version is e-mailed to confirm or resubmit it.
    """
    tender = _locked(tender)
    now = now or timezone.now()
    if tender.published_at is None:
        raise ValidationError("The tender is not published yet: change it, then have it approved", code="draft")
    reason = reason.strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = "Say why the tender is changing: bidders read this"
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    published = (tender.clarification_deadline, tender.submission_deadline)
    proposed: dict[str, datetime | None] = {}
    for (field, _), value, current in zip(
        DEADLINES, (clarification_deadline, submission_deadline), published, strict=True
    ):
        # Forms give minutes: the same minute as now is no change (a deadline stored with seconds).
        unchanged = value is None or (current is not None and _minute(value) == _minute(current))
        proposed[field] = current if unchanged else value
    for problem in timetable_problems(**proposed, now=now, published=published):
        # The order of the deadlines is for when nothing else is wrong (the reason included).
        if problem.message != CLARIFICATION_BEFORE_SUBMISSION or not errors:
            errors[problem.field] = problem.message
    for (field, _), current in zip(DEADLINES, published, strict=True):
        if proposed[field] != current and field not in errors:
            before[field], after[field] = current, proposed[field]
    if description is not None and description.strip() != tender.description:
        before["description"], after["description"] = tender.description, description.strip()
    withdrawn = list(
        TenderDocument.objects.filter(
            council=tender.council, tender=tender, pk__in=list(withdraw_document_ids), withdrawn_at__isnull=True
        )
    )
    if errors:
        raise ValidationError(errors, code="invalid_change")
    checked = [_document_checked(d) for d in add_documents]  # refuse before changing anything
    if not after and not withdrawn and not checked:
        raise ValidationError("Nothing changed: extend a deadline, change the description or the documents")
    for field, value in after.items():
        setattr(tender, field, value)
    tender.save(update_fields=[*after.keys(), "updated_at"])
    if withdrawn:
        TenderDocument.objects.filter(pk__in=[d.pk for d in withdrawn]).update(withdrawn_at=now)
    added = [_document_create(tender, actor, d) for d in add_documents]
    previous = TenderRevision.objects.filter(council=tender.council, tender=tender).order_by("-number").first()
    assert previous is not None, "a published tender has revision 1"
    revision = TenderRevision.objects.create(
        council=tender.council,
        tender=tender,
        number=previous.number + 1,
        reason=reason,
        specification_version=previous.specification_version,
        evaluation_model=previous.evaluation_model,
        # Fixed at publication: carried from the previous version (one published before the
        # snapshot existed gets the tender's, which could not change since).
        evaluation_settings=previous.evaluation_settings or evaluation_settings_snapshot(tender=tender),
        timetable=timetable_snapshot(tender=tender),
        lots=previous.lots,
        changes={
            "before": _as_text(before),
            "after": _as_text(after),
            "documents_added": [d.title for d in added],
            "documents_withdrawn": [d.title for d in withdrawn],
        },
        published_by=actor,
        published_at=now,
    )
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.TENDER_CHANGE_PUBLISHED,
        target=tender,
        before=before or None,
        after={
            **after,
            "revision": revision.number,
            "reason": reason,
            "documents_added": [d.title for d in added],
            "documents_withdrawn": [d.title for d in withdrawn],
        },
    )
    from tenders.tasks.publication import notify_bidders_of_change

    enqueue(
        notify_bidders_of_change,
        council=tender.council,
        tender_id=tender.pk,
        revision_number=revision.number,
        base_url=base_url or site_base_url(),
    )
    return revision


# --- Eligibility overrides --------------------------------------------------------------------------


@transaction.atomic
def eligibility_override_request(
    *,
    tender: Tender,
    actor: User,
    reason: str,
    reserved_for_local: bool,
    reserved_for_vcse: bool,
    reserved_for_sme: bool,
) -> EligibilityOverride:
    """A commissioner asks for eligibility other than the value band's, with a written reason.
    It takes effect only when an officer who did not ask approves it, and only before publication."""
    tender = _locked(tender)
    if tender.published_at is not None:
        raise ValidationError("The tender is published: its eligibility can no longer change", code="published")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Explain why this tender needs different eligibility"}, code="required")
    if EligibilityOverride.objects.filter(council=tender.council, tender=tender, decision="").exists():
        raise ValidationError("A request is already waiting for an officer's decision", code="pending")
    override = EligibilityOverride.objects.create(
        council=tender.council,
        tender=tender,
        reserved_for_local=reserved_for_local,
        reserved_for_vcse=reserved_for_vcse,
        reserved_for_sme=reserved_for_sme,
        reason=reason,
        requested_by=actor,
    )
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.ELIGIBILITY_OVERRIDE_REQUESTED,
        target=override,
        after={
            "reserved_for_local": reserved_for_local,
            "reserved_for_vcse": reserved_for_vcse,
            "reserved_for_sme": reserved_for_sme,
            "reason": reason,
        },
    )
    return override


@transaction.atomic
def eligibility_override_decide(
    *, override: EligibilityOverride, actor: User, decision: str, comment: str = ""
) -> EligibilityOverride:
    """An officer who did not ask approves or refuses an eligibility override (a refusal says why)."""
    override = EligibilityOverride.objects.select_for_update().select_related("tender").get(pk=override.pk)
    tender = _locked(override.tender)
    if override.decision:
        raise ValidationError("This request has already been decided", code="decided")
    if tender.published_at is not None:
        raise ValidationError("The tender is published: its eligibility can no longer change", code="published")
    if override.requested_by_id == actor.pk:
        raise ValidationError("You asked for this override, so another officer must decide it (four eyes)")
    if decision not in ApprovalDecision.values:
        raise ValidationError({"decision": "Choose approve or refuse"}, code="invalid")
    comment = comment.strip()
    if decision == ApprovalDecision.RETURNED and not comment:
        raise ValidationError({"comment": "Say why you refuse the request"}, code="required")
    override.decision = decision
    override.decision_comment = comment
    override.decided_by = actor
    override.decided_at = timezone.now()
    override.save()
    audit_record(
        council=tender.council,
        actor=actor,
        action=(
            TenderAction.ELIGIBILITY_OVERRIDE_APPROVED
            if decision == ApprovalDecision.APPROVED
            else TenderAction.ELIGIBILITY_OVERRIDE_REFUSED
        ),
        target=override,
        after={"decision": decision, "comment": comment},
    )
    return override
