"""Pages of the award.

``urlpatterns`` (under /c/<council_slug>/, by tenders.urls):

- the council's award page of a tender (each lot: results, recommendations, notice, challenges,
  contract with its KPIs); recommend (commissioners), decide (officers, four eyes), suspend and
  enter the contract (officers);
- the public award notice of a tender on the council's portal, and a bidder's challenge during
  standstill (a signed-in member of a bidding organisation).

``portal_urlpatterns`` (site root, by tenders.portal_urls): a provider's assessment summaries,
their organisations' own only, in every council.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone

from commissioning.forms import add_service_errors
from commissioning.http import CouncilPublicRequest, CouncilRequest
from commissioning.tenancy import council_public
from commissioning.views.council import council_permission
from tenders import sealing
from tenders.forms.award import ChallengeForm, ContractForm, DecideForm, RecommendForm, SuspendForm
from tenders.models import Lot, Tender
from tenders.sealing import Reader, SealedError
from tenders.selectors import award as selectors
from tenders.services import award as services

__all__ = ["portal_urlpatterns", "tender_panel", "urlpatterns"]


def _award_url(tender: Tender) -> str:
    from django.urls import reverse

    return reverse("award", kwargs={"council_slug": tender.council.slug, "tender_id": tender.pk})


def _tender(request: CouncilRequest, tender_id: int) -> Tender:
    tender = selectors.award_tender(council=request.council, tender_id=tender_id)
    if not sealing.may_unseal(tender, Reader.COUNCIL):
        # Before the deadline nothing of the bids exists for the council, the award least of all.
        raise PermissionDenied("Bids for this tender are sealed until the submission deadline.")
    return tender


def _lot(tender: Tender, lot_id: int | None) -> Lot | None:
    if lot_id is None:
        return None
    lot = Lot.objects.filter(council=tender.council_id, tender=tender, pk=lot_id).first()
    if lot is None:
        raise Http404("No such lot")
    return lot


@council_permission("award.view")
def award_page(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """The tender's award, lot by lot: the ranking (or what blocks it), the recommendations and their
    decisions, the notice with its standstill, challenges and the contract with its KPIs."""
    tender = _tender(request, tender_id)
    lots = selectors.award_lots(tender=tender)
    today = timezone.localdate()
    rows = []
    for lot in lots:
        notice = lot.notice
        rows.append(
            {
                "lot": lot,
                "standstill": selectors.standstill_text(notice) if notice else "",
                "in_standstill": notice is not None and services.in_standstill(notice),
                "contract_refusal": services.contract_refusal(notice=notice) if notice else "",
                "decide_refusal": services.decide_refusal(recommendation=lot.pending, user=request.user)
                if lot.pending
                else "",
                "today": today,
            }
        )
    return render(
        request,
        "tenders/award/award.html",
        {
            "tender": tender,
            "rows": rows,
            "several": len(lots) > 1,
            "may_recommend": request.user.has_perm("award.recommend", request.council),
            "may_approve": request.user.has_perm("award.approve", request.council),
            "may_suspend": request.user.has_perm("award.suspend", request.council),
            "may_enter": request.user.has_perm("contract.enter", request.council),
        },
    )


@council_permission("award.recommend")
def award_recommend(
    request: CouncilRequest, council_slug: str, tender_id: int, lot_id: int | None = None
) -> HttpResponse:
    """Recommend the award of a lot: the top-ranked bid is chosen unless the commissioner says why not."""
    tender = _tender(request, tender_id)
    lot = _lot(tender, lot_id)
    if lot is None and Lot.objects.filter(council=tender.council_id, tender=tender).exists():
        raise Http404("Recommend the award of one lot at a time")
    result = selectors.lot_result(tender=tender, lot=lot)
    ranking = selectors.frozen_ranking(tender=tender, result=result)
    choices = [
        (str(row["bid_id"]), f"{row['organisation']}: rank {row['rank']}, {row['total']} points")
        for row in ranking
        if row["rank"] is not None
    ]
    initial = {"bid": str(result.winner_bid_id)} if result.winner_bid_id else {}
    form = RecommendForm(request.POST if request.method == "POST" else None, bids=choices, initial=initial)
    if request.method == "POST" and not result.blockers and form.is_valid():
        try:
            services.award_recommend(
                tender=tender, lot=lot, actor=request.user, bid_id=form.bid_id(), reason=form.cleaned_data["reason"]
            )
        except SealedError as error:
            raise PermissionDenied(str(error)) from error
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Recommendation saved. An officer who did not evaluate the tender decides it.")
            return redirect(_award_url(tender))
    return render(
        request,
        "tenders/award/recommend.html",
        {"tender": tender, "lot": lot, "result": result, "ranking": ranking, "form": form},
    )


@council_permission("award.approve")
def award_decide(request: CouncilRequest, council_slug: str, tender_id: int, recommendation_id: int) -> HttpResponse:
    """An officer approves the recommendation (publishing the award notice) or sends it back."""
    tender = _tender(request, tender_id)
    recommendation = selectors.award_recommendation_get(tender=tender, recommendation_id=recommendation_id)
    refusal = services.decide_refusal(recommendation=recommendation, user=request.user)
    form = DecideForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if refusal:
            raise PermissionDenied(refusal)
        if form.is_valid():
            try:
                services.award_decide(
                    recommendation=recommendation,
                    actor=request.user,
                    approve=form.cleaned_data["decision"] == "approve",
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                approved = form.cleaned_data["decision"] == "approve"
                messages.success(
                    request,
                    "Award approved: the award notice is published and the assessment summaries are on their way."
                    if approved
                    else "Recommendation sent back to the commissioner.",
                )
                return redirect(_award_url(tender))
    return render(
        request,
        "tenders/award/decide.html",
        {"tender": tender, "recommendation": recommendation, "refusal": refusal, "form": form},
    )


@council_permission("award.suspend")
def award_suspend(request: CouncilRequest, council_slug: str, tender_id: int, notice_id: int) -> HttpResponse:
    tender = _tender(request, tender_id)
    notice = selectors.award_notice_get(tender=tender, notice_id=notice_id)
    form = SuspendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.award_suspend(notice=notice, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Award suspended. The contract cannot be entered while it is suspended.")
            return redirect(_award_url(tender))
    return render(request, "tenders/award/suspend.html", {"tender": tender, "notice": notice, "form": form})


@council_permission("contract.enter")
def contract_enter(request: CouncilRequest, council_slug: str, tender_id: int, notice_id: int) -> HttpResponse:
    """Enter the contract once the standstill has ended without suspension."""
    tender = _tender(request, tender_id)
    notice = selectors.award_notice_get(tender=tender, notice_id=notice_id)
    refusal = services.contract_refusal(notice=notice)
    initial = {"value": notice.value} if notice.value else {}
    form = ContractForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.contract_enter(
                notice=notice,
                actor=request.user,
                value=form.cleaned_data["value"],
                start_date=form.cleaned_data["start_date"],
                end_date=form.cleaned_data["end_date"],
                reporting_period=form.cleaned_data["reporting_period"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Contract entered, with the winning bid's social value commitments as its KPIs.")
            return redirect(_award_url(tender))
    return render(
        request, "tenders/award/contract.html", {"tender": tender, "notice": notice, "refusal": refusal, "form": form}
    )


# --- The public award notice and challenges ---------------------------------------------------------


def _public_tender(request: CouncilPublicRequest, tender_id: int) -> Tender:
    tender = (
        Tender.objects.filter(council=request.council, pk=tender_id, published_at__isnull=False)
        .select_related("council")
        .first()
    )
    if tender is None:
        raise Http404("No such opportunity")
    return tender


def public_notice_rows(tender: Tender) -> list[dict[str, Any]]:
    """The tender's award notices as the public reads them. Two queries."""
    notices = list(selectors.public_award_notices(tender=tender))
    today = timezone.localdate()
    return [
        {
            "notice": notice,
            "winner": notice.bid.organisation.name if notice.bid else None,
            "standstill": selectors.standstill_text(notice),
            "in_standstill": services.in_standstill(notice),
            "contract": getattr(notice, "contract", None),
            "today": today,
        }
        for notice in notices
    ]


