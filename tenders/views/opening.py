"""Pages of bid opening on the council side: the bids received, each bid, its attachments and the
compliance check. Everything here is sealed until the submission deadline, when only "n bids
received" is shown.

``urlpatterns`` are included under /c/<council_slug>/ by tenders.urls.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from commissioning.downloads import as_download
from commissioning.forms import add_service_errors
from commissioning.http import CouncilRequest
from commissioning.views.council import council_permission
from tenders import selectors, services
from tenders.forms.opening import ComplianceForm
from tenders.models import Tender
from tenders.sealing import SealedError
from tenders.templatetags.bid_tables import bid_table_rows

__all__ = ["bids_received", "bid_opened", "bid_attachment_download", "tender_panel", "urlpatterns"]

# Bids in the table of bids per page.
BIDS_PAGE = 25


def _asked_page(request: HttpRequest) -> int | None:
    """The page number asked for, if one was asked for as a whole number."""
    raw = request.GET.get("page", "")
    return int(raw) if raw.isdecimal() else None


def _sealed(request: HttpRequest, tender: Tender, *, status: int = 200) -> HttpResponse:
    """The one thing the council may know before the deadline: how many bids, and when they open."""
    return render(
        request,
        "tenders/opening/sealed.html",
        {"tender": tender, "received": selectors.bids_received_count(tender=tender)},
        status=status,
    )


@council_permission("bids.view")
def bids_received(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """After the deadline: the table of bids with their compliance, 25 a page. Before: "n bids received".

    A page number that is not a page shows the nearest page that is (the first for one that is
    not a number), saying so.
    """
    tender = selectors.kept_opening_tender(council=request.council, tender_id=tender_id)
    now = timezone.now()
    if selectors.bids_are_sealed(tender=tender, now=now):
        return _sealed(request, tender)
    # Each row links to its bid by this page's path and the bid's id: one reverse(), not one a row.
    bids_path = reverse("opening_bids", kwargs={"council_slug": council_slug, "tender_id": tender.pk})
    page, rows = selectors.bid_table_page(
        tender=tender,
        number=request.GET.get("page"),
        per_page=BIDS_PAGE,
        # The rows as HTML, kept so: the same for every reader of the council (no person's part).
        make=lambda made: bid_table_rows(made, bids_path),
        parts=(bids_path,),
        now=now,
    )
    asked = _asked_page(request)
    return render(
        request,
        "tenders/opening/bids.html",
        {
            "tender": tender,
            "rows": rows,
            "page": page,
            "pages": list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)),
            "not_a_page": bool(request.GET.get("page")) and asked != page.number,
        },
    )


@council_permission("bids.view")
def bid_opened(request: CouncilRequest, council_slug: str, tender_id: int, bid_id: int) -> HttpResponse:
    """One bid, decrypted: answers per question, prices, commitments, declarations, attachments;
    and for commissioners the compliance form."""
    tender = selectors.opening_tender(council=request.council, tender_id=tender_id, with_key=True)
    now = timezone.now()
    if selectors.bids_are_sealed(tender=tender, now=now):
        return _sealed(request, tender, status=403)
    opened = selectors.opened_bid(tender=tender, bid_id=bid_id, now=now)
    may_mark = request.user.has_perm("bids.mark_compliance", request.council)
    form = ComplianceForm(
        request.POST if request.method == "POST" else None,
        current=opened.bid.compliance,
        initial={"compliance": opened.bid.compliance if opened.bid.compliance != "unchecked" else None},
    )
    if request.method == "POST":
        if not may_mark:
            raise PermissionDenied("Only a council commissioner can mark a bid compliant or non-compliant.")
        if form.is_valid():
            try:
                services.bid_compliance_mark(
                    bid=opened.bid,
                    actor=request.user,
                    compliance=form.cleaned_data["compliance"],
                    reason=form.cleaned_data["reason"],
                )
            except SealedError:
                return _sealed(request, tender, status=403)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Compliance recorded for the bid from {opened.organisation.name}.")
                return redirect("opening_bid", council_slug=council_slug, tender_id=tender.pk, bid_id=opened.bid.pk)
    return render(
        request,
        "tenders/opening/bid.html",
        {"tender": tender, "opened": opened, "form": form, "may_mark": may_mark},
    )


@require_GET
@council_permission("bids.view")
def bid_attachment_download(
    request: CouncilRequest, council_slug: str, tender_id: int, bid_id: int, attachment_id: int
) -> HttpResponse:
    """The attachment decrypted, as a download with its original name. After the deadline only (403 before)."""
    tender = selectors.opening_tender(council=request.council, tender_id=tender_id, with_key=True)
    attachment, data = selectors.opened_attachment(tender=tender, bid_id=bid_id, attachment_id=attachment_id)
    response = HttpResponse(data, content_type=attachment.content_type or "application/octet-stream")
    as_download(response, attachment.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns: list[URLPattern] = [
    path("tenders/<int:tender_id>/bids/", bids_received, name="opening_bids"),
    path("tenders/<int:tender_id>/bids/<int:bid_id>/", bid_opened, name="opening_bid"),
    path(
        "tenders/<int:tender_id>/bids/<int:bid_id>/attachments/<int:attachment_id>/",
        bid_attachment_download,
        name="opening_attachment",
    ),
]


def tender_panel(request: CouncilRequest, tender: Tender) -> dict[str, Any]:
    """Context for this stage's part of the council's tender page (template tenders/opening/_tender_panel.html).

    Before the deadline only when the bids open (the bids panel gives the count); after it, a link
    to the bids with how many were received. Two queries at most, whatever the number of bids.
    """
    if tender.published_at is None or tender.submission_deadline is None:
        return {"show": False}
    sealed = selectors.bids_are_sealed(tender=tender)
    may_view = request.user.has_perm("bids.view", request.council)
    return {
        "show": True,
        "sealed": sealed,
        "deadline": tender.submission_deadline,
        "may_view": may_view,
        "received": None if sealed or not may_view else selectors.bids_received_count(tender=tender),
    }
