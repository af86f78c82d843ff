"""Reads of bid opening on the council side.

Before the submission deadline the council may know one fact about the bids: how many were
received (:func:`bids_received_count`). Everything else (who bid, what they wrote, their
attachments) is read through :func:`opened_bids` / :func:`opened_bid`, which decrypt with
``tenders.sealing.unseal(..., reader=Reader.COUNCIL)`` and so raise :class:`SealedError` before
the deadline, whatever page, API or export asks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from commissioning.models import Organisation
from tenders import eligibility, sealing
from tenders import exclusion as exclusion_grounds
from tenders.models import Bid, BidAttachment, BidStatus, BidSubmission, Criterion, CriterionKind, Lot, Tender
from tenders.sealing import Reader, SealedError
from tenders.selectors.publication import TenderEligibility, tender_eligibilities

__all__: list[str] = [
    "bids_received_count",
    "bids_are_sealed",
    "BidCheck",
    "AnswerRow",
    "PriceRow",
    "OpenedBid",
    "opened_bids",
    "opened_bid",
    "bid_rows",
    "opened_attachment",
]

QUESTION_KINDS = (CriterionKind.QUALITY, CriterionKind.SOCIAL_VALUE)


def bids_received_count(*, tender: Tender) -> int:
    """How many organisations have a submitted bid: the only bid fact the council may see before the deadline."""
    return Bid.objects.filter(council=tender.council_id, tender=tender, status=BidStatus.SUBMITTED).count()


def bids_are_sealed(*, tender: Tender, now: datetime | None = None) -> bool:
    """Whether the council side must not read this tender's bids yet (by the server clock)."""
    return not sealing.may_unseal(tender, Reader.COUNCIL, now)


@dataclass(frozen=True)
class BidCheck:
    """One line of the compliance check: what was checked, whether it passed, and why not."""

    label: str
    passed: bool
    detail: str = ""


@dataclass(frozen=True)
class AnswerRow:
    key: str
    title: str
    kind: str
    text: str
    attachments: list[BidAttachment]


@dataclass(frozen=True)
class PriceRow:
    key: str
    title: str
    price: str


@dataclass
class OpenedBid:
    """A submitted bid as the council reads it after the deadline: its last submission, decrypted."""

    bid: Bid
    organisation: Organisation
    submission: BidSubmission | None
    eligibility: eligibility.Eligibility
    content: dict[str, Any] = field(default_factory=dict)
    answers: list[AnswerRow] = field(default_factory=list)
    prices: list[PriceRow] = field(default_factory=list)
    commitments: list[dict[str, Any]] = field(default_factory=list)
    declarations: dict[str, Any] = field(default_factory=dict)
    attachments: list[BidAttachment] = field(default_factory=list)
    checks: list[BidCheck] = field(default_factory=list)

    @property
    def checks_passed(self) -> bool:
        return all(check.passed for check in self.checks)


def _require_open(tender: Tender, now: datetime | None) -> None:
    if bids_are_sealed(tender=tender, now=now):
        raise SealedError("Bids for this tender are sealed until the submission deadline")


def _submitted_bids(tender: Tender) -> QuerySet[Bid]:
    council = tender.council_id
    return (
        Bid.objects.filter(council=council, tender=tender, status=BidStatus.SUBMITTED)
        .select_related("organisation", "compliance_by")
        .prefetch_related(
            Prefetch(
                "submissions",
                queryset=BidSubmission.objects.filter(council=council).order_by("-number"),
                to_attr="submissions_newest_first",
            ),
            Prefetch(
                "attachments",
                queryset=BidAttachment.objects.filter(council=council).order_by("uploaded_at", "pk"),
                to_attr="all_attachments",
            ),
        )
        .order_by("pk")
    )


def _declaration_checks(declarations: dict[str, Any]) -> list[BidCheck]:
    exclusion = declarations.get("exclusion_grounds")
    named = "; ".join(exclusion_grounds.names(list(declarations.get("exclusion_ground_keys") or [])))
    conflicts = declarations.get("conflicts")
    checks = [
        BidCheck(
            "Mandatory declarations made",
            exclusion is not None and conflicts is not None,
            "" if exclusion is not None and conflicts is not None else "The bid does not answer every declaration",
        ),
        BidCheck(
            "No grounds for exclusion declared",
            exclusion is False,
            ""
            if exclusion is not True
            else "The organisation declared that grounds for exclusion apply to it: "
            + (named or "none named")
            + ". Read its details and self-cleaning evidence under Declarations",
        ),
    ]
    if conflicts:
        details = str(declarations.get("conflicts_details") or "").strip()
        checks.append(BidCheck("No conflict of interest declared", False, details or "No details given"))
    else:
        checks.append(BidCheck("No conflict of interest declared", conflicts is False))
    return checks


def _attachment_ids(content: dict[str, Any]) -> set[int] | None:
    """Ids of the attachments the submission names, if it names them (else: the bid's current ones)."""
    listed = content.get("attachments")
    if not isinstance(listed, list):
        return None
    ids = set()
    for item in listed:
        value = item.get("id") if isinstance(item, dict) else item
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            ids.add(int(value))
    return ids