@council_public
def award_notice_public(request: CouncilPublicRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """The award of a tender, for anyone: per lot the winner, the value, the date and the standstill."""
    tender = _public_tender(request, tender_id)
    rows = public_notice_rows(tender)
    if not rows:
        raise Http404("This tender has not been awarded")
    return render(
        request, "tenders/award/public_notice.html", {"council": request.council, "tender": tender, "rows": rows}
    )


@council_public
def challenge_raise(request: CouncilPublicRequest, council_slug: str, tender_id: int, notice_id: int) -> HttpResponse:
    """A bidder's challenge to the award, with reasons, during standstill."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    tender = _public_tender(request, tender_id)
    notice = selectors.award_notice_get(tender=tender, notice_id=notice_id)
    bids = selectors.challengeable_bids(tender=tender, user=request.user)
    if not bids:
        raise Http404("Only a bidder for this tender can challenge its award")
    form = ChallengeForm(
        request.POST if request.method == "POST" else None,
        bids=[(str(bid.pk), bid.organisation.name) for bid in bids],
    )
    open_now = services.in_standstill(notice)
    if request.method == "POST" and open_now and form.is_valid():
        bid = next(bid for bid in bids if str(bid.pk) == form.cleaned_data["bid"])
        try:
            services.challenge_raise(notice=notice, bid=bid, actor=request.user, reasons=form.cleaned_data["reasons"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Challenge sent. The council's officers will consider it.")
            return redirect("award_notice_public", council_slug=council_slug, tender_id=tender.pk)
    return render(
        request,
        "tenders/award/challenge.html",
        {
            "tender": tender,
            "notice": notice,
            "form": form,
            "open_now": open_now,
            "standstill": selectors.standstill_text(notice),
        },
    )


# --- A provider's assessment summaries ------------------------------------------------------------------


def assessment_summaries(request: HttpRequest) -> HttpResponse:
    """The assessment summaries of the signed-in person's organisations, in every council."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    summaries = selectors.assessment_summaries_for_user(user=request.user)
    return render(request, "tenders/award/summaries.html", {"summaries": summaries})


def assessment_summary(request: HttpRequest, summary_id: int) -> HttpResponse:
    """One assessment summary (regulation 31): criteria and weights, this bid's and the winner's
    points per criterion with the reasons, and why the bid was or was not successful."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    summary = selectors.assessment_summary_for_user(user=request.user, summary_id=summary_id)
    notice = summary.notice
    return render(
        request,
        "tenders/award/summary.html",
        {
            "summary": summary,
            "content": summary.content,
            "notice": notice,
            "standstill": selectors.standstill_text(notice),
            "in_standstill": services.in_standstill(notice),
        },
    )


urlpatterns: list[URLPattern] = [
    path("tenders/<int:tender_id>/award/", award_page, name="award"),
    path("tenders/<int:tender_id>/award/recommend/", award_recommend, name="award_recommend"),
    path("tenders/<int:tender_id>/award/lots/<int:lot_id>/recommend/", award_recommend, name="award_recommend_lot"),
    path(
        "tenders/<int:tender_id>/award/recommendations/<int:recommendation_id>/",
        award_decide,
        name="award_decide",
    ),
    path("tenders/<int:tender_id>/award/notices/<int:notice_id>/suspend/", award_suspend, name="award_suspend"),
    path("tenders/<int:tender_id>/award/notices/<int:notice_id>/contract/", contract_enter, name="contract_enter"),
    path("opportunities/<int:tender_id>/award/", award_notice_public, name="award_notice_public"),
    path(
        "opportunities/<int:tender_id>/award/<int:notice_id>/challenge/",
        challenge_raise,
        name="award_challenge",
    ),
]

portal_urlpatterns: list[URLPattern] = [
    path("bids/assessment-summaries/", assessment_summaries, name="assessment_summaries"),
    path("bids/assessment-summaries/<int:summary_id>/", assessment_summary, name="assessment_summary"),
]


def tender_panel(request: CouncilRequest, tender: Tender) -> dict[str, Any]:
    """Context for the award's part of the council's tender page: after the deadline, a link to the
    award with how many lots are awarded. One query at most."""
    if tender.published_at is None or not sealing.may_unseal(tender, Reader.COUNCIL):
        return {"show": False}
    from tenders.models import AwardNotice

    return {
        "show": request.user.has_perm("award.view", request.council),
        "awarded": AwardNotice.objects.filter(council=tender.council_id, tender=tender).count(),
    }
