"""Pages of a tender's results: the ranking per lot with its blockers and its sensitivity to the
social value weight, and "Why this bidder won", the page an officer defends the award from.

Commissioners and officers only (``results.view``); sealed before the submission deadline (the
selector raises :class:`~tenders.sealing.SealedError`, a 403). A fixed number of queries whatever
the number of bids. ``urlpatterns`` are included under /c/<council_slug>/ by tenders.urls.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from commissioning.http import CouncilRequest
from commissioning.views.council import council_permission
from tenders import selectors
from tenders.models import Tender, TieBreak
from tenders.selectors.results import LotResult, ResultCriterion, TenderResults

__all__ = ["results_page", "tender_panel", "urlpatterns", "why_page"]

KIND_COLUMNS = (
    ("quality", "Quality"),
    ("price", "Price"),
    ("social_value", "Social value"),
    ("citizen_panel", "Citizen panel"),
)


# What the results page keeps of a tender's results: its parts, rendered (the number: of their templates).
RENDERED = ("results page", 1)


def _kinds(results: TenderResults) -> list[tuple[str, str]]:
    present = {criterion.kind for criterion in results.criteria}
    return [(kind, label) for kind, label in KIND_COLUMNS if kind in present]


def _figure(value: Decimal | None) -> str | None:
    """Points as the page writes them ("12.5" stays "12.50"), formatted here once rather than
    localised cell by cell by the template (a ranking of 100 bids has 600 of them)."""
    return None if value is None else f"{value:f}"


def _lot_rows(lot: LotResult, kinds: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [
        {
            "bid": bid,
            "points": [_figure(bid.by_kind.get(kind)) for kind, _ in kinds],
            "total": _figure(bid.total),
            "winner": bid.bid_id == lot.winner_bid_id,
        }
        for bid in lot.ranked
    ]


def _common(results: TenderResults) -> dict[str, Any]:
    kinds = _kinds(results)
    return {
        "results": results,
        "kinds": kinds,
        "lots": [{"lot": lot, "rows": _lot_rows(lot, kinds)} for lot in results.lots],
        "tie_break": _tie_break(results),
    }


def _tie_break(results: TenderResults) -> str:
    return TieBreak(results.tie_break).label if results.tie_break in TieBreak.values else ""


def _rendered(results: TenderResults) -> dict[str, str]:
    """The results page's parts made from the results alone: the introduction (the tie-break, a
    blind evaluation, advice-only panel) and each lot's blockers, ranking and sensitivity."""
    common = _common(results)
    return {
        "intro": render_to_string("tenders/results/_intro.html", common),
        "lots": render_to_string("tenders/results/_lots.html", common),
    }


@require_GET
@council_permission("results.view")
def results_page(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """The ranking of each lot, what blocks an award, and the sensitivity to the social value weight.

    Everything below the heading is made from the results alone, the same for every reader, and
    most of the page's time for 100 bids: it is kept rendered with the results (``tenders.kept``)."""
    tender = selectors.opening_tender(council=request.council, tender_id=tender_id)
    rendered = selectors.made_from_results(tender=tender, parts=RENDERED, make=_rendered)
    return render(request, "tenders/results/results.html", {"tender": tender, "rendered": rendered})


def _criterion_rows(why: selectors.WhyThisBidderWon, lot: LotResult) -> list[dict[str, Any]]:
    """Per scored criterion: each bid's individual scores, moderated score and points."""
    rows = []
    for criterion in why.results.criteria:
        if criterion.kind not in ("quality", "social_value"):
            continue
        rows.append(
            {
                "criterion": criterion,
                "bids": [
                    {
                        "bid": bid,
                        "individual": why.individual.get((bid.bid_id, criterion.id), []),
                        "moderated": why.moderated.get((bid.bid_id, criterion.id)),
                        "points": bid.by_criterion.get(criterion.id),
                    }
                    for bid in lot.ranked
                ],
            }
        )
    return rows


def _price(criteria: tuple[ResultCriterion, ...]) -> ResultCriterion | None:
    return next((criterion for criterion in criteria if criterion.kind == "price"), None)


@require_GET
@council_permission("results.view")
def why_page(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """Why this bidder won: every fact the award rests on, in one page (the award report prints it)."""
    tender = selectors.opening_tender(council=request.council, tender_id=tender_id)
    why = selectors.why_this_bidder_won(tender=tender)
    common = _common(why.results)
    for entry in common["lots"]:
        entry["criteria"] = _criterion_rows(why, entry["lot"])
        entry["awards"] = [award for award in why.awards if award.lot_id == entry["lot"].lot_id]
        entry["labels"] = entry["lot"].labels or {}
    return render(
        request,
        "tenders/results/why.html",
        {"tender": tender, "why": why, "price": _price(why.results.criteria), **common},
    )


def tender_panel(request: CouncilRequest, tender: Tender) -> dict[str, Any]:
    """Context for this stage's part of the council's tender page: links to the results, once the
    bids are open, for those who may see them. No query."""
    sealed = tender.submission_deadline is None or selectors.bids_are_sealed(tender=tender)
    return {"show": not sealed and request.user.has_perm("results.view", request.council)}


urlpatterns: list[URLPattern] = [
    path("tenders/<int:tender_id>/results/", results_page, name="tender_results"),
    path("tenders/<int:tender_id>/why/", why_page, name="tender_why"),
]
