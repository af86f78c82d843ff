"""Pages of moderation: the side-by-side board of submitted scores (with the spread highlighted),
opening moderation and locking it, a page per bid to agree its scores, and after the lock the
change requests and the officer's decision on them. Works without JavaScript.

``urlpatterns`` are included under /c/<council_slug>/ by tenders.urls.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path

from commissioning.forms import add_service_errors
from commissioning.http import CouncilRequest
from commissioning.views.council import council_permission
from tenders import selectors, services
from tenders.forms.moderation import ModeratedBidForm, ScoreChangeDecisionForm, ScoreChangeRequestForm
from tenders.models import Bid, Criterion, ModeratedScore, ModeratedScoreChange, Tender
from tenders.sealing import SealedError

__all__ = ["moderation_page", "moderation_bid", "tender_panel", "urlpatterns"]


class _ActionForm(forms.Form):
    """Carries a service's refusal (open, lock) to the error summary."""


def _sealed(request: CouncilRequest, tender: Tender) -> HttpResponse:
    return render(
        request,
        "tenders/opening/sealed.html",
        {"tender": tender, "received": selectors.bids_received_count(tender=tender)},
        status=403,
    )


def _tender(request: CouncilRequest, tender_id: int) -> Tender:
    return selectors.opening_tender(council=request.council, tender_id=tender_id)


def _require(request: CouncilRequest, permission: str, message: str) -> None:
    if not request.user.has_perm(permission, request.council):
        raise PermissionDenied(message)


