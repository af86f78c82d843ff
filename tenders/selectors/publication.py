"""Reads of publication: tender team, conflict declarations, approval, publication and revisions,
documents, eligibility overrides, the public notice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from commissioning.models import Council, Organisation, Role, User
from tenders import eligibility, public_cache
from tenders.evaluation_model import CriterionSpec, evaluation_model_problems
from tenders.models import (
    ApprovalDecision,
    ApprovalRequest,
    AwardNotice,
    Bid,
    BidStatus,
    ClarificationQuestion,
    ConflictDeclaration,
    Criterion,
    EligibilityOverride,
    EvaluatorAssignment,
    Lot,
    SpecificationSection,
    SpecificationVersion,
    SpendPolicyBand,
    Tender,
    TenderApproval,
    TenderContributor,
    TenderDocument,
    TenderRevision,
    TenderTeamMember,
)
from tenders.sealing import canonical_json, sha256_hex
from tenders.selectors.evaluation_model import criteria_framework_outcomes, framework_outcome_ref
from tenders.selectors.policy import (
    BandAnswer,
    organisation_facts,
    tender_policy,
)
from tenders.timetable import PUBLISHED_STATUSES, STATUS_GROUPS

__all__ = [
    "TenderEligibility",
    "tender_eligibilities",
    "tender_eligibility",
    "eligibility_override_in_force",
    "eligibility_overrides",
    "eligibility_override_get",
    "number_text",
    "evaluation_model_snapshot",
    "timetable_snapshot",
    "lots_snapshot",
    "tender_content",
    "evaluation_settings_snapshot",
    "published_settings_subquery",
    "with_published_settings",
    "published_evaluation_settings",
    "tender_content_sha256",
    "TeamRow",
    "tender_team",
    "tender_authors",
    "may_approve",
    "FOUR_EYES_REASON",
    "approval_officers",
    "bidders_to_notify",
    "current_declaration",
    "team_declaration",
    "ReadinessCheck",
    "publication_readiness",
    "latest_approval",
    "ApprovalAsked",
    "approval_asked",
    "tender_revisions",
    "tender_documents",
    "document_get",
    "published_tenders",
    "published_tender_get",
    "PublicNotice",
    "public_notice",
    "OVERRIDE_NOTE",
]


# Added to the eligibility notice when an officer approved eligibility other than the value band's.
OVERRIDE_NOTE = eligibility.OVERRIDE_NOTE


# --- Eligibility, with an approved override -------------------------------------------------------


def eligibility_override_in_force(*, tender: Tender) -> EligibilityOverride | None:
    """The latest approved eligibility override of the tender, if any."""
    return (
        EligibilityOverride.objects.filter(council=tender.council_id, tender=tender, decision=ApprovalDecision.APPROVED)
        .order_by("-decided_at", "-pk")
        .first()
    )


def _as_override(override: EligibilityOverride) -> eligibility.Override:
    kinds = ((eligibility.VCSE, override.reserved_for_vcse), (eligibility.SME, override.reserved_for_sme))
    return eligibility.Override(
        reserved_for_local=override.reserved_for_local,
        reserved_for=frozenset(kind for kind, reserved in kinds if reserved),
    )


@dataclass(frozen=True)
class TenderEligibility:
    """Who may bid for one tender, read once: :meth:`of` answers for any organisation without a query."""

    rule: eligibility.TenderRule
    local_area: tuple[str, ...]
    council_name: str

    @property
    def band(self) -> eligibility.Band | None:
        return self.rule.band

    @property
    def notice(self) -> str:
        return self.rule.notice

    @cached_property
    def _area(self) -> frozenset[str]:
        return frozenset(self.local_area)

    def may_bid(self, organisation: eligibility.OrganisationFacts) -> bool:
        """Only whether it may (no reasons): what the finder shows for each row."""
        return eligibility.may_bid(self.rule, organisation, self._area)

    def of(self, organisation: Organisation) -> eligibility.Eligibility:
        return eligibility.tender_eligibility(
            self.rule, organisation_facts(organisation), self.local_area, self.council_name
        )

    def answer(self, organisation: Organisation | None) -> BandAnswer:
        return BandAnswer(
            band=self.band,
            notice=self.notice,
            eligibility=self.of(organisation) if organisation is not None else None,
        )


def tender_eligibilities(*, tenders: Sequence[Tender], on: date | None = None) -> dict[int, TenderEligibility]:
    """Who may bid for each tender, by tender id, in two queries however many tenders and councils.

    The bands are those in force when each tender was published (or ``on``, or today, for a draft):
    a later change of the council's bands does not change an advertised opportunity. An eligibility
    override an officer approved replaces the band's reservations (local, VCSE, SME); the notice
    says so (the pure rule: :func:`tenders.eligibility.tender_rule`). Reads inside the scope the
    caller is in (a council's, or the platform's for the finder across councils).
    """
    if not tenders:
        return {}
    versions: dict[int, dict[date, list[eligibility.Band]]] = defaultdict(lambda: defaultdict(list))
    bands = SpendPolicyBand.objects.filter(council_id__in={t.council_id for t in tenders}).order_by(
        "effective_from", "position"
    )
    for council_id, effective_from, *columns in bands.values_list(
        "council_id", "effective_from", *SpendPolicyBand.BAND_FIELDS
    ):
        versions[council_id][effective_from].append(SpendPolicyBand.band_from(*columns))
    overrides: dict[int, EligibilityOverride] = {}
    approved = EligibilityOverride.objects.filter(
        council_id__in={t.council_id for t in tenders},
        tender_id__in=[t.pk for t in tenders],
        decision=ApprovalDecision.APPROVED,
    )
    for approval in approved.order_by("-decided_at", "-pk"):
        overrides.setdefault(approval.tender_id, approval)
    result = {}
    for tender in tenders:
        day = on or (timezone.localdate(tender.published_at) if tender.published_at else timezone.localdate())
        council_versions = versions.get(tender.council_id, {})
        in_force = max((d for d in council_versions if d <= day), default=None)
        council = tender.council
        approved_override = overrides.get(tender.pk)
        rule = eligibility.tender_rule(
            tender.estimated_value,
            council_versions[in_force] if in_force is not None else [],
            override=_as_override(approved_override) if approved_override is not None else None,
            local_area=council.local_area,
            council_name=council.header_name,
        )
        result[tender.pk] = TenderEligibility(rule, tuple(council.local_area), council.header_name)
    return result


def tender_eligibility(*, tender: Tender, organisation: Organisation | None, on: date | None = None) -> BandAnswer:
    """Who may bid for the tender, and (given an organisation) whether it may: one tender of
    :func:`tender_eligibilities`."""
    return tender_eligibilities(tenders=[tender], on=on)[tender.pk].answer(organisation)


def eligibility_overrides(*, tender: Tender) -> list[EligibilityOverride]:
    """Every override request of the tender, newest first, with who asked and who decided."""
    return list(
        EligibilityOverride.objects.filter(council=tender.council_id, tender=tender)
        .select_related("requested_by", "decided_by")
        .order_by("-requested_at", "-pk")
    )


def eligibility_override_get(*, tender: Tender, override_id: int) -> EligibilityOverride:
    override = (
        EligibilityOverride.objects.filter(council=tender.council_id, tender=tender, pk=override_id)
        .select_related("requested_by", "tender")
        .first()
    )
    if override is None:
        raise Http404("No such request")
    return override


# --- The content an officer approves and a revision freezes ---------------------------------------


def number_text(value: Decimal | None) -> str | None:
    """60.00 -> "60", 12.50 -> "12.5": a weight or amount as a plain string (never "6E+1")."""
    if value is None:
        return None
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def evaluation_model_snapshot(
    *, criteria: list[Criterion], outcomes: dict[int, list[Any]] | None = None
) -> list[dict[str, Any]]:
    """The criteria as a tree of plain values (what a revision keeps and bidders read). A social
    value criterion naming framework outcomes (``outcomes``, by criterion id) keeps them as
    ``framework_outcomes`` (id, theme, title); a criterion naming none has no such key, so the
    content approved before outcomes could be named hashes as it did."""
    children: dict[int | None, list[Criterion]] = {}
    for criterion in criteria:
        children.setdefault(criterion.parent_id, []).append(criterion)

    def tree(parent_id: int | None) -> list[dict[str, Any]]:
        return [
            {
                "title": c.title,
                "kind": c.kind,
                "weight": number_text(c.weight),
                "scale": c.scale,
                "minimum_score": number_text(c.minimum_score),
                "guidance": c.guidance,
                "question": c.question,
                "word_limit": c.word_limit,
                "attachments_allowed": c.attachments_allowed,
                "scoring_descriptors": [{"score": score, "meaning": text} for score, text in c.descriptor_rows],
                **(
                    {"framework_outcomes": [framework_outcome_ref(o) for o in outcomes[c.pk]]}
                    if outcomes and outcomes.get(c.pk)
                    else {}
                ),
                "children": tree(c.pk),
            }
            for c in sorted(children.get(parent_id, []), key=lambda c: (c.position, c.pk))
        ]

    return tree(None)


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def timetable_snapshot(*, tender: Tender) -> dict[str, Any]:
    return {
        "clarification_deadline": _iso(tender.clarification_deadline),
        "submission_deadline": _iso(tender.submission_deadline),
        "planned_award_date": _iso(tender.planned_award_date),
        "standstill_days": tender.standstill_days,
    }


def lots_snapshot(*, lots: list[Lot]) -> list[dict[str, Any]]:
    return [
        {"title": lot.title, "description": lot.description, "estimated_value": number_text(lot.estimated_value)}
        for lot in sorted(lots, key=lambda lot: (lot.position, lot.pk))
    ]


EVALUATION_SETTINGS = ("blind_evaluation", "price_formula", "tie_break")


def evaluation_settings_snapshot(*, tender: Tender) -> dict[str, Any]:
    """The evaluation model's settings as the tender has them now (what a revision snapshots)."""
    return {name: getattr(tender, name) for name in EVALUATION_SETTINGS}


