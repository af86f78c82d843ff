"""Reads of bids on the provider side: the opportunity finder, a person's bids, one bid and its receipts.

Provider reads are given the organisation (through the person's memberships); council-owned reads
run inside the council's scope. Two reads are deliberately across councils, each saying why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from commissioning.models import Council, Organisation, User
from commissioning.tenancy import platform_scope
from tenders import public_cache, sealing
from tenders.bid_problems import BidProblem, draft_problems
from tenders.keyset import Cursor
from tenders.models import (
    Bid,
    BidAttachment,
    BidStatus,
    BidSubmission,
    Criterion,
    CriterionKind,
    Lot,
    Tender,
    TenderRevision,
)
from tenders.selectors.policy import organisation_facts
from tenders.selectors.publication import TenderEligibility, tender_eligibilities
from tenders.timetable import PUBLISHED_STATUSES, STATUS_GROUPS, STATUS_LABELS, STATUS_TAGS, Status, takes_bids

__all__ = [
    "OpportunityFilters",
    "Opportunity",
    "OpportunityPage",
    "opportunity_list",
    "provider_organisations",
    "MyBid",
    "bids_for_user",
    "bid_for_member",
    "bid_of_organisations",
    "bid_submissions",
    "bid_questions",
    "bid_draft",
    "bid_problems",
    "bid_content_for_submission",
    "bid_attachments",
    "submission_for_member",
    "submission_content",
    "open_tender_for_bids",
    "Difference",
    "ChangeSinceSubmission",
    "changes_since_submission",
]


# The finder shows this many opportunities a page (GOV.UK finders show 20).
FINDER_PAGE_SIZE = 20
# With "open to me", a page is made from at most this many candidates in deadline order: eligibility
# is the pure rule in Python (tenders.eligibility), so the database cannot skip ineligible rows.
OPEN_TO_ME_WINDOW = 200
# The finder counts matches up to this many, then says "more than": counting is bounded too.
COUNT_LIMIT = 1000

# The finder's status choices: open (the default), closed, or both.
STATUS_ALL = "all"
FINDER_STATUSES = {**STATUS_GROUPS, STATUS_ALL: PUBLISHED_STATUSES}


@dataclass(frozen=True)
class OpportunityFilters:
    council: str = ""
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    closing_before: date | None = None
    status: str = "open"  # "open" (the default), "closed" or "all"
    open_to_me: bool = False

    @property
    def newest_first(self) -> bool:
        """Closed opportunities are listed most recently closed first; the others soonest deadline first."""
        return self.status == "closed"


@dataclass
class Opportunity:
    """A published tender as the public sees it: only what its notice shows."""

    tender: Tender
    council: Council
    status: Status
    open_to: list[str] = field(default_factory=list)  # names of the person's organisations that may bid

    @property
    def is_open(self) -> bool:
        return takes_bids(self.status)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def status_tag(self) -> str:
        return STATUS_TAGS[self.status]


@dataclass
class OpportunityPage:
    """One page of the finder, with the positions of the pages either side (None: no such page).

    ``count`` is how many opportunities match, when known: up to :data:`COUNT_LIMIT` (``more_than``
    says there are more); with "open to me" only when one page held them all (otherwise None).
    """

    opportunities: list[Opportunity]
    next: Cursor | None = None
    previous: Cursor | None = None
    count: int | None = None
    more_than: bool = False
    checked: int = 0  # with "open to me": how many opportunities were checked to make this page


def provider_organisations(*, user: User) -> list[Organisation]:
    if not user.is_authenticated:
        return []
    return list(Organisation.objects.of_user(user).order_by("name").distinct())


def _after(tenders: Any, cursor: Cursor, *, ascending: bool) -> Any:
    """Rows strictly after ``cursor`` in (deadline, id) order, written so the index can seek to it:
    a range on the deadline, then the tie on the id."""
    d, i = cursor.deadline, cursor.tender_id
    if ascending:
        return tenders.filter(
            Q(submission_deadline__gt=d) | Q(submission_deadline=d, pk__gt=i), submission_deadline__gte=d
        )
    return tenders.filter(Q(submission_deadline__lt=d) | Q(submission_deadline=d, pk__lt=i), submission_deadline__lte=d)


def _position(tender: Tender) -> Cursor:
    return Cursor(deadline=cast(datetime, tender.submission_deadline), tender_id=tender.pk)


@dataclass(frozen=True)
class _FinderWindow:
    """What a finder page shows everyone, before the person's own part: kept by tenders.public_cache."""

    rows: list[Tender]
    more: bool
    count: int | None
    more_than: bool
    rules: dict[int, TenderEligibility]