def _open(
    bid: Bid,
    *,
    tender: Tender,
    questions: list[Criterion],
    lots: list[Lot],
    eligibility_of: TenderEligibility,
    now: datetime | None,
    decrypt: bool,
) -> OpenedBid:
    submissions = bid.submissions_newest_first  # type: ignore[attr-defined]
    submission = submissions[0] if submissions else None
    opened = OpenedBid(
        bid=bid,
        organisation=bid.organisation,
        submission=submission,
        eligibility=eligibility_of.of(bid.organisation),
    )
    eligible = opened.eligibility
    eligible_check = BidCheck("Eligible under the local spend policy", eligible.eligible, " ".join(eligible.reasons))
    if not decrypt or submission is None:
        opened.checks = [eligible_check]
        return opened
    content = sealing.unseal_json(tender, submission.content, reader=Reader.COUNCIL, now=now)
    if not isinstance(content, dict):
        content = {}
    opened.content = content
    ids = _attachment_ids(content)
    attachments = [
        a
        for a in bid.all_attachments  # type: ignore[attr-defined]
        if (a.pk in ids if ids is not None else a.removed_at is None)
    ]
    sealing.unseal_attachment_details(tender, attachments, reader=Reader.COUNCIL, now=now)
    opened.attachments = attachments
    answers = content.get("answers") or {}
    known = set()
    for question in questions:
        key = str(question.pk)
        known.add(key)
        opened.answers.append(
            AnswerRow(
                key=key,
                title=question.title,
                kind=question.get_kind_display(),
                text=str(answers.get(key, "") or ""),
                attachments=[a for a in attachments if a.question == key],
            )
        )
    for key, text in answers.items() if isinstance(answers, dict) else ():
        if key not in known:  # a question removed by a later revision: still shown, never lost
            opened.answers.append(AnswerRow(key, "A question no longer in the tender", "", str(text or ""), []))
    prices = content.get("prices") or {}
    lot_titles = {str(lot.pk): lot.title for lot in lots}
    if isinstance(prices, dict):
        opened.prices = [
            PriceRow(key, lot_titles.get(key, "The whole tender"), str(price)) for key, price in prices.items()
        ]
    commitments = content.get("commitments") or []
    opened.commitments = [c for c in commitments if isinstance(c, dict)] if isinstance(commitments, list) else []
    declarations = content.get("declarations") or {}
    opened.declarations = declarations if isinstance(declarations, dict) else {}
    opened.checks = [*_declaration_checks(opened.declarations), eligible_check]
    return opened


def _context(tender: Tender) -> dict[str, Any]:
    council = tender.council_id
    return {
        "questions": list(
            Criterion.objects.filter(council=council, tender=tender, kind__in=QUESTION_KINDS).order_by("position", "pk")
        ),
        "lots": list(Lot.objects.filter(council=council, tender=tender).order_by("position", "pk")),
        # Who may bid, read once, so a list of bids costs the same queries however long it is.
        "eligibility_of": tender_eligibilities(tenders=[tender])[tender.pk],
    }


def opened_bids(*, tender: Tender, now: datetime | None = None) -> list[OpenedBid]:
    """Every submitted bid of the tender with its last submission decrypted. After the deadline only.

    Raises :class:`SealedError` before the submission deadline (by the server clock).
    """
    _require_open(tender, now)
    context = _context(tender)
    return [_open(bid, tender=tender, now=now, decrypt=True, **context) for bid in _submitted_bids(tender)]


def bid_rows(*, tender: Tender, now: datetime | None = None) -> list[OpenedBid]:
    """The submitted bids for the table of bids: who, the receipt, eligibility and compliance,
    without decrypting any content. After the deadline only (who bid is sealed too)."""
    _require_open(tender, now)
    context = _context(tender)
    return [_open(bid, tender=tender, now=now, decrypt=False, **context) for bid in _submitted_bids(tender)]


def opened_bid(*, tender: Tender, bid_id: int, now: datetime | None = None) -> OpenedBid:
    """One submitted bid, decrypted. After the deadline only; 404 for a bid that is not submitted."""
    _require_open(tender, now)
    bid = _submitted_bids(tender).filter(pk=bid_id).first()
    if bid is None:
        raise Http404("No such bid")
    return _open(bid, tender=tender, now=now, decrypt=True, **_context(tender))


def opened_attachment(
    *, tender: Tender, bid_id: int, attachment_id: int, now: datetime | None = None
) -> tuple[BidAttachment, bytes]:
    """An attachment of a submitted bid and its decrypted bytes. After the deadline only."""
    _require_open(tender, now)
    attachment = (
        BidAttachment.objects.filter(
            Q(bid__status=BidStatus.SUBMITTED),
            council=tender.council_id,
            bid__tender=tender,
            bid_id=bid_id,
            pk=attachment_id,
        )
        .select_related("bid")
        .first()
    )
    if attachment is None:
        raise Http404("No such attachment")
    sealing.unseal_attachment_details(tender, [attachment], reader=Reader.COUNCIL, now=now)
    with attachment.file.open("rb") as handle:
        token = handle.read().decode()
    return attachment, sealing.unseal(tender, token, reader=Reader.COUNCIL, now=now)