def published_settings_subquery() -> Subquery:
    """For annotating a query of tenders: the latest published revision's evaluation settings."""
    return Subquery(
        TenderRevision.objects.filter(council=OuterRef("council"), tender=OuterRef("pk"))
        .order_by("-number")
        .values("evaluation_settings")[:1]
    )


def published_evaluation_settings(*, tender: Tender) -> dict[str, Any] | None:
    """The latest published revision's evaluation settings (None before publication). One query."""
    return (
        TenderRevision.objects.filter(council=tender.council_id, tender=tender)
        .order_by("-number")
        .values_list("evaluation_settings", flat=True)
        .first()
    )


def with_published_settings(tender: Tender, snapshot: dict[str, Any] | None) -> Tender:
    """``tender`` with its evaluation settings as published (``snapshot``, a revision's
    ``evaluation_settings``), so blind evaluation, the price formula and the tie-break are decided
    by what bidders were told. A tender not published, or a snapshot lacking a setting, keeps its own."""
    for name in EVALUATION_SETTINGS:
        if snapshot and name in snapshot:
            setattr(tender, name, snapshot[name])
    return tender


def tender_content(*, tender: Tender) -> dict[str, Any]:
    """What an officer approves: the specification's sections, the evaluation model, the weighting
    rationale, the model's settings (blind evaluation, price formula, tie-break), the timetable and
    the lots, as they are now."""
    sections = SpecificationSection.objects.filter(council=tender.council_id, tender=tender).order_by("position", "pk")
    return {
        "specification": [{"title": s.title, "body": s.body} for s in sections],
        "evaluation_model": evaluation_model_snapshot(
            criteria=list(Criterion.objects.filter(council=tender.council_id, tender=tender)),
            outcomes=criteria_framework_outcomes(tender=tender),
        ),
        "weighting_rationale": tender.weighting_rationale,
        # The evaluation model's settings (moderation and prices): approved and fixed with the weights.
        "evaluation_settings": evaluation_settings_snapshot(tender=tender),
        "timetable": timetable_snapshot(tender=tender),
        "lots": lots_snapshot(lots=list(Lot.objects.filter(council=tender.council_id, tender=tender))),
    }