def _finder_window(
    filters: OpportunityFilters,
    statuses: frozenset[Status],
    cursor: Cursor | None,
    *,
    ascending: bool,
    limit: int,
    now: datetime,
) -> _FinderWindow:
    with platform_scope():
        tenders = (
            Tender.objects.in_status(*statuses, at=now)
            .filter(submission_deadline__isnull=False)
            .select_related("council")
            .only(
                "id",
                "council_id",
                "title",
                "estimated_value",
                "clarification_deadline",
                "submission_deadline",
                "published_at",
                "council__id",
                "council__name",
                "council__slug",
                "council__display_name",
                "council__local_area",
            )
        )
        if filters.council:
            tenders = tenders.filter(council__slug=filters.council)
        if filters.min_value is not None:
            tenders = tenders.filter(estimated_value__gte=filters.min_value)
        if filters.max_value is not None:
            tenders = tenders.filter(estimated_value__lte=filters.max_value)
        if filters.closing_before is not None:
            tenders = tenders.filter(submission_deadline__date__lt=filters.closing_before)
        seek = _after(tenders, cursor, ascending=ascending) if cursor is not None else tenders
        order = ("submission_deadline", "pk") if ascending else ("-submission_deadline", "-pk")
        rows = list(seek.order_by(*order)[: limit + 1])
        more, rows = len(rows) > limit, rows[:limit]
        count, more_than = None, False
        if not filters.open_to_me:
            # Bounded: the database stops counting at COUNT_LIMIT + 1 rows.
            found = tenders.order_by()[: COUNT_LIMIT + 1].count()
            count, more_than = min(found, COUNT_LIMIT), found > COUNT_LIMIT
        # Worked out for every row, signed in or not, so one kept answer serves everyone.
        rules = tender_eligibilities(tenders=rows)
    return _FinderWindow(rows=rows, more=more, count=count, more_than=more_than, rules=rules)


def opportunity_list(
    *,
    filters: OpportunityFilters,
    user: User | None = None,
    after: Cursor | None = None,
    before: Cursor | None = None,
    now: datetime | None = None,
    page_size: int = FINDER_PAGE_SIZE,
) -> OpportunityPage:
    """One page of published tenders of every council, filtered, in a constant number of queries.

    Deliberately across councils (platform_scope): a published opportunity is public, on every
    council's notice board and in open data, and providers look for work across councils. Only
    published tenders are read, and only the fields their public notice shows.

    Keyset pagination on (submission deadline, id): ``after`` (or ``before``) is the position the
    page continues from, so the database seeks through the index instead of counting past earlier
    pages, and equal deadlines keep a stable order. Soonest deadline first; closed ones most recently
    closed first.

    "Open to me" applies the local spend policy through ``tender_eligibilities`` (the band in force
    when the tender was published, with an approved eligibility override), for the shown page only;
    the "open to me" filter checks at most :data:`OPEN_TO_ME_WINDOW` candidates for a page.
    """
    now = now or timezone.now()
    organisations = provider_organisations(user=user) if user is not None else []
    facts = [organisation_facts(o) for o in organisations]
    # "Open to me" is about bidding now: it never lists a tender that is not taking bids.
    statuses = FINDER_STATUSES.get(filters.status, STATUS_GROUPS["open"])
    if filters.open_to_me:
        statuses = statuses & STATUS_GROUPS["open"]
    backwards = before is not None and after is None
    ascending = filters.newest_first == backwards
    cursor = before if backwards else after
    limit = OPEN_TO_ME_WINDOW if filters.open_to_me else page_size
    window = public_cache.kept(
        ("finder", filters, sorted(statuses), cursor, ascending, limit, COUNT_LIMIT),
        now,
        lambda: _finder_window(filters, statuses, cursor, ascending=ascending, limit=limit, now=now),
    )
    rows, more, rules = window.rows, window.more, window.rules
    count, more_than = window.count, window.more_than
    if filters.open_to_me:
        shown, examined = [], 0
        for tender in rows:
            examined += 1
            rule = rules.get(tender.pk)
            if rule is not None and any(rule.may_bid(f) for f in facts):
                shown.append(tender)
                if len(shown) == page_size:
                    break
        more = more or examined < len(rows)
        rows = rows[:examined]
    else:
        shown = rows
    if filters.open_to_me and cursor is None and not more:
        count = len(shown)
    page = OpportunityPage(opportunities=[], count=count, more_than=more_than, checked=len(rows))
    if backwards:
        assert before is not None
        shown = shown[::-1]
        page.next = _position(rows[0]) if rows else Cursor(before.deadline, max(before.tender_id - 1, 0))
        page.previous = _position(rows[-1]) if more else None
    else:
        page.next = _position(rows[-1]) if more else None
        if after is not None:
            page.previous = _position(rows[0]) if rows else Cursor(after.deadline, after.tender_id + 1)
    for tender in shown:
        rule = rules.get(tender.pk)
        page.opportunities.append(
            Opportunity(
                tender=tender,
                council=tender.council,
                status=tender.status_at(now),
                open_to=[f.name for f in facts if rule is not None and rule.may_bid(f)],
            )
        )
    return page


