"""Pages of prices: opening them out of the sealed bids, each lot's prices with their scores under
the declared formula (in plain words), and the abnormally low flags with the decision on each.

``urlpatterns`` are included under /c/<council_slug>/ by tenders.urls.
"""

from __future__ import annotations

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
from tenders.forms.moderation import AbnormallyLowForm
from tenders.models import AbnormallyLowReview
from tenders.sealing import SealedError
from tenders.views.moderation import _sealed

__all__ = ["prices_page", "abnormally_low_review", "urlpatterns"]


class _ActionForm(forms.Form):
    """Carries the refusal to open prices to the error summary."""


@council_permission("prices.view")
def prices_page(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """Per lot the prices, their points, the formula in words and the flags; commissioners open them."""
    tender = selectors.opening_tender(council=request.council, tender_id=tender_id, with_key=True)
    form = _ActionForm(request.POST if request.method == "POST" else None)
    if selectors.bids_are_sealed(tender=tender):
        return _sealed(request, tender)
    if request.method == "POST":
        if not request.user.has_perm("prices.open", request.council):
            raise PermissionDenied("Only a council commissioner can open the prices.")
        try:
            services.prices_open(tender=tender, actor=request.user)
        except SealedError:
            return _sealed(request, tender)
        except ValidationError as error:
            form.is_valid()
            add_service_errors(form, error)
        else:
            messages.success(request, "The prices are open.")
            return redirect("prices", council_slug=council_slug, tender_id=tender.pk)
    board = selectors.price_board(tender=tender)
    return render(
        request,
        "tenders/moderation/prices.html",
        {
            "tender": tender,
            "board": board,
            "form": form,
            "may_open": request.user.has_perm("prices.open", request.council),
            "may_decide": request.user.has_perm("prices.decide_abnormally_low", request.council),
        },
        status=400 if form.errors else 200,
    )


@council_permission("prices.view")
def abnormally_low_review(request: CouncilRequest, council_slug: str, tender_id: int, review_id: int) -> HttpResponse:
    """One flagged price: why it was flagged, and the form for the explanation and the decision."""
    tender = selectors.opening_tender(council=request.council, tender_id=tender_id)
    if selectors.bids_are_sealed(tender=tender):
        return _sealed(request, tender)
    review = (
        AbnormallyLowReview.objects.filter(council=request.council, tender=tender, pk=review_id)
        .select_related("bid__organisation", "lot", "decided_by")
        .first()
    )
    if review is None:
        raise Http404("No such review")
    price = (
        tender.bid_prices.filter(council=request.council, bid=review.bid_id, lot=review.lot_id).first()
        if review.lot_id
        else tender.bid_prices.filter(council=request.council, bid=review.bid_id, lot__isnull=True).first()
    )
    may_decide = request.user.has_perm("prices.decide_abnormally_low", request.council)
    form = AbnormallyLowForm(
        request.POST if request.method == "POST" else None,
        initial={"explanation": review.explanation, "decision": review.decision or None, "reason": review.reason},
    )
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied("Only a council commissioner can decide on an abnormally low price.")
        if form.is_valid():
            try:
                services.abnormally_low_decide(review=review, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Decision recorded.")
                return redirect("prices", council_slug=council_slug, tender_id=tender.pk)
    return render(
        request,
        "tenders/moderation/abnormally_low.html",
        {"tender": tender, "review": review, "price": price, "form": form, "may_decide": may_decide},
        status=400 if form.errors else 200,
    )


urlpatterns: list[URLPattern] = [
    path("tenders/<int:tender_id>/prices/", prices_page, name="prices"),
    path(
        "tenders/<int:tender_id>/prices/reviews/<int:review_id>/", abnormally_low_review, name="abnormally_low_review"
    ),
]