def tender_content_sha256(*, tender: Tender, content: dict[str, Any] | None = None) -> str:
    return sha256_hex(canonical_json(content if content is not None else tender_content(tender=tender)))


# --- Team and declarations ------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamRow:
    user: User
    roles: list[str]
    declaration: ConflictDeclaration | None


def _current_declarations(tender: Tender) -> dict[int, ConflictDeclaration]:
    return {
        d.user_id: d
        for d in ConflictDeclaration.objects.filter(
            council=tender.council_id, tender=tender, superseded_at__isnull=True
        )
    }


def current_declaration(*, tender: Tender, user: User) -> ConflictDeclaration | None:
    return ConflictDeclaration.objects.filter(
        council=tender.council_id, tender=tender, user=user, superseded_at__isnull=True
    ).first()


def team_declaration(*, tender: Tender, user: User) -> ConflictDeclaration | None:
    """The conflict ``user`` declared for the tender themselves (on the tender's declaration page, as
    a member of its team), if their latest such declaration is one: an evaluator carries it over
    into the declarations their per-bidder declarations renew. A declaration for the tender always
    supersedes those renewals, so the latest one declared directly is the one that stands."""
    latest = (
        ConflictDeclaration.objects.filter(council=tender.council_id, tender=tender, user=user, from_evaluation=False)
        .order_by("-declared_at", "-pk")
        .first()
    )
    return latest if latest is not None and latest.has_conflict else None