@dataclass
class MyBid:
    bid: Bid
    tender: Tender
    council: Council
    last_submission: BidSubmission | None
    submissions: int


def bids_for_user(*, user: User) -> list[MyBid]:
    """The bids of every organisation the person belongs to, in every council, newest first.

    Deliberately across councils (platform_scope): a provider works with many councils and these
    are its own bids; the query is limited to the person's organisations.
    """
    if not user.is_authenticated:
        return []
    with platform_scope():
        bids = list(
            Bid.objects.filter(organisation__in=Organisation.objects.of_user(user))
            .select_related("tender", "tender__council", "organisation")
            .defer("draft")
            .annotate(submission_count=Count("submissions", distinct=True))
            .prefetch_related(
                Prefetch("submissions", queryset=BidSubmission.objects.defer("content").order_by("-number"))
            )
            .order_by("-updated_at", "-pk")
        )
    return [
        MyBid(
            bid=bid,
            tender=bid.tender,
            council=bid.tender.council,
            last_submission=next(iter(bid.submissions.all()), None),
            submissions=bid.submission_count,
        )
        for bid in bids
    ]


def bid_of_organisations(*, user: User, bid_id: int) -> Bid:
    """One bid of the person's organisations, in any council (platform-level lookup by the
    provider's own membership); 404 otherwise. The caller re-enters the bid's council scope."""
    if not user.is_authenticated:
        raise Http404("No such bid")
    with platform_scope():
        bid = (
            Bid.objects.filter(pk=bid_id, organisation__in=Organisation.objects.of_user(user))
            .select_related("tender", "tender__council", "organisation", "council")
            .first()
        )
    if bid is None:
        raise Http404("No such bid")
    return bid


def bid_for_member(*, council: Council, tender: Tender, bid_id: int, user: User) -> Bid:
    """The bid, if it is for this tender and the person is a member of its organisation; 404 otherwise."""
    bid = (
        Bid.objects.filter(
            council=council, tender=tender, pk=bid_id, organisation__in=Organisation.objects.of_user(user)
        )
        .select_related("organisation", "tender", "tender__council")
        .first()
    )
    if bid is None:
        raise Http404("No such bid")
    return bid


def open_tender_for_bids(*, council: Council, tender_id: int) -> Tender:
    """A published tender of the council (any provider may see it is there); 404 for a draft."""
    tender = (
        Tender.objects.filter(council=council, pk=tender_id)
        .in_status(*PUBLISHED_STATUSES, at=timezone.now())
        .select_related("council")
        .first()
    )
    if tender is None:
        raise Http404("No such opportunity")
    return tender


def bid_submissions(*, bid: Bid) -> list[BidSubmission]:
    return list(
        BidSubmission.objects.filter(council=bid.council_id, bid=bid).select_related("submitted_by").order_by("-number")
    )


def bid_attachments(*, bid: Bid) -> list[BidAttachment]:
    """The draft's documents, their names read as the provider (the caller checked membership)."""
    attachments = BidAttachment.objects.filter(council=bid.council_id, bid=bid, removed_at__isnull=True).order_by(
        "uploaded_at", "pk"
    )
    return sealing.unseal_attachment_details(bid.tender, attachments, reader=sealing.Reader.PROVIDER)


def submission_for_member(*, council: Council, tender: Tender, reference: str, user: User) -> BidSubmission:
    submission = (
        BidSubmission.objects.filter(
            council=council,
            bid__tender=tender,
            reference=reference,
            bid__organisation__in=Organisation.objects.of_user(user),
        )
        .select_related("bid", "bid__organisation", "bid__tender", "submitted_by")
        .first()
    )
    if submission is None:
        raise Http404("No such receipt")
    return submission


def submission_content(submission: BidSubmission) -> dict[str, Any]:
    """What the provider submitted, decrypted for the provider (the caller checked membership)."""
    return sealing.unseal_json(submission.bid.tender, submission.content, reader=sealing.Reader.PROVIDER)


# --- A provider's own draft -------------------------------------------------------------------------


def bid_questions(*, tender: Tender) -> list[Criterion]:
    """The questions a provider answers in words: quality and social value criteria without parts."""
    return list(
        Criterion.objects.filter(
            council=tender.council_id,
            tender=tender,
            kind__in=[CriterionKind.QUALITY, CriterionKind.SOCIAL_VALUE],
            children__isnull=True,
        ).order_by("position", "pk")
    )


