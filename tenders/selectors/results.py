"""The results of a tender's evaluation: totals, ranking and the sensitivity to the social value
weight, per lot, with what still blocks an award.

Read from the recorded facts only: the moderated scores (the scores that count), the prices read
out of the bids (``BidPrice``, scored per lot by the model's formula, ``tenders.price``), the
weights and pass marks of the evaluation model, the decisions on abnormally low prices and the
compliance decisions of the opening. The arithmetic is ``commissioning.scoring`` and
``social_value.sensitivity``. A fixed number of queries whatever the number of bids, each of only
the columns needed (PITFALLS: loading score rows costs more than adding them up).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from commissioning import scoring
from social_value.sensitivity import Sensitivity, sensitivity
from tenders import kept
from tenders import price as price_formulas
from tenders.models import (
    AbnormallyLowDecision,
    AbnormallyLowReview,
    Bid,
    BidPrice,
    BidStatus,
    Compliance,
    Criterion,
    CriterionKind,
    Evaluation,
    Lot,
    ModeratedScore,
    Tender,
    TenderPolicy,
)
from tenders.models.tender import DEFAULT_MINIMUM_SOCIAL_VALUE, SCALE_MAXIMUM, Scale
from tenders.sealing import Reader, SealedError, may_unseal
from tenders.selectors.evaluation import bid_label

__all__: list[str] = [
    "AwardStep",
    "JustifiedScore",
    "LotResult",
    "ModeratedRow",
    "RankedBid",
    "ResultCriterion",
    "TenderResults",
    "WhyThisBidderWon",
    "made_from_results",
    "tender_results",
    "why_this_bidder_won",
]

T = TypeVar("T")

_CENT = Decimal("0.01")
_KINDS = ("quality", "price", "social_value", "citizen_panel")


def _points(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class RankedBid:
    bid_id: int
    label: str  # organisation name, or "Bid A" while blind applies to the viewer
    total: Decimal  # points out of 100
    by_kind: dict[str, Decimal]  # points per criterion kind ("quality", "price", "social_value", "citizen_panel")
    by_criterion: dict[int, Decimal]  # points per criterion pk (leaves and price)
    price: Decimal | None
    rank: int | None  # None: not ranked (below a minimum pass score, excluded as abnormally low, non-compliant)
    reasons: tuple[str, ...]  # why not ranked, in words
    tie_broken: bool = False  # its total equals a neighbour's and the declared tie-break placed it


@dataclass(frozen=True)
class ResultCriterion:
    """A criterion as the results count it: a scored leaf, the price, or the citizen panel."""

    id: int
    title: str
    kind: str
    weight: Decimal
    scale_max: Decimal
    minimum: Decimal | None


@dataclass(frozen=True)
class LotResult:
    lot_id: int | None
    title: str
    ranked: list[RankedBid]  # ranked first in rank order, then the unranked
    winner_bid_id: int | None  # the top-ranked bid, None if none ranks
    blockers: list[str]  # why an award cannot be recommended yet, in words
    sensitivity: Sensitivity | None = None  # to the social value weight; None when nothing can be ranked yet
    labels: dict[int, str] | None = None  # every bid's label, for the sensitivity's chart and table


@dataclass(frozen=True)
class TenderResults:
    tender_id: int
    lots: list[LotResult]
    criteria: tuple[ResultCriterion, ...] = ()
    social_value_weight: Decimal = Decimal(0)
    minimum_social_value_weight: Decimal | None = None
    blind: bool = False  # bidders are shown as "Bid A"… (blind evaluation before moderation is locked)
    tie_break: str = ""
    panel_advice_only: bool = False  # the model has a citizen panel criterion weighing 0%


def _criteria(tender: Tender) -> tuple[list[ResultCriterion], list[tuple[int, str, Decimal, Decimal, list[int]]], bool]:
    """The criteria that count (leaves of quality and social value, the price, a weighted citizen
    panel), the pass marks set on criteria with parts (as (id, title, minimum, scale top, leaf ids)),
    and whether a citizen panel criterion weighs 0% (advice only). One query."""
    rows = list(
        Criterion.objects.filter(council=tender.council_id, tender=tender)
        .order_by("position", "pk")
        .values_list("pk", "parent_id", "kind", "title", "weight", "scale", "minimum_score")
    )
    parents = {parent_id for _, parent_id, *_ in rows if parent_id}
    children: dict[int, list[int]] = {}
    for pk, parent_id, *_ in rows:
        if parent_id:
            children.setdefault(parent_id, []).append(pk)

    def leaves(pk: int) -> list[int]:
        if pk not in children:
            return [pk]
        return [leaf for child in children[pk] for leaf in leaves(child)]

    counted: list[ResultCriterion] = []
    groups: list[tuple[int, str, Decimal, Decimal, list[int]]] = []
    advice_only = False
    for pk, _parent_id, kind, title, weight, scale, minimum in rows:
        top = SCALE_MAXIMUM.get(Scale(scale), Decimal(5)) if scale in Scale.values else Decimal(5)
        if kind == CriterionKind.PRICE:
            counted.append(ResultCriterion(pk, title, kind, weight, Decimal(1), None))
        elif kind == CriterionKind.CITIZEN_PANEL:
            if weight > 0:
                counted.append(ResultCriterion(pk, title, kind, weight, top, None))
            else:
                advice_only = True
        elif pk in parents:
            if minimum is not None:
                groups.append((pk, title, minimum, top, leaves(pk)))
        else:
            counted.append(ResultCriterion(pk, title, kind, weight, top, minimum))
    return counted, groups, advice_only


def _group_reasons(
    groups: Iterable[tuple[int, str, Decimal, Decimal, list[int]]],
    criteria: dict[int, ResultCriterion],
    scores: dict[int, Decimal],
) -> list[str]:
    """Pass marks on criteria with parts: the parts' points as a score on the parent's scale."""
    reasons = []
    for _pk, title, minimum, top, leaf_ids in groups:
        weight = sum((criteria[leaf].weight for leaf in leaf_ids if leaf in criteria), Decimal(0))
        if weight <= 0 or any(leaf not in scores for leaf in leaf_ids if leaf in criteria):
            continue
        points = sum(
            (criteria[leaf].weight * scores[leaf] / criteria[leaf].scale_max for leaf in leaf_ids if leaf in criteria),
            Decimal(0),
        )
        score = points / weight * top
        if score < minimum:
            reasons.append(
                f"{title}: scored {scoring.plain(_points(score))}, below the minimum pass score of "
                f"{scoring.plain(minimum)} out of {scoring.plain(top)}"
            )
    return reasons


def tender_results(*, tender: Tender) -> TenderResults:
    """The results of every lot (a tender without lots: one result with ``lot_id`` None).

    Raises :class:`SealedError` before the submission deadline: who bid is sealed until then.
    Nine queries whatever the number of bids, kept between requests until a write to what they
    are read from (``tenders.kept``).
    """
    if not may_unseal(tender, Reader.COUNCIL):
        raise SealedError("Bids for this tender are sealed until the submission deadline")
    return kept.kept_results(tender, lambda: _tender_results(tender))


def made_from_results(*, tender: Tender, parts: tuple[object, ...], make: Callable[[TenderResults], T]) -> T:
    """What ``make`` makes of the tender's results and nothing else (a page's rendered tables: no
    person, no request, no clock), kept with the results under ``parts`` until they change.

    Raises :class:`SealedError` before the submission deadline, as :func:`tender_results` does.
    On a miss ``make`` is given the results read then, so what is kept is never older than the
    version it is kept under."""
    if not may_unseal(tender, Reader.COUNCIL):
        raise SealedError("Bids for this tender are sealed until the submission deadline")
    return kept.kept_results(tender, lambda: make(tender_results(tender=tender)), parts=parts)


def _tender_results(tender: Tender) -> TenderResults:
    council_id = tender.council_id
    evaluation = Evaluation.objects.filter(council=council_id, tender=tender).first()
    criteria, groups, advice_only = _criteria(tender)
    by_id = {criterion.id: criterion for criterion in criteria}
    price_criterion = next((c for c in criteria if c.kind == CriterionKind.PRICE), None)
    panel = next((c for c in criteria if c.kind == CriterionKind.CITIZEN_PANEL), None)
    social_value_weight = sum((c.weight for c in criteria if c.kind == CriterionKind.SOCIAL_VALUE), Decimal(0))
    policy_minimum = (
        TenderPolicy.objects.filter(council=council_id).values_list("minimum_social_value_weight", flat=True).first()
    )
    minimum_weight = policy_minimum if policy_minimum is not None else DEFAULT_MINIMUM_SOCIAL_VALUE

    bids = list(
        Bid.objects.filter(council=council_id, tender=tender, status=BidStatus.SUBMITTED)
        .order_by("pk")
        .values_list("pk", "organisation__name", "compliance", "compliance_reason")
    )
    locked = evaluation is not None and evaluation.moderation_locked_at is not None
    blind = tender.blind_evaluation and not locked
    labels: dict[int, str] = {}
    position = 0
    for bid_id, name, compliance, _ in bids:
        if compliance == Compliance.NON_COMPLIANT:
            labels[bid_id] = "A non-compliant bid" if blind else name
        else:
            labels[bid_id] = bid_label(position) if blind else name
            position += 1

    # The scores that count: one query of three columns for every bid and criterion.
    moderated: dict[int, dict[int, Decimal]] = {}
    for bid_id, criterion_id, score in ModeratedScore.objects.filter(council=council_id, tender=tender).values_list(
        "bid_id", "criterion_id", "score"
    ):
        moderated.setdefault(bid_id, {})[criterion_id] = score
    prices_opened = evaluation is not None and evaluation.prices_opened_at is not None
    prices: dict[int | None, dict[int, Decimal]] = {}
    if prices_opened:
        for bid_id, priced_lot, amount in BidPrice.objects.filter(council=council_id, tender=tender).values_list(
            "bid_id", "lot_id", "amount"
        ):
            prices.setdefault(priced_lot, {})[bid_id] = amount
    reviews = list(
        AbnormallyLowReview.objects.filter(council=council_id, tender=tender).values_list(
            "bid_id", "lot_id", "decision", "reason"
        )
    )
    lots: list[tuple[int | None, str, Decimal | None]] = list(
        Lot.objects.filter(council=council_id, tender=tender)
        .order_by("position", "pk")
        .values_list("pk", "title", "estimated_value")
    )

    tender_blockers: list[str] = []
    if evaluation is None:
        tender_blockers.append("The evaluation has not started.")
    elif not locked:
        tender_blockers.append("Moderation is not locked: the moderated scores may still change.")
    if price_criterion is not None and not prices_opened:
        tender_blockers.append("Prices have not been opened.")
    if panel is not None:
        tender_blockers.append(
            f"The citizen panel has not reported: “{panel.title}” weighs {scoring.plain(panel.weight)}% "
            "and its score is pending."
        )

    scoring_criteria = [
        scoring.CriterionWeight(
            id=c.id, kind=c.kind, weight=c.weight, scale_max=c.scale_max, minimum=c.minimum, title=c.title
        )
        for c in criteria
    ]
    scored_ids = [c.id for c in criteria if c.kind in (CriterionKind.QUALITY, CriterionKind.SOCIAL_VALUE)]
    group_reasons = {bid_id: _group_reasons(groups, by_id, moderated.get(bid_id, {})) for bid_id, *_ in bids if groups}

    results: list[LotResult] = []
    for lot_id, title, estimate in lots or [(None, tender.title, None)]:
        lot_prices = prices.get(lot_id, {})
        # Which bids are in this lot: those that priced it (every bid before prices are opened, or
        # when the tender has no lots).
        in_lot = [row for row in bids if not lots or not prices_opened or row[0] in lot_prices]
        blockers = list(tender_blockers)
        excluded: dict[int, list[str]] = {}
        for bid_id, _name, compliance, reason in in_lot:
            if compliance == Compliance.NON_COMPLIANT:
                excluded.setdefault(bid_id, []).append(f"Found non-compliant at opening: {reason}")
        for bid_id, review_lot, decision, reason in reviews:
            if review_lot != lot_id or bid_id not in labels:
                continue
            if decision == AbnormallyLowDecision.EXCLUDE:
                excluded.setdefault(bid_id, []).append(f"Excluded as abnormally low: {reason}")
            elif not decision:
                blockers.append(f"The possibly abnormally low price of {labels[bid_id]} has no decision yet.")
        # The lowest price is set by the bids still in the competition.
        competing = {bid_id: amount for bid_id, amount in lot_prices.items() if bid_id not in excluded}
        budget = estimate or tender.estimated_value
        price_fractions = (
            price_formulas.price_scores(competing, formula=tender.price_formula, budget=budget) if competing else {}
        )
        entries: list[scoring.BidScores] = []
        missing_scores = 0
        for bid_id, _name, _compliance, _reason in in_lot:
            scores = dict(moderated.get(bid_id, {}))
            if bid_id not in excluded and any(criterion_id not in scores for criterion_id in scored_ids):
                missing_scores += 1
            if price_criterion is not None and bid_id in price_fractions:
                scores[price_criterion.id] = price_fractions[bid_id]
            entries.append(
                scoring.BidScores(
                    bid_id=bid_id,
                    scores=scores,
                    price=lot_prices.get(bid_id),
                    exclusions=(*excluded.get(bid_id, ()), *group_reasons.get(bid_id, ())),
                )
            )
        if missing_scores and evaluation is not None:
            blockers.append(
                f"{missing_scores} bid{'s' if missing_scores != 1 else ''} "
                f"{'have' if missing_scores != 1 else 'has'} no moderated score on every scored criterion."
            )
        totals = scoring.bid_totals(scoring_criteria, entries)
        ranking = scoring.rank(totals, tie_break=tender.tie_break)
        ranked = [
            RankedBid(
                bid_id=place.bid.bid_id,
                label=labels[place.bid.bid_id],
                total=_points(place.bid.total),
                by_kind={kind: _points(place.bid.points(kind)) for kind in _KINDS},
                by_criterion={key: _points(value) for key, value in place.bid.by_criterion.items()},
                price=place.bid.price,
                rank=place.rank,
                reasons=place.bid.reasons,
                tie_broken=place.tie_broken,
            )
            for place in ranking
        ]
        first = [bid for bid in ranked if bid.rank == 1]
        winner = first[0].bid_id if len(first) == 1 else None
        if len(first) > 1:
            blockers.append(
                f"{' and '.join(bid.label for bid in first)} are equal on the total and on every tie-break: "
                "the award needs a decision."
            )
        elif not first and in_lot:
            blockers.append("No bid can be ranked.")
        elif not in_lot:
            blockers.append("There are no bids.")
        analysis = (
            sensitivity(
                totals,
                social_value_weight=social_value_weight,
                tie_break=tender.tie_break,
                minimum_weight=minimum_weight,
            )
            if totals
            else None
        )
        results.append(
            LotResult(
                lot_id=lot_id,
                title=title,
                ranked=ranked,
                winner_bid_id=winner,
                blockers=blockers,
                sensitivity=analysis,
                labels={bid_id: labels[bid_id] for bid_id, *_ in in_lot},
            )
        )
    return TenderResults(
        tender_id=tender.pk,
        lots=results,
        criteria=tuple(criteria),
        social_value_weight=social_value_weight,
        minimum_social_value_weight=minimum_weight,
        blind=blind,
        tie_break=tender.tie_break,
        panel_advice_only=advice_only,
    )


# --- "Why this bidder won" ----------------------------------------------------------------------


@dataclass(frozen=True)
class JustifiedScore:
    bid_id: int
    criterion_id: int
    evaluator: str
    score: Decimal | None
    justification: str


@dataclass(frozen=True)
class ModeratedRow:
    bid_id: int
    criterion_id: int
    score: Decimal
    rationale: str


@dataclass(frozen=True)
class AwardStep:
    """A recommendation and its decision, and the notice when it was published."""

    lot_id: int | None
    bid_id: int | None
    top_ranked_bid_id: int | None
    reason: str
    recommended_by: str
    recommended_at: datetime
    decision: str
    decided_by: str
    decided_at: datetime | None
    decision_comment: str
    published_at: datetime | None = None
    standstill_end: date | None = None
    audit_hash: str = ""


@dataclass(frozen=True)
class WhyThisBidderWon:
    """Everything an officer needs to defend the award of a tender, from the recorded facts."""

    tender_id: int
    results: TenderResults
    weighting_rationale: str
    approved_by: str
    approved_at: datetime | None
    price_formula: str  # in plain words, as the notice states it
    individual: dict[tuple[int, int], list[JustifiedScore]]  # (bid, criterion) -> scores
    moderated: dict[tuple[int, int], ModeratedRow]
    awards: list[AwardStep]
    panel: str  # "none", "pending" or "advice"


def _person(name: str | None, email: str | None) -> str:
    return name or email or "Someone"


def why_this_bidder_won(*, tender: Tender) -> WhyThisBidderWon:
    """The weights and who approved them, every individual and moderated score with its words, the
    price formula, the ranking with its sensitivity, the citizen panel, the award's approvals and
    the audit chain's hash at the award. Fourteen queries whatever the number of bids."""
    from tenders.models import AwardNotice, AwardRecommendation, Score, TenderApproval

    results = tender_results(tender=tender)
    council_id = tender.council_id
    approval = (
        TenderApproval.objects.filter(council=council_id, tender=tender, decision="approved")
        .order_by("-decided_at", "-pk")
        .values_list("decided_by__name", "decided_by__email", "decided_at")
        .first()
    )
    individual: dict[tuple[int, int], list[JustifiedScore]] = {}
    for bid_id, criterion_id, name, email, score, justification in (
        Score.objects.filter(council=council_id, tender=tender, sheet__submitted_at__isnull=False)
        .order_by("bid_id", "criterion_id", "pk")
        .values_list("bid_id", "criterion_id", "evaluator__name", "evaluator__email", "score", "justification")
    ):
        individual.setdefault((bid_id, criterion_id), []).append(
            JustifiedScore(bid_id, criterion_id, _person(name, email), score, justification)
        )
    moderated = {
        (bid_id, criterion_id): ModeratedRow(bid_id, criterion_id, score, rationale)
        for bid_id, criterion_id, score, rationale in ModeratedScore.objects.filter(
            council=council_id, tender=tender
        ).values_list("bid_id", "criterion_id", "score", "rationale")
    }
    notices = {
        recommendation_id: (published_at, standstill_end, audit_hash)
        for recommendation_id, published_at, standstill_end, audit_hash in AwardNotice.objects.filter(
            council=council_id, tender=tender
        ).values_list("recommendation_id", "published_at", "standstill_end", "audit_hash")
    }
    awards = []
    for row in (
        AwardRecommendation.objects.filter(council=council_id, tender=tender)
        .order_by("lot_id", "pk")
        .values_list(
            "pk",
            "lot_id",
            "bid_id",
            "top_ranked_bid_id",
            "reason",
            "recommended_by__name",
            "recommended_by__email",
            "recommended_at",
            "decision",
            "decided_by__name",
            "decided_by__email",
            "decided_at",
            "decision_comment",
        )
    ):
        pk, lot_id, bid_id, top_id, reason, r_name, r_email, r_at, decision, d_name, d_email, d_at, comment = row
        published_at, standstill, audit_hash = notices.get(pk, (None, None, ""))
        awards.append(
            AwardStep(
                lot_id=lot_id,
                bid_id=bid_id,
                top_ranked_bid_id=top_id,
                reason=reason,
                recommended_by=_person(r_name, r_email),
                recommended_at=r_at,
                decision=decision,
                decided_by=_person(d_name, d_email) if decision else "",
                decided_at=d_at,
                decision_comment=comment,
                published_at=published_at,
                standstill_end=standstill,
                audit_hash=audit_hash,
            )
        )
    price = next((c for c in results.criteria if c.kind == CriterionKind.PRICE), None)
    formula = (
        price_formulas.formula_text(
            tender.price_formula,
            weight=f"{scoring.plain(price.weight)}%",
            budget=f"£{tender.estimated_value:,.0f}",
        )
        if price is not None
        else "The model has no price criterion."
    )
    has_panel = any(c.kind == CriterionKind.CITIZEN_PANEL for c in results.criteria)
    return WhyThisBidderWon(
        tender_id=tender.pk,
        results=results,
        weighting_rationale=tender.weighting_rationale,
        approved_by=_person(approval[0], approval[1]) if approval else "",
        approved_at=approval[2] if approval else None,
        price_formula=formula,
        individual=individual,
        moderated=moderated,
        awards=awards,
        panel="pending" if has_panel else "advice" if results.panel_advice_only else "none",
    )