ASSIGNED_EVALUATOR = "Assigned evaluator"


def tender_team(*, tender: Tender) -> list[TeamRow]:
    """The tender's team: its creator (its commissioner), everyone added, and the evaluators assigned
    now (they declare for the tender too), each with their current declaration. Three queries."""
    members = list(
        TenderTeamMember.objects.filter(council=tender.council_id, tender=tender)
        .select_related("user")
        .order_by("role", "pk")
    )
    declarations = _current_declarations(tender)
    rows: dict[int, tuple[User, list[str]]] = {tender.created_by_id: (tender.created_by, ["Commissioner"])}
    for member in members:
        user, roles = rows.setdefault(member.user_id, (member.user, []))
        if member.get_role_display() not in roles:
            roles.append(member.get_role_display())
    assignments = (
        EvaluatorAssignment.objects.filter(council=tender.council_id, tender=tender, removed_at__isnull=True)
        .select_related("user")
        .order_by("pk")
    )
    for assignment in assignments:
        user, roles = rows.setdefault(assignment.user_id, (assignment.user, []))
        if ASSIGNED_EVALUATOR not in roles:
            roles.append(ASSIGNED_EVALUATOR)
    return [TeamRow(user=user, roles=roles, declaration=declarations.get(pk)) for pk, (user, roles) in rows.items()]


def tender_authors(*, tender: Tender) -> set[int]:
    """Who drafted the tender: its creator, whoever saved a section or a version of its
    specification, and whoever ever did (``TenderContributor``: a later save by someone else does
    not make an earlier drafter forgotten). Four eyes: none of them may approve it.
    """
    council = tender.council_id
    authors = {tender.created_by_id}
    authors.update(
        SpecificationSection.objects.filter(council=council, tender=tender, updated_by__isnull=False).values_list(
            "updated_by", flat=True
        )
    )
    authors.update(
        SpecificationVersion.objects.filter(council=council, tender=tender, created_by__isnull=False).values_list(
            "created_by", flat=True
        )
    )
    authors.update(TenderContributor.objects.filter(council=council, tender=tender).values_list("user", flat=True))
    return authors


FOUR_EYES_REASON = "You drafted this tender or its specification, so another officer must approve it (four eyes)"


def may_approve(*, user: User, tender: Tender, authors: set[int] | None = None) -> tuple[bool, str]:
    """Four eyes, the one rule: may ``user`` approve ``tender``? ``(False, why)`` if they drafted it.

    The approval page (its warning), the API and ``tender_approval_decide`` all ask this, and
    ``approval_officers`` lists the officers for whom it holds.
    """
    drafted = authors if authors is not None else tender_authors(tender=tender)
    if user.pk in drafted:
        return False, FOUR_EYES_REASON
    return True, ""


def approval_officers(*, tender: Tender) -> list[User]:
    """The council's officers who may approve the tender: not its authors (four eyes)."""
    authors = tender_authors(tender=tender)
    officers = (
        User.objects.filter(memberships__council=tender.council_id, memberships__role=Role.OFFICER)
        .distinct()
        .order_by("name", "email")
    )
    return [officer for officer in officers if may_approve(user=officer, tender=tender, authors=authors)[0]]