def bid_draft(bid: Bid) -> dict[str, Any]:
    """The provider's own draft, decrypted, with every part present."""
    data = sealing.unseal_json(bid.tender, bid.draft, reader=sealing.Reader.PROVIDER) if bid.draft else {}
    return {
        "answers": dict(data.get("answers") or {}),
        "prices": dict(data.get("prices") or {}),
        "commitments": list(data.get("commitments") or []),
        "declarations": {
            "exclusion_grounds": None,
            "exclusion_ground_keys": [],
            "exclusion_details": "",
            "self_cleaning": "",
            "conflicts": None,
            "conflicts_details": "",
            **(data.get("declarations") or {}),
        },
    }


def bid_problems(*, tender: Tender, draft: dict[str, Any]) -> list[BidProblem]:
    """Everything that stops this draft being submitted, in the order of the task list
    (the rule: ``tenders.bid_problems.draft_problems``)."""
    # The questions (as bid_questions) and whether any social value criterion exists, in one query.
    parts = Criterion.objects.filter(council=tender.council_id, parent=OuterRef("pk"))
    criteria = list(
        Criterion.objects.filter(
            council=tender.council_id, tender=tender, kind__in=[CriterionKind.QUALITY, CriterionKind.SOCIAL_VALUE]
        )
        .annotate(has_parts=Exists(parts))
        .order_by("position", "pk")
    )
    questions = [c for c in criteria if not c.has_parts]
    has_social_value = any(c.kind == CriterionKind.SOCIAL_VALUE for c in criteria)
    lots = Lot.objects.filter(council=tender.council_id, tender=tender).order_by("position", "pk")
    lot_keys = [str(lot.pk) for lot in lots]
    return draft_problems(questions=questions, lot_keys=lot_keys, has_social_value=has_social_value, draft=draft)


def _attachments(bid: Bid) -> list[BidAttachment]:
    """The draft's documents with their sealed details read, as the provider (submitting its own bid)."""
    attachments = BidAttachment.objects.filter(council=bid.council_id, bid=bid, removed_at__isnull=True).order_by(
        "uploaded_at", "pk"
    )
    return sealing.unseal_attachment_details(bid.tender, attachments, reader=sealing.Reader.PROVIDER)


def bid_content_for_submission(*, bid: Bid, draft: dict[str, Any]) -> dict[str, Any]:
    """What a submission seals and hashes: the draft, and each attached document by its hash."""
    return {
        **draft,
        "attachments": [
            {
                "id": a.pk,
                "question": a.question,
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
            }
            for a in _attachments(bid)
        ],
    }


# --- What changed since a bid was submitted ------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    what: str
    was: str
    now: str


@dataclass(frozen=True)
class ChangeSinceSubmission:
    """A published change (version ``number``) made after the bid's last submission, for its bidder."""

    number: int
    reason: str
    published_at: datetime
    differences: list[Difference]


DEADLINES = {"clarification_deadline": "Clarification deadline", "submission_deadline": "Submission deadline"}


def _when(value: Any) -> str:
    if not value:
        return "not set"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y}, {local:%H:%M} (UK time)"


def _differences(revision: TenderRevision, previous: TenderRevision | None) -> list[Difference]:
    changes = revision.changes or {}
    before, after = changes.get("before") or {}, changes.get("after") or {}
    if not changes and previous is not None:  # versions published before changes were recorded
        before, after = previous.timetable or {}, revision.timetable or {}
    found = [
        Difference(label, _when(before.get(key)), _when(after.get(key)))
        for key, label in DEADLINES.items()
        if key in after and before.get(key) != after.get(key)
    ]
    if "description" in after:
        found.append(Difference("Description", str(before.get("description") or "none"), str(after["description"])))
    for title in changes.get("documents_added") or []:
        found.append(Difference("Document added", "", str(title)))
    for title in changes.get("documents_withdrawn") or []:
        found.append(Difference("Document withdrawn", str(title), ""))
    return found


def changes_since_submission(*, bid: Bid, submission: BidSubmission | None) -> list[ChangeSinceSubmission]:
    """The published changes to the bid's tender after its last submission, oldest first, with what
    each changed: empty if the bid is not submitted or was submitted against the latest version."""
    if submission is None or bid.status != BidStatus.SUBMITTED:
        return []
    revisions = list(
        TenderRevision.objects.filter(
            council=bid.council_id, tender_id=bid.tender_id, number__gte=submission.revision_number
        ).order_by("number")
    )
    by_number = {r.number: r for r in revisions}
    return [
        ChangeSinceSubmission(
            number=r.number,
            reason=r.reason,
            published_at=r.published_at,
            differences=_differences(r, by_number.get(r.number - 1)),
        )
        for r in revisions
        if r.number > submission.revision_number
    ]
