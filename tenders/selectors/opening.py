"""Reads of bid opening on the council side.

Before the submission deadline the council may know one fact about the bids: how many were
received (:func:`bids_received_count`). Everything else (who bid, what they wrote, their
attachments) is read through :func:`opened_bids` / :func:`opened_bid`, which decrypt with
``tenders.sealing.unseal(..., reader=Reader.COUNCIL)`` and so raise :class:`SealedError` before
the deadline, whatever page, API or export asks.

Lists of bids are read a page at a time: :func:`submitted_bids` is the query to paginate (who bid,
the compliance decision and the receipt of the newest submission, never the encrypted draft, and
the newest submission's content only when asked); :func:`bid_rows` shows a page without
decrypting anything, :func:`opened_bids` decrypts the page's newest submissions and the details of
the attachments they name, and nothing else. So a page costs the same queries and the same decryption however many
bids the tender has.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from django.core.paginator import Page
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from commissioning.models import Council, Organisation
from commissioning.paginator import kept_page
from social_value.commitments import CommitmentTable, commitment_table, measure_version_id
from social_value.selectors import measure_facts
from tenders import eligibility, kept, sealing
from tenders import exclusion as exclusion_grounds
from tenders.models import Bid, BidAttachment, BidStatus, BidSubmission, Criterion, CriterionKind, Lot, Tender
from tenders.sealing import Reader, SealedError
from tenders.selectors.publication import (
    TenderEligibility,
    published_settings_subquery,
    tender_eligibilities,
    with_published_settings,
)

__all__: list[str] = [
    "opening_tender",
    "kept_opening_tender",
    "submitted_bids",
    "bids_received_count",
    "bids_are_sealed",
    "BidCheck",
    "AnswerRow",
    "PriceRow",
    "OpenedBid",
    "opened_bids",
    "opened_bid",
    "bid_rows",
    "bid_table_page",
    "opened_attachment",
]

T = TypeVar("T")

QUESTION_KINDS = (CriterionKind.QUALITY, CriterionKind.SOCIAL_VALUE)

# The columns a list of bids reads: never ``Bid.draft`` (the provider's encrypted working draft,
# which the council never reads) nor the person's password hash.
BID_COLUMNS = (
    "id",
    "council_id",
    "tender_id",
    "organisation",
    "status",
    "compliance",
    "compliance_reason",
    "compliance_by__id",
    "compliance_by__email",
    "compliance_by__name",
    "compliance_at",
)
# The receipt of a bid's newest submission, read with the bid; ``content`` (encrypted) only where it
# is decrypted and shown.
RECEIPT_COLUMNS = ("id", "number", "reference", "submitted_at", "sha256", "revision_number")
# An attachment's row without its file's path: the list shows its (encrypted) details and links to it.
ATTACHMENT_COLUMNS = ("id", "council_id", "bid_id", "question", "details", "sha256", "uploaded_at", "removed_at")


def opening_tender(*, council: Council, tender_id: int, with_key: bool = False) -> Tender:
    """One tender of the council for the bid opening pages and API (404 otherwise): the tender's row
    alone, with the council of the URL, and with its wrapped data key when the caller decrypts
    (``with_key``), so opening bids reads neither again. Its evaluation settings (blind evaluation,
    price formula, tie-break) are the published ones, from its latest revision, in the same query:
    evaluation, moderation, prices and the results decide by what bidders were told."""
    tenders = (
        Tender.objects.filter(council=council, pk=tender_id)
        .annotate(published_settings=published_settings_subquery())
        .order_by()  # one row: no join to sort by
    )
    tender = (tenders.select_related("key") if with_key else tenders).first()
    if tender is None:
        raise Http404("No such tender")
    tender.council = council  # the same row (filtered by it): eligibility reads its local area from it
    return with_published_settings(tender, getattr(tender, "published_settings", None))


def kept_opening_tender(*, council: Council, tender_id: int) -> Tender:
    """:func:`opening_tender` without its key, kept on the council's list shelf
    (``tenders.kept.COUNCIL``: renewed by any save of the council's tenders or revisions, and by
    tenders' ``update()``), for the table of bids, which reads it on every visit. Pages that
    decrypt read the tender afresh with its key. A tender that is not the council's is a 404 and
    keeps nothing."""
    now = timezone.now()
    tender = kept.COUNCIL.kept(
        ("opening tender", tender_id),
        now,
        lambda: opening_tender(council=council, tender_id=tender_id),
        scope=council.pk,
    )
    tender.council = council
    return tender


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
    # The commitments as evaluators read them: rows with the framework's words, totals per measure
    # and unit, indicative proxy values (social_value.commitments).
    commitment_table: CommitmentTable = field(default_factory=lambda: commitment_table([]))
    declarations: dict[str, Any] = field(default_factory=dict)
    attachments: list[BidAttachment] = field(default_factory=list)
    checks: list[BidCheck] = field(default_factory=list)

    @property
    def checks_passed(self) -> bool:
        return all(check.passed for check in self.checks)


def _require_open(tender: Tender, now: datetime | None) -> None:
    if bids_are_sealed(tender=tender, now=now):
        raise SealedError("Bids for this tender are sealed until the submission deadline")


def submitted_bids(*, tender: Tender, now: datetime | None = None, content: bool = False) -> QuerySet[Bid]:
    """The tender's submitted bids, oldest first, with their organisations, who decided their
    compliance and the receipt of their newest submission (the one that counts), in one query: the
    query a page of bids paginates (give its page to :func:`bid_rows`, or, read with ``content``,
    to :func:`opened_bids`). Reads no encrypted column but the newest submission's content, and
    that only with ``content``. After the deadline only (who bid is sealed too).
    """
    _require_open(tender, now)
    newest = BidSubmission.objects.filter(bid=OuterRef("pk")).order_by("-number")
    columns = (*RECEIPT_COLUMNS, *(("content",) if content else ()))
    return (
        Bid.objects.filter(council=tender.council_id, tender=tender, status=BidStatus.SUBMITTED)
        .select_related("organisation", "compliance_by")
        .only(*BID_COLUMNS)
        .annotate(**{f"newest_{column}": Subquery(newest.values(column)[:1]) for column in columns})
        .order_by("pk")
    )


def _newest_submission(bid: Bid) -> BidSubmission | None:
    """The newest submission :func:`submitted_bids` read with the bid (the columns it read; the rest deferred)."""
    read = {
        column: getattr(bid, f"newest_{column}")
        for column in (*RECEIPT_COLUMNS, "content")
        if hasattr(bid, f"newest_{column}")
    }
    if read.get("id") is None:
        return None
    read.update(council_id=bid.council_id, bid_id=bid.pk)
    names = [f.attname for f in BidSubmission._meta.concrete_fields if f.attname in read]
    return BidSubmission.from_db(Bid.objects.db, names, [read[name] for name in names])


def _page_of(tender: Tender, bids: Iterable[Bid] | None, now: datetime | None, *, content: bool) -> list[Bid]:
    page = list(submitted_bids(tender=tender, now=now, content=content) if bids is None else bids)
    if any(bid.tender_id != tender.pk for bid in page):
        raise ValueError("Every bid given must be a bid for this tender")
    if content and any(not hasattr(bid, "newest_content") for bid in page):
        raise ValueError("Read the bids to open with submitted_bids(content=True)")
    return page


def _read_attachments(bids: list[Bid], *, council_id: int) -> None:
    """Every attachment of each bid, removed ones too (an older submission may name them), in one query."""
    attachments = (
        BidAttachment.objects.filter(council=council_id).only(*ATTACHMENT_COLUMNS).order_by("uploaded_at", "pk")
    )
    prefetch_related_objects(bids, Prefetch("attachments", queryset=attachments, to_attr="all_attachments"))


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
        if isinstance(value, int) or (isinstance(value, str) and value.isdecimal()):
            ids.add(int(value))
    return ids


def _open(
    bid: Bid,
    *,
    tender: Tender,
    eligibility_of: TenderEligibility,
    now: datetime | None,
    questions: list[Criterion] | None = None,
    lots: list[Lot] | None = None,
) -> OpenedBid:
    """The bid as the council reads it; its newest submission decrypted when given the tender's
    ``questions`` and ``lots`` (the table of bids gives neither, and decrypts nothing)."""
    submission = _newest_submission(bid)
    opened = OpenedBid(
        bid=bid,
        organisation=bid.organisation,
        submission=submission,
        eligibility=eligibility_of.of(bid.organisation),
    )
    eligible = opened.eligibility
    eligible_check = BidCheck("Eligible under the local spend policy", eligible.eligible, " ".join(eligible.reasons))
    if questions is None or lots is None or submission is None:
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


def _questions_and_lots(tender: Tender) -> dict[str, Any]:
    council = tender.council_id
    return {
        "questions": list(
            Criterion.objects.filter(council=council, tender=tender, kind__in=QUESTION_KINDS).order_by("position", "pk")
        ),
        "lots": list(Lot.objects.filter(council=council, tender=tender).order_by("position", "pk")),
    }


def _eligibility_of(tender: Tender) -> TenderEligibility:
    # Who may bid, read once, so a list of bids costs the same queries however long it is.
    return tender_eligibilities(tenders=[tender])[tender.pk]


def _opening_context(tender: Tender) -> dict[str, Any]:
    """What opening any of the tender's bids reads of the tender: who may bid, its questions and
    its lots. The same for every bid and reader, so kept per tender with its results (their shelf
    watches the criteria, lots, eligibility overrides, spend policy bands and the council). Only
    asked after the deadline (the callers check the seal first); no bid's content is in it."""

    def read() -> dict[str, Any]:
        return {"eligibility_of": _eligibility_of(tender), **_questions_and_lots(tender)}

    return kept.kept_results(tender, read, parts=("opening context",))


def opened_bids(*, tender: Tender, bids: Iterable[Bid] | None = None, now: datetime | None = None) -> list[OpenedBid]:
    """The submitted bids given (a page of :func:`submitted_bids`; every one if none is given),
    each with its newest submission decrypted. After the deadline only.

    Raises :class:`SealedError` before the submission deadline (by the server clock). Decrypts each
    bid's newest submission once and the details of the attachments it names: nothing of a bid
    not given, nor of an older submission.
    """
    _require_open(tender, now)
    page = _page_of(tender, bids, now, content=True)
    if not page:
        return []
    _read_attachments(page, council_id=tender.council_id)
    context = _opening_context(tender)
    opened = [_open(bid, tender=tender, now=now, **context) for bid in page]
    _tabulate_commitments(tender, opened)
    return opened


def _tabulate_commitments(tender: Tender, opened: list[OpenedBid]) -> None:
    """Each bid's commitments as a table, with what the council's framework says of the measures
    they picked: one query for all the bids (none when no commitment picked a measure)."""
    ids = {
        version_id
        for bid in opened
        for c in bid.commitments
        if (version_id := measure_version_id(c.get("measure_version"))) is not None
    }
    facts = measure_facts(council=tender.council_id, ids=ids)
    for bid in opened:
        bid.commitment_table = commitment_table(bid.commitments, facts)


def bid_rows(*, tender: Tender, bids: Iterable[Bid] | None = None, now: datetime | None = None) -> list[OpenedBid]:
    """The submitted bids given (a page of :func:`submitted_bids`; every one if none is given) for
    the table of bids: who, the receipt, eligibility and compliance, without reading or decrypting
    any content. After the deadline only (who bid is sealed too)."""
    _require_open(tender, now)
    page = _page_of(tender, bids, now, content=False)
    if not page:
        return []
    eligibility_of = _eligibility_of(tender)  # the table's rows are kept whole (bid_table_page)
    return [_open(bid, tender=tender, now=now, eligibility_of=eligibility_of) for bid in page]


def bid_table_page(
    *,
    tender: Tender,
    number: object,
    per_page: int,
    make: Callable[[list[OpenedBid]], T],
    parts: tuple[object, ...] = (),
    now: datetime | None = None,
) -> tuple[Page, T]:
    """Page ``number`` of the table of bids (as Django's ``get_page`` reads it: the nearest page
    that is one) and what ``make`` makes of its rows (:func:`bid_rows`; the view writes them as
    HTML, so a kept page is neither read nor written again). ``parts``: what else ``make``'s
    answer depends on (the rows' link, say). After the deadline only.

    Both are kept per tender with its results (``tenders.kept``: a write to the tender, its bids,
    their organisations, its eligibility override, the council or its spend policy renews them;
    no bid can be submitted after the deadline). What is kept is what the table shows and nothing
    sealed: no content was read, and who decided the compliance is dropped before ``make`` sees
    the rows."""
    _require_open(tender, now)

    def rows(offset: int, limit: int) -> T:
        made = bid_rows(tender=tender, bids=submitted_bids(tender=tender, now=now)[offset : offset + limit], now=now)
        for row in made:
            Bid.compliance_by.field.delete_cached_value(row.bid)  # a person's row: not to be kept
        return make(made)

    return kept_page(
        number,
        per_page,
        keep=lambda more, work_out: kept.kept_results(tender, work_out, parts=("bids table", *more, *parts)),
        count=lambda: submitted_bids(tender=tender, now=now).count(),
        make=rows,
    )


def opened_bid(*, tender: Tender, bid_id: int, now: datetime | None = None) -> OpenedBid:
    """One submitted bid, decrypted. After the deadline only; 404 for a bid that is not submitted."""
    bid = submitted_bids(tender=tender, now=now, content=True).filter(pk=bid_id).first()
    if bid is None:
        raise Http404("No such bid")
    (opened,) = opened_bids(tender=tender, bids=[bid], now=now)
    return opened


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