def bidders_to_notify(*, tender: Tender, revision_number: int) -> list[Bid]:
    """Submitted bids whose last submission was made against an earlier published version."""
    bids = Bid.objects.filter(council=tender.council_id, tender=tender, status=BidStatus.SUBMITTED).prefetch_related(
        "submissions"
    )
    found = []
    for bid in bids:
        last = max(bid.submissions.all(), key=lambda s: s.number, default=None)
        if last is not None and last.revision_number < revision_number:
            found.append(bid)
    return found


# --- Readiness --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadinessCheck:
    """One thing publication needs: whether it is done, and if not, what to do."""

    key: str
    label: str
    ok: bool
    problems: tuple[str, ...] = ()


def publication_readiness(*, tender: Tender, now: datetime | None = None) -> list[ReadinessCheck]:
    """What publication needs: a complete specification saved as a version, a valid evaluation
    model with a written rationale, a timetable with deadlines in the future, and a conflicts
    declaration by everyone on the team."""
    now = now or timezone.now()
    council = tender.council_id
    checks: list[ReadinessCheck] = []

    sections = list(SpecificationSection.objects.filter(council=council, tender=tender).order_by("position", "pk"))
    latest = SpecificationVersion.objects.filter(council=council, tender=tender).order_by("-number").first()
    problems = []
    if not sections:
        problems.append("Add at least one section to the specification")
    problems += [f"Write the text of section “{s.title}”" for s in sections if not s.body.strip()]
    current = [{"title": s.title, "body": s.body} for s in sections]
    if sections and (latest is None or latest.sections != current):
        problems.append("Save a version of the specification as it is now")
    checks.append(
        ReadinessCheck("specification", "Specification complete and saved as a version", not problems, tuple(problems))
    )

    criteria = list(Criterion.objects.filter(council=council, tender=tender))
    children: dict[int | None, list[Criterion]] = {}
    for criterion in criteria:
        children.setdefault(criterion.parent_id, []).append(criterion)

    def specs(parent_id: int | None) -> tuple[CriterionSpec, ...]:
        return tuple(
            CriterionSpec(
                title=c.title,
                kind=c.kind,
                weight=c.weight,
                scale=c.scale,
                minimum_score=c.minimum_score,
                parts=specs(c.pk),
            )
            for c in sorted(children.get(parent_id, []), key=lambda c: (c.position, c.pk))
        )

    if criteria:
        minimum = tender_policy(council=tender.council).minimum_social_value_weight
        problems = evaluation_model_problems(specs=specs(None), minimum_social_value=minimum)
    else:
        problems = ["Set the evaluation model"]
    checks.append(ReadinessCheck("evaluation_model", "Evaluation model valid", not problems, tuple(problems)))

    problems = [] if tender.weighting_rationale.strip() else ["Explain why the criteria have these weights"]
    checks.append(ReadinessCheck("rationale", "Weighting rationale written", not problems, tuple(problems)))

    problems = [problem.message for problem in tender.timetable_problems(now=now)]
    checks.append(ReadinessCheck("timetable", "Timetable set, deadlines in the future", not problems, tuple(problems)))

    missing = [row.user for row in tender_team(tender=tender) if row.declaration is None]
    problems = [f"{user.name or user.email} has not declared their interests" for user in missing]
    checks.append(
        ReadinessCheck("declarations", "Everyone on the team declared their interests", not problems, tuple(problems))
    )
    return checks


@dataclass(frozen=True)
class ApprovalAsked:
    """The latest request for approval and whether an officer has answered it since."""

    request: ApprovalRequest
    answered: bool


def approval_asked(*, tender: Tender, approval: TenderApproval | None = None) -> ApprovalAsked | None:
    """Who was last asked to approve the tender, when, and whether a decision came after."""
    request = (
        ApprovalRequest.objects.filter(council=tender.council_id, tender=tender)
        .select_related("requested_by")
        .order_by("-requested_at", "-pk")
        .first()
    )
    if request is None:
        return None
    approval = approval if approval is not None else latest_approval(tender=tender)
    return ApprovalAsked(request=request, answered=bool(approval and approval.decided_at >= request.requested_at))