@council_permission("moderation.view")
def moderation_page(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """The side-by-side board; commissioners open moderation (once every duty is done) and lock it."""
    tender = _tender(request, tender_id)
    action_form = _ActionForm(request.POST if request.method == "POST" else None)
    try:
        if request.method == "POST":
            _require(request, "moderation.run", "Only a council commissioner can open or lock moderation.")
            action = request.POST.get("action")
            try:
                if action == "open":
                    services.moderation_open(tender=tender, actor=request.user)
                    messages.success(request, "Moderation is open.")
                elif action == "lock":
                    services.moderation_lock(tender=tender, actor=request.user)
                    messages.success(request, "The moderated scores are submitted and locked.")
                else:
                    raise ValidationError("Choose to open or to lock moderation.")
            except ValidationError as error:
                action_form.is_valid()
                add_service_errors(action_form, error)
            else:
                return redirect("moderation", council_slug=council_slug, tender_id=tender.pk)
        board = selectors.moderation_board(tender=tender)
        problems = [] if board.opened else selectors.moderation_problems(tender=tender, policy=board.policy)
    except SealedError:
        return _sealed(request, tender)
    return render(
        request,
        "tenders/moderation/board.html",
        {
            "tender": tender,
            "board": board,
            "problems": problems,
            "form": action_form,
            "may_run": request.user.has_perm("moderation.run", request.council),
        },
        status=400 if action_form.errors else 200,
    )


def _bid_or_404(tender: Tender, bid_id: int) -> Bid:
    bid = selectors.evaluated_bids(tender=tender).filter(pk=bid_id).first()
    if bid is None:
        raise Http404("No such evaluated bid")
    return bid


@council_permission("moderation.view")
def moderation_bid(request: CouncilRequest, council_slug: str, tender_id: int, bid_id: int) -> HttpResponse:
    """One bid: each evaluator's scores and justifications per criterion; before the lock the form of
    agreed scores, after it a change request and (officers) the decision on a pending change."""
    tender = _tender(request, tender_id)
    try:
        bid = _bid_or_404(tender, bid_id)
        board = selectors.moderation_board(tender=tender, bid_ids=[bid.pk])
    except SealedError:
        return _sealed(request, tender)
    (row,) = board.bids
    criteria = board.criteria
    post = request.POST if request.method == "POST" else None
    action = post.get("action") if post else None
    initial: dict[str, Any] = {}
    for cell in row.cells:
        if cell.moderated is not None:
            initial[f"score_{cell.criterion.pk}"] = cell.moderated.score
            initial[f"rationale_{cell.criterion.pk}"] = cell.moderated.rationale
    agree_form = ModeratedBidForm(post if action == "agree" else None, criteria=criteria, initial=initial)
    change_form = ScoreChangeRequestForm(post if action == "request" else None, criteria=criteria)
    decide_form = ScoreChangeDecisionForm(post if action == "decide" else None)
    if post is not None:
        done = _act(request, tender, bid, action, agree_form, change_form, decide_form, criteria)
        if done:
            return redirect("moderation_bid", council_slug=council_slug, tender_id=tender.pk, bid_id=bid.pk)
    errors = any(form.errors for form in (agree_form, change_form, decide_form))
    return render(
        request,
        "tenders/moderation/bid.html",
        {
            "tender": tender,
            "board": board,
            "row": row,
            "agree_form": agree_form,
            "change_form": change_form,
            "decide_form": decide_form,
            "pending": [cell.pending_change for cell in row.cells if cell.pending_change],
            "may_run": request.user.has_perm("moderation.run", request.council),
            "may_approve": request.user.has_perm("moderation.approve_change", request.council),
        },
        status=400 if errors else 200,
    )


def _act(
    request: CouncilRequest,
    tender: Tender,
    bid: Bid,
    action: str | None,
    agree_form: ModeratedBidForm,
    change_form: ScoreChangeRequestForm,
    decide_form: ScoreChangeDecisionForm,
    criteria: list[Criterion],
) -> bool:
    """Run the posted action; True when it succeeded (redirect), False to show the errors."""
    if action == "agree":
        _require(request, "moderation.run", "Only a council commissioner can agree moderated scores.")
        if not agree_form.is_valid():
            return False
        try:
            for criterion, score, rationale in agree_form.agreed():
                services.moderated_score_agree(
                    tender=tender, bid=bid, criterion=criterion, actor=request.user, score=score, rationale=rationale
                )
        except ValidationError as error:
            add_service_errors(agree_form, error)
            return False
        messages.success(request, "Agreed scores saved.")
        return True
    if action == "request":
        _require(request, "moderation.run", "Only a council commissioner can ask to change a moderated score.")
        if not change_form.is_valid():
            return False
        moderated = ModeratedScore.objects.filter(
            council=tender.council_id, tender=tender, bid=bid, criterion_id=change_form.cleaned_data["criterion"]
        ).first()
        if moderated is None:
            change_form.add_error("criterion", "This criterion has no agreed score to change")
            return False
        try:
            services.moderated_score_change_request(
                moderated_score=moderated,
                actor=request.user,
                score=change_form.cleaned_data["score"],
                rationale=change_form.cleaned_data["rationale"],
                reason=change_form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(change_form, error)
            return False
        messages.success(request, "The change is waiting for an officer's decision.")
        return True
    if action == "decide":
        _require(request, "moderation.approve_change", "Only a council officer can decide a change to a score.")
        change = ModeratedScoreChange.objects.filter(
            council=tender.council_id,
            tender=tender,
            moderated_score__bid=bid,
            pk=request.POST.get("change", "0") if str(request.POST.get("change", "")).isdecimal() else 0,
        ).first()
        if change is None:
            raise Http404("No such change")
        if not decide_form.is_valid():
            return False
        try:
            services.moderated_score_change_decide(
                change=change,
                actor=request.user,
                decision=decide_form.cleaned_data["decision"],
                comment=decide_form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_errors(decide_form, error)
            return False
        messages.success(request, "Decision recorded.")
        return True
    raise Http404("No such action")


urlpatterns: list[URLPattern] = [
    path("tenders/<int:tender_id>/moderation/", moderation_page, name="moderation"),
    path("tenders/<int:tender_id>/moderation/bids/<int:bid_id>/", moderation_bid, name="moderation_bid"),
]


def tender_panel(request: CouncilRequest, tender: Tender) -> dict[str, Any]:
    """Context for the moderation and prices part of the council's tender page: links, once the
    evaluation has started. One query."""
    may_view = request.user.has_perm("moderation.view", request.council) or request.user.has_perm(
        "prices.view", request.council
    )
    if not may_view or tender.submission_deadline is None or selectors.bids_are_sealed(tender=tender):
        return {"show": False}
    evaluation = selectors.moderation_evaluation(tender=tender)
    return {"show": evaluation is not None, "evaluation": evaluation}