def latest_approval(*, tender: Tender) -> TenderApproval | None:
    return (
        TenderApproval.objects.filter(council=tender.council_id, tender=tender)
        .select_related("decided_by", "specification_version")
        .order_by("-decided_at", "-pk")
        .first()
    )


# --- Revisions and documents ----------------------------------------------------------------------


def tender_revisions(*, tender: Tender) -> list[TenderRevision]:
    """Every published version of the tender, newest first (the first is what bidders read)."""
    return list(
        TenderRevision.objects.filter(council=tender.council_id, tender=tender)
        .select_related("specification_version", "published_by")
        .order_by("-number")
    )


def tender_documents(*, tender: Tender, include_withdrawn: bool = False) -> list[TenderDocument]:
    documents = TenderDocument.objects.filter(council=tender.council_id, tender=tender)
    if not include_withdrawn:
        documents = documents.filter(withdrawn_at__isnull=True)
    return list(documents.order_by("title", "pk"))


def document_get(*, tender: Tender, document_id: int, include_withdrawn: bool = False) -> TenderDocument:
    document = TenderDocument.objects.filter(council=tender.council_id, tender=tender, pk=document_id)
    if not include_withdrawn:
        document = document.filter(withdrawn_at__isnull=True)
    found = document.first()
    if found is None:
        raise Http404("No such document")
    return found


# --- Published tenders (the portal, the notice, the API) ------------------------------------------


def published_tenders(
    *,
    council: Council,
    now: datetime | None = None,
    status: str | None = None,
    min_value: Decimal | None = None,
    max_value: Decimal | None = None,
    closing_before: datetime | None = None,
) -> QuerySet[Tender]:
    """The council's published tenders, closing soonest first. ``status``: "open" (taking bids,
    and questions until the clarification deadline) or "closed" (:data:`tenders.timetable.STATUS_GROUPS`)."""
    now = now or timezone.now()
    statuses = STATUS_GROUPS.get(status or "", PUBLISHED_STATUSES)
    tenders = Tender.objects.filter(council=council).in_status(*statuses, at=now)
    if min_value is not None:
        tenders = tenders.filter(estimated_value__gte=min_value)
    if max_value is not None:
        tenders = tenders.filter(estimated_value__lte=max_value)
    if closing_before is not None:
        tenders = tenders.filter(submission_deadline__lt=closing_before)
    return tenders.select_related("council").order_by("submission_deadline", "pk")


@dataclass(frozen=True)
class PublicNotice:
    """What a published tender's public notice shows everyone (kept by tenders.public_cache)."""

    tender: Tender
    revisions: list[TenderRevision]
    documents: list[TenderDocument]
    questions: list[ClarificationQuestion]
    rule: TenderEligibility
    awarded: bool


def public_notice(*, council: Council, tender_id: int, now: datetime | None = None) -> PublicNotice:
    """The public notice of a published tender, read once for everyone and kept until a write to
    it (or to its revisions, documents, answers, award or eligibility) or its next change of status.
    404 for a draft or another council's tender, kept or not."""
    now = now or timezone.now()

    def read() -> PublicNotice | None:
        tender = (
            Tender.objects.filter(council=council, pk=tender_id)
            .in_status(*PUBLISHED_STATUSES, at=now)
            .select_related("council")
            .first()
        )
        if tender is None:
            return None
        from tenders.selectors.clarifications import published_clarifications

        return PublicNotice(
            tender=tender,
            revisions=tender_revisions(tender=tender),
            documents=tender_documents(tender=tender),
            questions=published_clarifications(tender=tender),
            rule=tender_eligibilities(tenders=[tender])[tender.pk],
            awarded=tender.submission_deadline is not None
            and AwardNotice.objects.filter(council=council, tender=tender).exists(),
        )

    notice = public_cache.kept(("notice", council.pk, tender_id), now, read, council=council.pk)
    if notice is None:
        raise Http404("No such opportunity")
    return notice


def published_tender_get(*, council: Council, tender_id: int) -> Tender:
    """A published tender of the council; 404 for a draft (its existence is not public)."""
    tender = (
        Tender.objects.filter(council=council, pk=tender_id)
        .in_status(*PUBLISHED_STATUSES, at=timezone.now())
        .select_related("council")
        .first()
    )
    if tender is None:
        raise Http404("No such opportunity")
    return tender
